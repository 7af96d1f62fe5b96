//! What the client's calls return: typed values, one shape for Airflow 2 and 3 (the JS boundary
//! turns them into its camelCase objects).

use super::assets::{Asset, AssetEvent};
use crate::api::ApiVersion;
use crate::json::Value;
use crate::response::DagRun;

/// A run a trigger created (or found: see [`TriggeredRun::already_existed`]).
///
/// # Examples
/// ```
/// use airflow_trigger::{parse_dag_run, TriggeredRun};
/// let run = parse_dag_run(r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued"}"#).unwrap();
/// let t = TriggeredRun { run, already_existed: false, dag_paused: false, unpaused: false };
/// assert_eq!(t.run.dag_run_id, "r1");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TriggeredRun {
    /// The run, as Airflow answered.
    pub run: DagRun,
    /// A retry after an ambiguous failure (the first attempt may have reached Airflow) found
    /// this trigger's run already there, with the same conf, note and logical date.
    pub already_existed: bool,
    /// The DAG is paused: the run stays queued until someone unpauses it.
    pub dag_paused: bool,
    /// The DAG was paused and this trigger unpaused it ([`crate::Trigger::unpause`]).
    pub unpaused: bool,
}

/// A DAG, in one shape for both API versions.
///
/// # Examples
/// ```
/// use airflow_trigger::{json, Dag};
/// let dag = Dag::from_raw(json!({"dag_id": "etl", "is_paused": true, "tags": [{"name": "daily"}]}));
/// assert_eq!((dag.dag_id.as_str(), dag.is_paused, dag.tags.as_slice()), ("etl", true, &["daily".to_string()][..]));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dag {
    /// The DAG's id.
    pub dag_id: String,
    /// Whether the scheduler holds its runs.
    pub is_paused: bool,
    /// Its description.
    pub description: Option<String>,
    /// Its tags' names.
    pub tags: Vec<String>,
    /// The server's object as it was received.
    pub raw: Value,
}

impl Dag {
    /// Reads a DAG object of either API version (missing fields are empty, never an error).
    ///
    /// # Examples
    /// ```
    /// let dag = airflow_trigger::Dag::from_raw(airflow_trigger::json!({"dag_id": "etl"}));
    /// assert!(!dag.is_paused && dag.description.is_none() && dag.tags.is_empty());
    /// ```
    pub fn from_raw(raw: Value) -> Dag {
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(String::from);
        let tags = raw
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(|t| t.as_str().or_else(|| t.get("name").and_then(Value::as_str)).map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Dag {
            dag_id: text("dag_id").unwrap_or_default(),
            is_paused: raw.get("is_paused").and_then(Value::as_bool).unwrap_or(false),
            description: text("description"),
            tags,
            raw,
        }
    }
}

/// One page of a list, and how many items the server has in all.
///
/// # Examples
/// ```
/// let page: airflow_trigger::Page<u8> = airflow_trigger::Page { items: vec![1, 2], total_entries: Some(7) };
/// assert_eq!(page.items.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Every item the server has, when it says.
    pub total_entries: Option<u64>,
}

/// The server's version, and the API the client speaks to it.
///
/// # Examples
/// ```
/// use airflow_trigger::{ApiVersion, ServerVersion};
/// let v = ServerVersion { version: "3.3.2".into(), api_version: ApiVersion::V2 };
/// assert!(v.version.starts_with('3'));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ServerVersion {
    /// Airflow's version, e.g. `2.11.2`.
    pub version: String,
    /// `v1` (Airflow 2) or `v2` (Airflow 3).
    pub api_version: ApiVersion,
}

/// What a [`crate::Call`] ends with: one variant per kind of call.
///
/// # Examples
/// ```
/// use airflow_trigger::{ApiVersion, Output, ServerVersion};
/// let out = Output::Version(ServerVersion { version: "2.11.2".into(), api_version: ApiVersion::V1 });
/// assert!(matches!(out, Output::Version(v) if v.api_version == ApiVersion::V1));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", content = "value", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Output {
    /// `trigger`.
    Triggered(TriggeredRun),
    /// `get_run`, `wait_for_run`.
    Run(DagRun),
    /// `get_dag`.
    Dag(Dag),
    /// `get_params`: the DAG's Params as Airflow serializes them.
    Params(Value),
    /// `list_dags`.
    Dags(Page<Dag>),
    /// `list_runs`, newest first.
    Runs(Page<DagRun>),
    /// `version`.
    Version(ServerVersion),
    /// `create_asset_event`: the event Airflow recorded.
    AssetEvent(AssetEvent),
    /// `get_asset`.
    Asset(Asset),
    /// `list_assets`.
    Assets(Page<Asset>),
}
