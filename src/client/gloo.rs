//! [`Transport`] over the JS host's `fetch`, through gloo-net (wasm32; feature `gloo-net`).

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use web_sys::{AbortController, RequestCredentials, RequestRedirect};

use super::{Answer, Transport, MAX_ANSWER_BYTES};
use crate::request::HttpRequest;

/// Sends the client's requests with the global `fetch` (gloo-net takes it from the global
/// scope, so it works in pages, web workers and edge workers alike), with `redirect: "manual"`
/// (a redirect is an answer: credentials never reach another address), timeouts through an
/// `AbortController`, and waits through `setTimeout`.
///
/// # Examples
/// ```
/// # #[cfg(all(target_arch = "wasm32", feature = "gloo-net"))]
/// # fn demo() {
/// use airflow_trigger::{AirflowClient, ClientConfig, GlooTransport};
/// let airflow = AirflowClient::new(ClientConfig::new("https://airflow.example.com").unwrap(), GlooTransport);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct GlooTransport;

impl Transport for GlooTransport {
    async fn send(&self, request: &HttpRequest, timeout_ms: u64, include_credentials: bool) -> Answer {
        let method = match request.method.as_str() {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PATCH" => Method::PATCH,
            "PUT" => Method::PUT,
            "DELETE" => Method::DELETE,
            other => return Answer::NetworkError(format!("{other} is not a method the client sends")),
        };
        let controller = match AbortController::new() {
            Ok(c) => c,
            Err(_) => return Answer::NetworkError("this host has no AbortController".into()),
        };
        let signal = controller.signal();
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let timed_out = timed_out.clone();
            let millis = browser_ms(timeout_ms);
            // Dropped (cleared) when the request ends first.
            gloo_timers::callback::Timeout::new(millis, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .abort_signal(Some(&signal))
            .redirect(RequestRedirect::Manual)
            .credentials(if include_credentials {
                RequestCredentials::Include
            } else {
                RequestCredentials::SameOrigin
            });
        for header in &request.headers {
            builder = builder.header(&header.name, &header.value);
        }
        let built = match &request.body {
            Some(body) => builder.body(body.clone()),
            None => builder.build(),
        };
        let answer = match built {
            Err(e) => Answer::NetworkError(e.to_string()),
            Ok(req) => match req.send().await {
                Err(_) if timed_out.get() => Answer::Timeout,
                Err(e) => Answer::NetworkError(e.to_string()),
                Ok(response) => {
                    // `redirect: "manual"` in a browser: an opaque answer with status 0.
                    let status =
                        if response.type_() == web_sys::ResponseType::Opaqueredirect { 302 } else { response.status() };
                    let content_type = response.headers().get("content-type").unwrap_or_default();
                    let declared = response.headers().get("content-length").and_then(|n| n.parse::<u64>().ok());
                    if declared.is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
                        drop(timer);
                        return Answer::TooLarge { status };
                    }
                    match response.text().await {
                        // Without a Content-Length, fetch reads the whole body before it can be measured.
                        Ok(body) if body.len() > MAX_ANSWER_BYTES => Answer::TooLarge { status },
                        Ok(body) => Answer::Response { status, content_type, body },
                        Err(_) if timed_out.get() => Answer::Timeout,
                        Err(e) => Answer::NetworkError(e.to_string()),
                    }
                }
            },
        };
        drop(timer);
        answer
    }

    async fn sleep(&self, ms: u64) {
        gloo_timers::future::TimeoutFuture::new(browser_ms(ms)).await;
    }

    fn now_ms(&self) -> u64 {
        crate::platform::now_millis().unwrap_or(0)
    }
}

/// A delay as `setTimeout` takes it: hosts read it as a signed 32-bit number, and a larger one
/// (even `u32::MAX`, read as -1) fires at once; so at most 2^31 - 1 ms (24.8 days).
fn browser_ms(ms: u64) -> u32 {
    ms.min(i32::MAX as u64) as u32
}
