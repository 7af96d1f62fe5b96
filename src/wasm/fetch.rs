//! The fetch transport: one request through the global `fetch`, answered as plain data.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use super::error::{invalid, network};
use crate::request::HttpRequest;

#[wasm_bindgen]
extern "C" {
    // The global `fetch`, not `window.fetch`: workers, Node, Deno and Bun have no window.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(input: &Request) -> Result<js_sys::Promise, JsValue>;
}

/// What came back: a non-2xx status is data here, not an error.
pub(crate) struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

pub(crate) async fn send(req: &HttpRequest) -> Result<Answer, JsValue> {
    let headers = Headers::new()?;
    for h in &req.headers {
        headers
            .append(&h.name, &h.value)
            .map_err(|_| invalid("headers", format!("{:?} was refused by fetch", h.name)))?;
    }
    let init = RequestInit::new();
    init.set_method(&req.method);
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(&req.url, &init).map_err(|e| invalid("baseUrl", describe(&e)))?;
    let promise = global_fetch(&request).map_err(|e| network(unreachable_message(&req.url, &e)))?;
    let response: Response =
        JsFuture::from(promise).await.map_err(|e| network(unreachable_message(&req.url, &e)))?.unchecked_into();
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    let text = JsFuture::from(response.text()?)
        .await
        .map_err(|e| network(format!("The answer from Airflow broke off: {}", describe(&e))))?;
    Ok(Answer { status: response.status(), content_type, body: text.as_string().unwrap_or_default() })
}

fn unreachable_message(url: &str, err: &JsValue) -> String {
    let origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    format!(
        "Could not reach Airflow at {origin} ({}). Check that it runs and the URL is right. In a browser, a CORS refusal looks exactly like this: open the developer console, and make sure Airflow's [api] access_control_allow_origins lists this page's origin.",
        describe(err)
    )
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
