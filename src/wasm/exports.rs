//! The functions the JS entry calls. Each parses its JSON argument, calls the core, and returns
//! JSON text or throws an `AirflowError`.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::error::to_js;
use super::fetch::send;
use crate::api::ApiVersion;
use crate::error::Error;
use crate::request::{HttpRequest, TriggerOptions};
use crate::response::{error_from_response, parse_dag_run};

fn parse(json: &str, what: &str) -> Result<Value, JsValue> {
    serde_json::from_str(json).map_err(|e| to_js(&Error::invalid_argument(what, format!("is not valid JSON ({e})"))))
}

/// `buildTriggerRequest(options)`: options JSON in, request JSON out.
#[wasm_bindgen(js_name = buildTriggerRequestJson)]
pub fn build_trigger_request(options: &str) -> Result<String, JsValue> {
    let opts = TriggerOptions::from_json(&parse(options, "options")?).map_err(|e| to_js(&e))?;
    let req = opts.build().map_err(|e| to_js(&e))?;
    Ok(req.to_json().to_string())
}

/// `toCurl(request, { revealSecrets })`: request JSON in, a shell command out.
#[wasm_bindgen(js_name = toCurlJson)]
pub fn to_curl(request: &str, reveal_secrets: bool) -> Result<String, JsValue> {
    let req = HttpRequest::from_json(&parse(request, "request")?).map_err(|e| to_js(&e))?;
    Ok(crate::curl::to_curl(&req, reveal_secrets))
}

/// `triggerDagRun(options)`: sends the request with the global `fetch`; resolves to DAG run JSON.
#[wasm_bindgen(js_name = triggerDagRunJson)]
pub async fn trigger_dag_run(options: String) -> Result<String, JsValue> {
    let opts = TriggerOptions::from_json(&parse(&options, "options")?).map_err(|e| to_js(&e))?;
    let req = opts.build().map_err(|e| to_js(&e))?;
    let answer = send(&req).await?;
    read_run(opts.api_version, answer.status, &answer.content_type, &answer.body)
}

/// `parseTriggerResponse(apiVersion, status, contentType, body)`: a DAG run JSON for a 2xx
/// status, an `AirflowError` otherwise.
#[wasm_bindgen(js_name = parseTriggerResponseJson)]
pub fn parse_trigger_response(
    api_version: &str,
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<String, JsValue> {
    let version = ApiVersion::parse(api_version).map_err(|e| to_js(&e))?;
    read_run(version, status, content_type, body)
}

fn read_run(version: ApiVersion, status: u16, content_type: &str, body: &str) -> Result<String, JsValue> {
    if !(200..300).contains(&status) {
        return Err(to_js(&error_from_response(version, status, content_type, body)));
    }
    let run = parse_dag_run(body).map_err(|e| to_js(&e))?;
    Ok(run.to_json().to_string())
}
