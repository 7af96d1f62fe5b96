//! `AirflowClient` in wasm: the client's state and its calls as handles; the JS entry drives each
//! call's actions (send with a timeout, sleep) with `fetch` and timers.

use crate::json::{Map, Value};
use wasm_bindgen::prelude::*;

use super::error::{invalid, to_js};
use super::shape::{output_json, run_json};
use crate::client::{Action, AssetRef, Call, Client, ClientConfig, Event, Trigger};
use crate::error::Error;
use crate::request::TriggerOptions;

fn now() -> u64 {
    crate::platform::now_millis().unwrap_or(0)
}

/// `client.trigger(dagId, options)`'s options (camelCase; conf moved, not copied) as a [`Trigger`].
pub(crate) fn trigger_of(mut options: Value) -> crate::Result<Trigger> {
    let mut opts = match &mut options {
        Value::Object(given) => {
            let given = std::mem::take(given);
            for key in ["baseUrl", "apiVersion", "auth", "dagId"] {
                if given.contains_key(key) {
                    return Err(Error::invalid_argument(key, "is set on the client, not per trigger"));
                }
            }
            crate::options::Fields::of(&given).only(&crate::options::RUN_OPTIONS)?;
            given
        }
        Value::Null => Map::new(),
        _ => return Err(Error::invalid_argument("options", "must be an object")),
    };
    let conf = opts.remove("conf");
    let unpause = match opts.remove("unpause") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(_) => return Err(Error::invalid_argument("unpause", "must be true or false")),
    };
    opts.insert("baseUrl".into(), Value::String("http://placeholder".into()));
    opts.insert("apiVersion".into(), Value::String("v2".into()));
    opts.insert("dagId".into(), Value::String("placeholder".into()));
    let t = TriggerOptions::from_json(&Value::Object(opts))?;
    Ok(Trigger {
        conf,
        dag_run_id: t.dag_run_id,
        logical_date: t.logical_date,
        note: t.note,
        data_interval_start: t.data_interval_start,
        data_interval_end: t.data_interval_end,
        run_after: t.run_after,
        validate: t.validate,
        unpause,
    })
}

pub(crate) fn parse(json: &str, what: &str) -> Result<Value, JsValue> {
    crate::json::Value::parse(json).map_err(|e| invalid(what, format!("is not valid JSON ({e})")))
}

/// Options that hold a conf (JSON text): the conf may nest 128 levels of its own.
pub(crate) fn parse_options(json: &str) -> Result<Value, JsValue> {
    Value::parse_options(json).map_err(|e| invalid("options", format!("is not valid JSON ({e})")))
}

/// The client: detected API version, token, cached Params.
#[wasm_bindgen(js_name = ClientHandle)]
pub struct ClientHandle(Client);

/// One call of a client.
#[wasm_bindgen(js_name = CallHandle)]
pub struct CallHandle(Call);

fn call(result: crate::Result<Call>) -> Result<CallHandle, JsValue> {
    result.map(CallHandle).map_err(|e| to_js(&e))
}

#[wasm_bindgen(js_class = ClientHandle)]
impl ClientHandle {
    /// `options` as JSON text (without `fetch`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<ClientHandle, JsValue> {
        let config = ClientConfig::from_json(&parse(options, "options")?).map_err(|e| to_js(&e))?;
        Ok(ClientHandle(Client::new(config)))
    }

    /// Every call, one export for all (each export costs its own glue in the payload):
    /// `kind` names the call; `a`, `b`, `x`, `y` are its arguments, checked by the JS entry:
    /// `trigger` (dag, options as JSON), `getRun` (dag, run), `waitForRun` (dag, run, interval, timeout), `getDag` and
    /// `getParams` (dag), `listDags` (search, limit), `listRuns` (dag, limit), `version`, and
    /// the asset calls `event`, `list`, `get`, `materialize` (uri, extra or search as JSON
    /// text or text, asset id, limit).
    pub fn call(
        &self,
        kind: &str,
        a: Option<String>,
        b: Option<String>,
        x: Option<f64>,
        y: Option<f64>,
    ) -> Result<CallHandle, JsValue> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0).unwrap_or(0.0) as u64;
        let limit = u32::try_from(n(y)).unwrap_or(u32::MAX);
        let asset = || match (&a, x) {
            (Some(uri), _) => AssetRef::Uri(uri.clone()),
            (None, id) => AssetRef::Id(n(id)),
        };
        call(match kind {
            "trigger" => trigger_of(parse_options(&text(&b))?).and_then(|t| Call::trigger(&text(&a), t)),
            "getRun" => Call::get_run(&text(&a), &text(&b)),
            "waitForRun" => Call::wait_for_run(&text(&a), &text(&b), n(x), n(y)),
            "getDag" => Call::get_dag(&text(&a)),
            "getParams" => Call::get_params(&text(&a)),
            "listDags" => Ok(Call::list_dags(a, u32::try_from(n(x)).unwrap_or(u32::MAX))),
            "listRuns" => Call::list_runs(&text(&a), u32::try_from(n(x)).unwrap_or(u32::MAX)),
            "version" => Ok(Call::version()),
            "list" => Ok(Call::list_assets(b, limit)),
            "event" => {
                let extra = match &b {
                    Some(extra) => Some(parse(extra, "extra")?),
                    None => None,
                };
                Call::create_asset_event(asset(), extra)
            }
            "materialize" => Call::materialize_asset(asset()),
            "get" => Call::get_asset(asset()),
            other => Err(Error::invalid_argument("call", format!("no call named {other}"))),
        })
    }
}

/// `{"send": {request, timeoutMs, includeCredentials}}`, `{"sleep": ms, "progress"?: run}` or
/// `{"done": value}`; a failed call throws its `AirflowError`. A request's body follows the JSON
/// after a line break, as it is: escaping it into the JSON and back cost more than the rest.
fn action_json(action: Action) -> Result<String, JsValue> {
    let mut out = Map::new();
    match action {
        Action::Send { request, timeout_ms, include_credentials } => {
            let mut text = String::from("{\"send\":{\"request\":");
            request.write_json_head(&mut text);
            text.push_str(",\"timeoutMs\":");
            crate::json::write_value(&mut text, &Value::from(timeout_ms));
            text.push_str(if include_credentials {
                ",\"includeCredentials\":true}}"
            } else {
                ",\"includeCredentials\":false}}"
            });
            if let Some(body) = &request.body {
                // Compact JSON has no raw line break: the first one ends it.
                text.push('\n');
                text.push_str(body);
            }
            return Ok(text);
        }
        Action::Sleep { ms, progress } => {
            out.insert("sleep".into(), Value::from(ms));
            if let Some(run) = progress {
                out.insert("progress".into(), run_json(run));
            }
        }
        Action::Done(result) => {
            let mut text = String::from("{\"done\":");
            crate::json::write_value(&mut text, &output_json(result.map_err(|e| to_js(&e))?));
            text.push('}');
            return Ok(text);
        }
    }
    Ok(Value::Object(out).to_json_string())
}

#[wasm_bindgen(js_class = CallHandle)]
impl CallHandle {
    /// What happened, one export for all (each export costs its own glue in the payload):
    /// `event` 0 start, 1 an answer (`status`, `content_type`, `text` its body), 2 a network
    /// failure (`text` its message), 3 a timeout, 4 slept, 5 the caller's `AbortSignal` aborted.
    pub fn next(
        &mut self,
        client: &mut ClientHandle,
        event: u8,
        status: u16,
        content_type: &str,
        text: &str,
    ) -> Result<String, JsValue> {
        let event = match event {
            0 => Event::Start,
            1 => Event::Response { status, content_type, body: text },
            2 => Event::NetworkError(text),
            3 => Event::Timeout,
            4 => Event::Slept,
            6 => Event::TooLarge { status },
            _ => Event::Cancelled,
        };
        action_json(self.0.next(&mut client.0, now(), event))
    }
}
