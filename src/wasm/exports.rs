//! The functions JS calls. Each converts its arguments, calls the core, converts the result.

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

use super::convert::{check_keys, from_js, json_from_js, to_js};
use super::error::{invalid, to_js as error_to_js};
use super::fetch::send;
use crate::api::ApiVersion;
use crate::auth::{is_sensitive_name, Header};
use crate::request::{HttpRequest, TriggerOptions};
use crate::response::{error_from_response, parse_dag_run};

#[wasm_bindgen]
extern "C" {
    /// `{ revealSecrets?: boolean }`
    #[wasm_bindgen(typescript_type = "CurlOptions")]
    pub type CurlOptionsJs;
}

const TRIGGER_OPTIONS: [&str; 11] = [
    "baseUrl",
    "apiVersion",
    "dagId",
    "conf",
    "dagRunId",
    "logicalDate",
    "note",
    "dataIntervalStart",
    "dataIntervalEnd",
    "runAfter",
    "auth",
];

fn trigger_options(options: &JsValue) -> Result<TriggerOptions, JsValue> {
    check_keys(options, "options", &TRIGGER_OPTIONS)?;
    let mut opts: TriggerOptions = from_js(options, "options")?;
    let conf = js_sys::Reflect::get(options, &JsValue::from_str("conf"))?;
    if !conf.is_undefined() {
        opts.conf = Some(json_from_js(&conf, "conf")?);
    }
    Ok(opts)
}

/// Builds and checks the trigger request; nothing is sent.
#[wasm_bindgen(js_name = buildTriggerRequest, unchecked_return_type = "HttpRequest")]
pub fn build_trigger_request(
    #[wasm_bindgen(unchecked_param_type = "TriggerOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let req = trigger_options(&options)?
        .build()
        .map_err(|e| error_to_js(&e))?;
    to_js(&JsRequest(&req))
}

/// Renders a request from `buildTriggerRequest` as a `curl` command; secrets are masked unless
/// `revealSecrets` is true.
#[wasm_bindgen(js_name = toCurl)]
pub fn to_curl(
    #[wasm_bindgen(unchecked_param_type = "HttpRequest")] request: JsValue,
    options: Option<CurlOptionsJs>,
) -> Result<String, JsValue> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct FromJs {
        method: String,
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, String>,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        sensitive_headers: Option<Vec<String>>,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct CurlOptions {
        #[serde(default)]
        reveal_secrets: bool,
    }
    let r: FromJs = from_js(&request, "request")?;
    let opts: CurlOptions = match options {
        Some(o) => from_js(&o, "options")?,
        _ => CurlOptions::default(),
    };
    let sensitive = |name: &str| match &r.sensitive_headers {
        Some(list) => list.iter().any(|s| s.eq_ignore_ascii_case(name)) || is_sensitive_name(name),
        None => is_sensitive_name(name),
    };
    let headers = r
        .headers
        .iter()
        .map(|(name, value)| Header {
            name: name.clone(),
            value: value.clone(),
            sensitive: sensitive(name),
        })
        .collect();
    let req = HttpRequest {
        method: r.method,
        url: r.url,
        headers,
        body: r.body,
    };
    Ok(crate::curl::to_curl(&req, opts.reveal_secrets))
}

/// Triggers a DAG run: builds the request, sends it with the global `fetch`, and resolves to the
/// new run, or rejects with an `AirflowError`.
#[wasm_bindgen(js_name = triggerDagRun, unchecked_return_type = "Promise<DagRun>")]
pub fn trigger_dag_run(
    #[wasm_bindgen(unchecked_param_type = "TriggerOptions")] options: JsValue,
) -> js_sys::Promise {
    let prepared = trigger_options(&options).and_then(|o| {
        let req = o.build().map_err(|e| error_to_js(&e))?;
        Ok((o.api_version, req))
    });
    wasm_bindgen_futures::future_to_promise(async move {
        let (version, req) = prepared?;
        let answer = send(&req).await?;
        read_run(version, answer.status, &answer.content_type, &answer.body)
    })
}

/// Reads an answer you fetched yourself: a DAG run for a 2xx status, an `AirflowError` otherwise.
#[wasm_bindgen(js_name = parseTriggerResponse, unchecked_return_type = "DagRun")]
pub fn parse_trigger_response(
    #[wasm_bindgen(unchecked_param_type = "ApiVersion")] api_version: JsValue,
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<JsValue, JsValue> {
    let version = api_version
        .as_string()
        .ok_or_else(|| invalid("apiVersion", "must be \"v1\" or \"v2\""))
        .and_then(|v| ApiVersion::parse(&v).map_err(|e| error_to_js(&e)))?;
    read_run(version, status, content_type, body)
}

fn read_run(
    version: ApiVersion,
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<JsValue, JsValue> {
    if !(200..300).contains(&status) {
        return Err(error_to_js(&error_from_response(
            version,
            status,
            content_type,
            body,
        )));
    }
    let run = parse_dag_run(body).map_err(|e| error_to_js(&e))?;
    to_js(&run)
}

/// The JS shape of a request: headers as a plain object (what `fetch` takes), plus the names
/// of the headers that hold credentials.
struct JsRequest<'a>(&'a HttpRequest);

impl Serialize for JsRequest<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a [Header]);
        impl Serialize for Headers<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for h in self.0 {
                    map.serialize_entry(&h.name, &h.value)?;
                }
                map.end()
            }
        }
        let r = self.0;
        let sensitive: Vec<&str> = r
            .headers
            .iter()
            .filter(|h| h.sensitive)
            .map(|h| h.name.as_str())
            .collect();
        let mut st = s.serialize_struct("HttpRequest", 5)?;
        st.serialize_field("method", &r.method)?;
        st.serialize_field("url", &r.url)?;
        st.serialize_field("headers", &Headers(&r.headers))?;
        if let Some(body) = &r.body {
            st.serialize_field("body", body)?;
        }
        st.serialize_field("sensitiveHeaders", &sensitive)?;
        st.end()
    }
}
