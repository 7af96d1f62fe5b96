//! Airflow's answers: DAG runs from v1 and v2 in one shape, and error bodies of every shape as
//! typed errors.

use crate::json::{Map, Value};

use crate::api::ApiVersion;
use crate::error::{Error, ErrorCode, Result};

/// A DAG run as both API versions describe it, in one shape (camelCase in JS).
///
/// `raw` is the server's own object, for fields this shape does not name.
///
/// With the `serde` feature it (de)serializes with its Rust field names (`dag_id`,
/// `dag_run_id`, ..., `conf`, `raw`). That is this shape, not Airflow's answer: read an answer
/// with [`parse_dag_run`].
///
/// # Examples
/// ```
/// let run = airflow_trigger::parse_dag_run(
///     r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{"a":1},"run_type":"manual"}"#,
/// ).unwrap();
/// assert_eq!(run.dag_run_id, "r1");
/// assert_eq!(run.state, "queued");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DagRun {
    /// The DAG's id.
    pub dag_id: String,
    /// The run's id.
    pub dag_run_id: String,
    /// `queued`, `running`, `success`, `failed` (or another state a future Airflow adds).
    pub state: String,
    /// The logical date; `null` for Airflow 3 runs triggered "now".
    pub logical_date: Option<String>,
    /// The run's conf (an object; `{}` when Airflow sent none).
    pub conf: Value,
    /// The run's note.
    pub note: Option<String>,
    /// When the run started.
    pub start_date: Option<String>,
    /// When the run ended.
    pub end_date: Option<String>,
    /// `manual`, `scheduled`, `backfill`, `asset_triggered`, ...
    pub run_type: Option<String>,
    /// The server's object as it was received.
    pub raw: Value,
}

impl DagRun {
    /// Whether the run has reached a state it will not leave by itself.
    ///
    /// # Examples
    /// ```
    /// let run = airflow_trigger::parse_dag_run(r#"{"dag_id":"d","dag_run_id":"r","state":"failed"}"#).unwrap();
    /// assert!(run.is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        matches!(self.state.as_str(), "success" | "failed")
    }
}

/// Parses the JSON body of a successful trigger or `GET .../dagRuns/{id}` answer.
///
/// # Examples
/// ```
/// assert!(airflow_trigger::parse_dag_run("<html>").is_err());
/// ```
pub fn parse_dag_run(body: &str) -> Result<DagRun> {
    let raw: Value = crate::json::Value::parse_answer(body).map_err(|e| {
        Error::new(
            ErrorCode::Server,
            format!("Airflow's answer is not JSON ({e}); is baseUrl the Airflow web server or API server?"),
        )
    })?;
    dag_run_from(raw)
}

/// A DAG run from an already parsed object (the items of a run list).
pub(crate) fn dag_run_from(raw: Value) -> Result<DagRun> {
    let Value::Object(obj) = &raw else {
        return Err(Error::new(ErrorCode::Server, "Airflow's answer is not a JSON object describing a DAG run"));
    };
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let required = |k: &str| {
        text(k).ok_or_else(|| Error::new(ErrorCode::Server, format!("Airflow's DAG run has no \"{k}\" string")))
    };
    let run = DagRun {
        dag_id: required("dag_id")?,
        dag_run_id: required("dag_run_id")?,
        state: required("state")?,
        logical_date: text("logical_date"),
        conf: match obj.get("conf") {
            Some(Value::Object(conf)) => Value::Object(conf.clone()),
            _ => Value::Object(Map::new()),
        },
        note: text("note"),
        start_date: text("start_date"),
        end_date: text("end_date"),
        run_type: text("run_type"),
        raw: Value::Null,
    };
    Ok(DagRun { raw, ..run })
}

/// Turns a non-success answer into a typed error: `status`, a code, Airflow's own message as
/// `detail` (from problem+json, FastAPI `detail` as a string, list or object, or an HTML page),
/// and a message that says what to do next.
///
/// # Examples
/// ```
/// use airflow_trigger::{error_from_response, ApiVersion, ErrorCode};
/// let err = error_from_response(ApiVersion::V2, 404, "application/json", r#"{"detail":"Dag with dag_id: 'x' not found"}"#);
/// assert_eq!(err.code(), ErrorCode::NotFound);
/// assert_eq!(err.detail(), Some("Dag with dag_id: 'x' not found"));
/// ```
pub fn error_from_response(version: ApiVersion, status: u16, content_type: &str, body: &str) -> Error {
    let detail = airflow_message(content_type, body);
    let mut code = ErrorCode::from_status(status);
    let said = detail.as_deref().map(first_paragraph).unwrap_or("no message");
    // Both versions phrase a Param failure this way (airflow/models/param.py).
    if status == 400 && said.starts_with("Invalid input for param") {
        code = ErrorCode::InvalidConf;
    }
    let message = match code {
        ErrorCode::InvalidConf => format!("Airflow rejected conf ({status}): {said}. Fix the value to match the DAG's Params."),
        ErrorCode::Unauthorized => format!(
            "Airflow refused the credentials (401: {said}). Check the token; Airflow 3 tokens expire, so get a new one from POST /auth/token."
        ),
        ErrorCode::Forbidden if version == ApiVersion::V1 => format!(
            "Airflow refused the request (403: {said}). Airflow 2 answers 403 for wrong or missing credentials too: check the username and password, that [api] auth_backends includes basic_auth, and that the user may trigger this DAG."
        ),
        ErrorCode::Forbidden => format!(
            "Airflow refused the request (403: {said}). The token is invalid or the user may not trigger this DAG."
        ),
        ErrorCode::NotFound => format!(
            "Not found (404: {said}). Check the DAG id, and that Airflow has parsed the DAG file (it can take a few seconds after deploying)."
        ),
        ErrorCode::Conflict => format!(
            "A DAG run with this dagRunId already exists (409: {said}). Use another dagRunId, or leave it out to get a fresh one."
        ),
        ErrorCode::Server => format!("Airflow failed ({status}: {said}). Check the Airflow server's logs; retrying later may help."),
        _ => format!("Airflow rejected the request ({status}: {said})."),
    };
    Error::http(code, status, message, detail)
}

fn first_paragraph(s: &str) -> &str {
    crate::text::split_once(s, "\n\n").map_or(s, |(first, _)| first).trim()
}

/// Airflow's message from an error body of any known shape.
fn airflow_message(content_type: &str, body: &str) -> Option<String> {
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    if let Ok(value) = crate::json::Value::parse_answer(body) {
        return json_message(&value);
    }
    if crate::text::contains(content_type, "html") || body.starts_with('<') {
        return html_text(body);
    }
    Some(truncate(body, 500))
}

fn json_message(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(obj) => {
            // problem+json (v1): detail may be null, then the title is all there is.
            match obj.get("detail") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Array(items)) => Some(crate::text::join(
                    &items.iter().map(validation_item).collect::<Vec<_>>().iter().map(|s| &**s).collect::<Vec<&str>>(),
                    "; ",
                )),
                Some(Value::Object(d)) => {
                    let pick = |k: &str| d.get(k).and_then(Value::as_str);
                    match (pick("reason"), pick("message")) {
                        (Some(r), Some(m)) => Some(format!("{r}: {m}")),
                        (Some(x), None) | (None, Some(x)) => Some(x.to_string()),
                        (None, None) => Some(Value::Object(d.clone()).to_string()),
                    }
                }
                _ => ["title", "message", "error"]
                    .iter()
                    .find_map(|k| obj.get(k).and_then(Value::as_str))
                    .map(str::to_string),
            }
        }
        _ => None,
    }
}

/// One FastAPI validation item `{type, loc, msg, input}`; `input` is left out on purpose (it
/// echoes the request).
fn validation_item(item: &Value) -> String {
    let msg = item.get("msg").and_then(Value::as_str).unwrap_or("invalid");
    let loc = item
        .get("loc")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
        })
        .map(|parts| crate::text::join(&parts.iter().map(|s| &**s).collect::<Vec<&str>>(), "."))
        .unwrap_or_default();
    if loc.is_empty() {
        msg.to_string()
    } else {
        format!("{loc}: {msg}")
    }
}

/// The visible text of an HTML error page, without tags, collapsed, shortened.
fn html_text(html: &str) -> Option<String> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let collapsed = crate::text::join(&text.split_whitespace().collect::<Vec<_>>(), " ");
    (!collapsed.is_empty()).then(|| truncate(&collapsed, 300))
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", crate::text::head(s, i)),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_become_text() {
        let page = "<html><head><title>x</title></head><body><h1> Ooops! </h1><pre>Something bad\n happened.</pre></body></html>";
        assert_eq!(html_text(page).unwrap(), "x Ooops! Something bad happened.");
        assert_eq!(truncate("ééé", 2), "éé…");
    }

    #[test]
    fn detail_shapes() {
        let cases = [
            (r#"{"detail":"plain"}"#, "plain"),
            (r#"{"type":"t","title":"Forbidden","status":403,"detail":null}"#, "Forbidden"),
            (
                r#"{"detail":[{"type":"missing","loc":["body","logical_date"],"msg":"Field required","input":{"secret":1}}]}"#,
                "body.logical_date: Field required",
            ),
            (
                r#"{"detail":{"reason":"Unique constraint violation","message":"Serious error"}}"#,
                "Unique constraint violation: Serious error",
            ),
            (r#"{"detail":{"other":1}}"#, r#"{"other":1}"#),
            (r#""just a string""#, "just a string"),
        ];
        for (body, want) in cases {
            assert_eq!(airflow_message("application/json", body).as_deref(), Some(want), "{body}");
        }
        assert_eq!(airflow_message("text/plain", "  "), None);
        assert_eq!(airflow_message("text/plain", "Bad Gateway").as_deref(), Some("Bad Gateway"));
    }

    #[test]
    fn dag_run_needs_its_ids() {
        let err = parse_dag_run(r#"{"dag_id":"d","state":"queued"}"#).unwrap_err();
        assert!(err.message().contains("\"dag_run_id\""), "{err}");
        let err = parse_dag_run("[1]").unwrap_err();
        assert_eq!(err.code(), ErrorCode::Server);
    }
}
