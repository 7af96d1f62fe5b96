//! Data-aware scheduling, one shape for both versions: assets (Airflow 3, `/api/v2/assets`)
//! and datasets (Airflow 2, `/api/v1/datasets`).

use crate::error::{Error, Result};
use crate::json::Value;

/// Which asset: by URI (both versions) or by id (Airflow 3's `asset_id`).
///
/// # Examples
/// ```
/// use airflow_trigger::AssetRef;
/// assert_eq!(AssetRef::from("s3://bucket/landed"), AssetRef::Uri("s3://bucket/landed".into()));
/// assert_eq!(AssetRef::from(7u64), AssetRef::Id(7));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AssetRef {
    /// The asset's URI, matched exactly (never as a pattern).
    Uri(String),
    /// Airflow 3's asset id.
    Id(u64),
}

impl From<&str> for AssetRef {
    fn from(uri: &str) -> AssetRef {
        AssetRef::Uri(uri.to_string())
    }
}

impl From<String> for AssetRef {
    fn from(uri: String) -> AssetRef {
        AssetRef::Uri(uri)
    }
}

impl From<u64> for AssetRef {
    fn from(id: u64) -> AssetRef {
        AssetRef::Id(id)
    }
}

/// Airflow's `uri` column: `String(1500)`.
const MAX_URI_CHARS: usize = 1500;

impl AssetRef {
    /// Checks the reference before anything is sent.
    pub(crate) fn check(&self) -> Result<()> {
        match self {
            AssetRef::Uri(uri) if uri.trim().is_empty() => Err(Error::invalid_argument("uri", "must not be empty")),
            AssetRef::Uri(uri) if uri.chars().count() > MAX_URI_CHARS => {
                Err(Error::invalid_argument("uri", format!("is longer than Airflow's {MAX_URI_CHARS} characters")))
            }
            AssetRef::Uri(uri) if uri.chars().any(char::is_control) => {
                Err(Error::invalid_argument("uri", "must not hold control characters"))
            }
            _ => Ok(()),
        }
    }

    /// How a message names it.
    pub(crate) fn describe(&self) -> String {
        match self {
            AssetRef::Uri(uri) => format!("URI {}", crate::json::quoted(uri)),
            AssetRef::Id(id) => format!("id {id}"),
        }
    }
}

fn ids(raw: &Value, key: &str) -> Vec<String> {
    raw.get(key)
        .and_then(Value::as_array)
        .map(|refs| refs.iter().filter_map(|r| r.get("dag_id").and_then(Value::as_str).map(String::from)).collect())
        .unwrap_or_default()
}

/// An asset (Airflow 3) or dataset (Airflow 2).
///
/// # Examples
/// ```
/// use airflow_trigger::{json, Asset};
/// let a = Asset::from_raw(json!({"id": 3, "uri": "s3://b/k", "name": "k", "scheduled_dags": [{"dag_id": "etl"}]}));
/// assert_eq!((a.id, a.uri.as_str(), a.scheduled_dags.as_slice()), (Some(3), "s3://b/k", &["etl".to_string()][..]));
/// // Airflow 2 calls the scheduled DAGs `consuming_dags`.
/// let d = Asset::from_raw(json!({"id": 1, "uri": "x", "consuming_dags": [{"dag_id": "load"}]}));
/// assert_eq!(d.scheduled_dags, ["load"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Asset {
    /// Its id.
    pub id: Option<u64>,
    /// Its URI.
    pub uri: String,
    /// Airflow 3's name (Airflow 2 has none).
    pub name: Option<String>,
    /// Airflow 3's group.
    pub group: Option<String>,
    /// The DAGs scheduled on it: an event makes them run.
    pub scheduled_dags: Vec<String>,
    /// The server's object as it was received.
    pub raw: Value,
}

impl Asset {
    /// Reads an asset (Airflow 3) or dataset (Airflow 2) object; missing fields are empty.
    ///
    /// # Examples
    /// See [`Asset`].
    pub fn from_raw(raw: Value) -> Asset {
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(String::from);
        let mut scheduled_dags = ids(&raw, "scheduled_dags");
        scheduled_dags.extend(ids(&raw, "consuming_dags"));
        Asset {
            id: raw.get("id").and_then(Value::as_u64),
            uri: text("uri").unwrap_or_default(),
            name: text("name"),
            group: text("group"),
            scheduled_dags,
            raw,
        }
    }
}

/// An asset event (Airflow 3) or dataset event (Airflow 2), as Airflow recorded it.
///
/// # Examples
/// ```
/// use airflow_trigger::{json, AssetEvent};
/// let e = AssetEvent::from_raw(json!({"id": 9, "dataset_id": 1, "dataset_uri": "s3://b/k",
///     "extra": {"rows": 3, "from_rest_api": true}, "timestamp": "2026-11-30T07:00:00+00:00"}));
/// assert_eq!((e.id, e.asset_id, e.uri.as_deref()), (Some(9), Some(1), Some("s3://b/k")));
/// assert_eq!(e.extra, json!({"rows": 3, "from_rest_api": true}));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AssetEvent {
    /// The event's id.
    pub id: Option<u64>,
    /// The asset's id (`asset_id`; Airflow 2's `dataset_id`).
    pub asset_id: Option<u64>,
    /// The asset's URI (`uri`; Airflow 2's `dataset_uri`).
    pub uri: Option<String>,
    /// When Airflow recorded it.
    pub timestamp: Option<String>,
    /// The event's `extra` as Airflow stored it (it adds `"from_rest_api": true`).
    pub extra: Value,
    /// The DAG that produced it (`None` for an event from the API).
    pub source_dag_id: Option<String>,
    /// The task that produced it.
    pub source_task_id: Option<String>,
    /// The run that produced it.
    pub source_run_id: Option<String>,
    /// The server's object as it was received.
    pub raw: Value,
}

impl AssetEvent {
    /// Reads an event object of either version; missing fields are empty.
    ///
    /// # Examples
    /// See [`AssetEvent`].
    pub fn from_raw(raw: Value) -> AssetEvent {
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(String::from);
        let number = |k: &str| raw.get(k).and_then(Value::as_u64);
        AssetEvent {
            id: number("id"),
            asset_id: number("asset_id").or_else(|| number("dataset_id")),
            uri: text("uri").or_else(|| text("dataset_uri")),
            timestamp: text("timestamp"),
            extra: raw.get("extra").cloned().unwrap_or(Value::Null),
            source_dag_id: text("source_dag_id"),
            source_task_id: text("source_task_id"),
            source_run_id: text("source_run_id"),
            raw,
        }
    }
}
