//! [`Transport`] over reqwest (native, async; feature `reqwest`).

use std::time::Duration;

use super::{Answer, Transport, MAX_ANSWER_BYTES};
use crate::request::HttpRequest;

/// Sends the client's requests with a [`reqwest::Client`] that follows no redirect (a 3xx ends
/// the call with `BAD_REQUEST`: credentials never reach another address), reads at most
/// [`MAX_ANSWER_BYTES`] of an answer, and waits with tokio's timer (so it needs a tokio runtime
/// with time enabled).
///
/// # Examples
/// ```
/// use airflow_trigger::{AirflowClient, ClientConfig, ReqwestTransport};
/// let airflow = AirflowClient::new(ClientConfig::new("http://127.0.0.1:8080").unwrap(), ReqwestTransport::new());
/// assert!(airflow.api_version().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

impl Default for ReqwestTransport {
    fn default() -> ReqwestTransport {
        ReqwestTransport::new()
    }
}

impl ReqwestTransport {
    /// A transport with its own connection pool.
    ///
    /// # Examples
    /// ```
    /// let _t = airflow_trigger::ReqwestTransport::new();
    /// ```
    pub fn new() -> ReqwestTransport {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("airflow-trigger/", env!("CARGO_PKG_VERSION")))
            .build()
            // Only a TLS backend that fails to load makes the builder fail; the default client
            // has the same settings but follows redirects, so fail loudly instead.
            .expect("reqwest's TLS backend loads");
        ReqwestTransport { http }
    }

    /// A transport over `http`, which must not follow redirects (`Policy::none()`): proxies,
    /// certificates and pools are yours to set.
    ///
    /// # Examples
    /// ```
    /// let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    /// let _t = airflow_trigger::ReqwestTransport::with_client(http);
    /// ```
    pub fn with_client(http: reqwest::Client) -> ReqwestTransport {
        ReqwestTransport { http }
    }
}

impl Transport for ReqwestTransport {
    async fn send(&self, request: &HttpRequest, timeout_ms: u64, _include_credentials: bool) -> Answer {
        let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
            Ok(m) => m,
            Err(_) => return Answer::NetworkError(format!("{:?} is not an HTTP method", request.method)),
        };
        let mut builder = self.http.request(method, &request.url).timeout(Duration::from_millis(timeout_ms));
        for header in &request.headers {
            let Ok(mut value) = reqwest::header::HeaderValue::from_str(&header.value) else {
                return Answer::NetworkError(format!("the {} header holds characters HTTP cannot carry", header.name));
            };
            // Kept out of reqwest's and hyper's Debug output.
            value.set_sensitive(header.sensitive);
            builder = builder.header(header.name.as_str(), value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return answer_of(e),
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if response.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Answer::TooLarge { status };
        }
        // Read at most MAX_ANSWER_BYTES, whatever the server says its length is.
        let mut response = response;
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if bytes.len() + chunk.len() > MAX_ANSWER_BYTES => return Answer::TooLarge { status },
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return answer_of(e),
            }
        }
        // Airflow answers UTF-8 JSON; anything else is read as lossily as a browser's text().
        let body = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Answer::Response { status, content_type, body }
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    fn now_ms(&self) -> u64 {
        crate::platform::now_millis().unwrap_or(0)
    }
}

/// reqwest's error without its URL (the URL holds no secret, but the message names the failure,
/// and the client's own error already says where).
fn answer_of(e: reqwest::Error) -> Answer {
    if e.is_timeout() {
        return Answer::Timeout;
    }
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Answer::NetworkError(message)
}
