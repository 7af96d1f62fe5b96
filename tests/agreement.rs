//! Agreement with Airflow, natively: `ParamsValidator` (modes `airflow2` and `airflow3`) against
//! the verdicts of the real Airflow 2.11.2 and 3.3.2 venvs' own Param validation
//! (tests/agreement/airflow_verdicts.py) on the cases of tests/agreement/generate.py: 5,000
//! realistic mixed cases and 400 for each category where Python differs from ECMAScript or the
//! spec. The Params are given as `GET /dags/{id}/details` serves them (`value: null` for no
//! default), so the one listed exception is counted by name: a Param without a default whose
//! schema accepts null, left out of conf (Airflow: "No value passed"; the API shows it as a
//! default null). Every other disagreement fails the test. `AGREEMENT_CASES`, `AGREEMENT_SEED`.

#![cfg(all(not(target_arch = "wasm32"), feature = "python-re"))]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use airflow_trigger::json::{Map, Value};
use airflow_trigger::{Formats, ParamsOptions, ParamsValidator};

/// The Params as the details endpoint serves them.
fn served(params: &Value) -> Value {
    let mut out = Map::new();
    for (name, p) in params.as_object().expect("params").iter() {
        let mut m = Map::new();
        m.insert("value".into(), p.get("default").cloned().unwrap_or(Value::Null));
        m.insert("schema".into(), p.get("schema").cloned().unwrap_or(Value::Null));
        m.insert("description".into(), Value::Null);
        out.insert(name.clone(), Value::Object(m));
    }
    Value::Object(out)
}

/// A Param without a default, left out of conf, whose schema accepts null: the API cannot tell
/// Airflow's "No value passed" from a default null.
fn rest_exception(case: &Value, message: &str) -> bool {
    let conf = case["conf"].as_object();
    message.contains("No value passed")
        && case["params"]
            .as_object()
            .expect("params")
            .iter()
            .any(|(name, p)| p.get("default").is_none() && conf.map_or(true, |c| c.get(name).is_none()))
}

#[test]
fn params_validator_agrees_with_airflow() {
    let n = std::env::var("AGREEMENT_CASES").unwrap_or_else(|_| "5000".into());
    let seed = std::env::var("AGREEMENT_SEED").unwrap_or_else(|_| "20261130".into());
    // AGREEMENT_FILE: a reviewer's cases (generate.py's shape) instead of the generated corpus.
    let text = match std::env::var("AGREEMENT_FILE") {
        Ok(path) => std::fs::read_to_string(&path).expect("AGREEMENT_FILE"),
        Err(_) => {
            let out = Command::new("python3")
                .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agreement/generate.py"))
                .args([&n, &seed])
                .output()
                .expect("python3 tests/agreement/generate.py");
            assert!(out.status.success());
            String::from_utf8(out.stdout).expect("UTF-8")
        }
    };
    let cases = Value::parse(&text).expect("cases");
    let cases = cases.as_array().expect("a list");
    let mut failed = false;
    for (version, formats) in [("2.11.2", Formats::Airflow2), ("3.3.2", Formats::Airflow3)] {
        let verdicts = common::python_text(version, "airflow_verdicts.py", text.clone());
        let verdicts = Value::parse(std::str::from_utf8(&verdicts).expect("UTF-8")).expect("verdicts");
        let verdicts = verdicts.as_array().expect("a list");
        assert_eq!(verdicts.len(), cases.len());
        // Per category: cases, agreements, the REST exception.
        let mut tally: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        let mut shown = 0;
        for (case, verdict) in cases.iter().zip(verdicts) {
            let airflow = verdict["valid"] == Value::Bool(true);
            let message = verdict["message"].as_str().unwrap_or("");
            let ours =
                match ParamsValidator::new(&served(&case["params"]), ParamsOptions { formats, ..Default::default() }) {
                    Ok(v) => v.validate(&case["conf"]),
                    Err(e) => airflow_trigger::ParamsResult {
                        valid: false,
                        errors: vec![],
                        conf: Value::String(e.to_string()),
                    },
                };
            let entry = tally.entry(case["category"].as_str().unwrap_or("?").to_string()).or_default();
            entry.0 += 1;
            if ours.valid == airflow {
                entry.1 += 1;
            } else if !airflow && rest_exception(case, message) {
                entry.2 += 1;
            } else {
                failed = true;
                if shown < 30 {
                    shown += 1;
                    println!(
                        "  DISAGREE Airflow {version}: params={} conf={}: Airflow {}, we {}",
                        case["params"],
                        case["conf"],
                        if airflow { "accept".to_string() } else { format!("reject ({message})") },
                        if ours.valid {
                            "accept".to_string()
                        } else {
                            format!("reject ({:?})", ours.errors.first().map(|e| &e.message))
                        }
                    );
                }
            }
        }
        let (total, agree, rest) = tally.values().fold((0, 0, 0), |a, t| (a.0 + t.0, a.1 + t.1, a.2 + t.2));
        println!(
            "Airflow {version} (native): {agree} of {total} verdicts agree ({:.2} %); disagreements: {rest} the REST API's exception (no default vs default null), {} other",
            100.0 * agree as f64 / total as f64,
            total - agree - rest
        );
        for (cat, (t, a, r)) in &tally {
            println!("  {cat}: {a} of {t} agree; REST exception {r}, other {}", t - a - r);
        }
    }
    assert!(!failed, "disagreements with Airflow beyond the REST API's exception");
}
