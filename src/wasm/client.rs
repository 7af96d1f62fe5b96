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

    pub fn trigger(&self, dag_id: &str, options: &str) -> Result<CallHandle, JsValue> {
        call(trigger_of(parse(options, "options")?).and_then(|t| Call::trigger(dag_id, t)))
    }

    #[wasm_bindgen(js_name = getRun)]
    pub fn get_run(&self, dag_id: &str, run_id: &str) -> Result<CallHandle, JsValue> {
        call(Call::get_run(dag_id, run_id))
    }

    #[wasm_bindgen(js_name = waitForRun)]
    pub fn wait_for_run(
        &self,
        dag_id: &str,
        run_id: &str,
        interval_ms: f64,
        timeout_ms: f64,
    ) -> Result<CallHandle, JsValue> {
        let ms = |v: f64, field: &str| {
            if v.is_finite() && v >= 0.0 {
                Ok(v as u64)
            } else {
                Err(invalid(field, "must be a non-negative number of milliseconds"))
            }
        };
        call(Call::wait_for_run(dag_id, run_id, ms(interval_ms, "intervalMs")?, ms(timeout_ms, "timeoutMs")?))
    }

    #[wasm_bindgen(js_name = getDag)]
    pub fn get_dag(&self, dag_id: &str) -> Result<CallHandle, JsValue> {
        call(Call::get_dag(dag_id))
    }

    #[wasm_bindgen(js_name = getParams)]
    pub fn get_params(&self, dag_id: &str) -> Result<CallHandle, JsValue> {
        call(Call::get_params(dag_id))
    }

    #[wasm_bindgen(js_name = listDags)]
    pub fn list_dags(&self, search: Option<String>, limit: u32) -> CallHandle {
        CallHandle(Call::list_dags(search, limit))
    }

    #[wasm_bindgen(js_name = listRuns)]
    pub fn list_runs(&self, dag_id: &str, limit: u32) -> Result<CallHandle, JsValue> {
        call(Call::list_runs(dag_id, limit))
    }

    pub fn version(&self) -> CallHandle {
        CallHandle(Call::version())
    }

    /// The asset calls, one export for all (each export costs its own glue): `kind` is
    /// `event`, `list`, `get` or `materialize`; `args` is JSON text with `uri` or `assetId`,
    /// `extra`, `search`, `limit`, as the kind needs.
    pub fn asset(&self, kind: &str, args: &str) -> Result<CallHandle, JsValue> {
        let args = parse(args, "options")?;
        if kind == "list" {
            let search = args.get("search").and_then(Value::as_str).map(String::from);
            let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(100);
            return Ok(CallHandle(Call::list_assets(search, u32::try_from(limit).unwrap_or(u32::MAX))));
        }
        let asset = asset_of(&args).map_err(|e| to_js(&e))?;
        call(match kind {
            "event" => Call::create_asset_event(asset, args.get("extra").cloned()),
            "materialize" => Call::materialize_asset(asset),
            _ => Call::get_asset(asset),
        })
    }
}

/// `{"uri": text}` or `{"assetId": positive integer}`: exactly one of them.
fn asset_of(asset: &Value) -> crate::Result<AssetRef> {
    match (asset.get("uri"), asset.get("assetId")) {
        (Some(Value::String(uri)), None) => Ok(AssetRef::Uri(uri.clone())),
        (None, Some(id)) => id
            .as_u64()
            .map(AssetRef::Id)
            .ok_or_else(|| Error::invalid_argument("assetId", format!("must be a non-negative integer, got {id}"))),
        (Some(_), Some(_)) => Err(Error::invalid_argument("asset", "give uri or assetId, not both")),
        (Some(other), None) => Err(Error::invalid_argument("uri", format!("must be a string, got {other}"))),
        (None, None) => Err(Error::invalid_argument("asset", "give uri (a string) or assetId (a number)")),
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
    pub fn start(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::Start))
    }

    pub fn respond(
        &mut self,
        client: &mut ClientHandle,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::Response { status, content_type, body }))
    }

    pub fn fail(&mut self, client: &mut ClientHandle, message: &str) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::NetworkError(message)))
    }

    pub fn timeout(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::Timeout))
    }

    pub fn slept(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::Slept))
    }

    /// The caller's `AbortSignal` aborted: always throws the call's `CANCELLED` error.
    pub fn cancel(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, now(), Event::Cancelled))
    }
}
