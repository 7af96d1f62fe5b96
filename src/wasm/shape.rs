//! The JS shapes of the client's typed results: camelCase, `null` for absent values, `raw`.

use crate::client::{Dag, Output};
use crate::json::{Map, Value};
use crate::response::DagRun;

/// A run as JS sees it: `{ dagId, dagRunId, state, logicalDate, conf, note, startDate, endDate,
/// runType, raw }`.
pub(crate) fn run_json(run: DagRun) -> Value {
    let opt = |v: Option<String>| v.map(Value::String).unwrap_or(Value::Null);
    Value::Object(Map::from_members(vec![
        ("dagId".into(), Value::String(run.dag_id)),
        ("dagRunId".into(), Value::String(run.dag_run_id)),
        ("state".into(), Value::String(run.state)),
        ("logicalDate".into(), opt(run.logical_date)),
        ("conf".into(), run.conf),
        ("note".into(), opt(run.note)),
        ("startDate".into(), opt(run.start_date)),
        ("endDate".into(), opt(run.end_date)),
        ("runType".into(), opt(run.run_type)),
        ("raw".into(), run.raw),
    ]))
}

/// A DAG as JS sees it: `{ dagId, isPaused, description, tags, raw }`, tags as Airflow sent them.
fn dag_json(dag: Dag) -> Value {
    let d = &dag.raw;
    let text = |k: &str| d.get(k).cloned().filter(|v| !v.is_null()).unwrap_or(Value::Null);
    Value::Object(Map::from_iter([
        ("dagId".to_string(), text("dag_id")),
        ("isPaused".to_string(), Value::Bool(dag.is_paused)),
        ("description".to_string(), text("description")),
        ("tags".to_string(), d.get("tags").cloned().unwrap_or(Value::Array(Vec::new()))),
        ("raw".to_string(), dag.raw),
    ]))
}

fn total(total: Option<u64>) -> Value {
    total.map(Value::from).unwrap_or(Value::Null)
}

/// What a JS call resolves with.
pub(crate) fn output_json(output: Output) -> Value {
    match output {
        Output::Triggered(t) => {
            let mut run = run_json(t.run);
            if let Value::Object(m) = &mut run {
                m.insert("alreadyExisted".into(), Value::Bool(t.already_existed));
                m.insert("dagPaused".into(), Value::Bool(t.dag_paused));
                m.insert("unpaused".into(), Value::Bool(t.unpaused));
            }
            run
        }
        Output::Run(run) => run_json(run),
        Output::Dag(dag) => dag_json(dag),
        Output::Params(params) => params,
        Output::Dags(page) => Value::Object(Map::from_iter([
            ("dags".to_string(), Value::Array(page.items.into_iter().map(dag_json).collect())),
            ("totalEntries".to_string(), total(page.total_entries)),
        ])),
        Output::Runs(page) => Value::Object(Map::from_iter([
            ("runs".to_string(), Value::Array(page.items.into_iter().map(run_json).collect())),
            ("totalEntries".to_string(), total(page.total_entries)),
        ])),
        Output::Version(v) => Value::Object(Map::from_iter([
            ("version".to_string(), Value::String(v.version)),
            ("apiVersion".to_string(), Value::String(v.api_version.as_str().into())),
        ])),
        // Assets and events go out as Airflow's objects; the JS entry gives them their shape
        // (cheaper there than here, in the payload's budget).
        Output::AssetEvent(event) => event.raw,
        Output::Asset(asset) => asset.raw,
        Output::Assets(page) => Value::Object(Map::from_iter([
            ("assets".to_string(), Value::Array(page.items.into_iter().map(|a| a.raw).collect())),
            ("totalEntries".to_string(), total(page.total_entries)),
        ])),
    }
}
