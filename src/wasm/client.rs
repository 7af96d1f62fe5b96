//! `AirflowClient` in wasm: the client's state and its calls as handles; the JS entry drives each
//! call's actions (send with a timeout, sleep) with `fetch` and timers.

use crate::json::{Map, Value};
use wasm_bindgen::prelude::*;

use super::error::{invalid, to_js};
use crate::client::{Action, Call, Client, ClientConfig, Event};

fn parse(json: &str, what: &str) -> Result<Value, JsValue> {
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
        call(Call::trigger_owned(dag_id, parse(options, "options")?))
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
        let now = crate::platform::now_millis();
        call(Call::wait_for_run(dag_id, run_id, ms(interval_ms, "intervalMs")?, ms(timeout_ms, "timeoutMs")?, now))
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
                out.insert("progress".into(), run);
            }
        }
        Action::Done(result) => {
            let mut text = String::from("{\"done\":");
            crate::json::write_value(&mut text, &result.map_err(|e| to_js(&e))?);
            text.push('}');
            return Ok(text);
        }
    }
    Ok(Value::Object(out).to_json_string())
}

#[wasm_bindgen(js_class = CallHandle)]
impl CallHandle {
    pub fn start(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, Event::Start))
    }

    pub fn respond(
        &mut self,
        client: &mut ClientHandle,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, Event::Response { status, content_type, body }))
    }

    pub fn fail(&mut self, client: &mut ClientHandle, message: &str) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, Event::NetworkError(message)))
    }

    pub fn timeout(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, Event::Timeout))
    }

    pub fn slept(&mut self, client: &mut ClientHandle) -> Result<String, JsValue> {
        action_json(self.0.next(&mut client.0, Event::Slept))
    }
}
