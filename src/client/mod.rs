//! The trigger client: auth (including Airflow 3's token exchange), API version detection,
//! idempotent retries, timeouts and run monitoring — as state machines that do no I/O. A
//! [`Call`] says what to do next (send a request, sleep) and reads what happened; the JS
//! `AirflowClient` drives it with `fetch`, and tests drive it natively.

mod call;

pub use call::{Action, Call, Event};

use crate::json::Value;

use crate::api::{ApiVersion, BaseUrl};
use crate::auth::{Auth, Secret};
use crate::error::{Error, Result};
use crate::options::Fields;
use crate::request::json_kind;

/// What a [`Transport`] got for a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// An HTTP answer, whatever its status.
    Response {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: String,
        /// The body as text.
        body: String,
    },
    /// No answer: connection refused, reset, DNS...
    NetworkError(String),
    /// No answer within the timeout.
    Timeout,
}

/// Sends requests for [`Client::run`]: any blocking HTTP client.
pub trait Transport {
    /// Sends `request`, giving up after `timeout_ms`.
    fn send(&mut self, request: &crate::HttpRequest, timeout_ms: u64) -> Answer;
    /// Waits (between retries, between polls).
    fn sleep(&mut self, ms: u64);
}

/// How the client authenticates.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientAuth {
    /// A fixed credential (none, Basic, Bearer, headers).
    Fixed(Auth),
    /// A username and password: Basic on Airflow 2; on Airflow 3 exchanged at `POST /auth/token`
    /// for a JWT kept in memory, and exchanged again once when Airflow answers 401.
    Password {
        /// The Airflow user.
        username: String,
        /// Its password.
        password: Secret,
    },
    /// The browser's session cookie (same-origin portals): `credentials: "include"`.
    Session,
}

/// The client's settings (JS: the options of `new AirflowClient`).
#[derive(Clone, Debug, PartialEq)]
pub struct ClientConfig {
    /// Airflow's base URL.
    pub base_url: BaseUrl,
    /// `None` detects it once: `GET /api/v1/version`, then `/api/v2/version` (v1 first: Airflow 2
    /// answers CORS only under `/api/v1`, and Airflow 3 answers `/api/v1` with a plain 404).
    pub api_version: Option<ApiVersion>,
    /// Credentials.
    pub auth: ClientAuth,
    /// Per-request timeout. Default 30,000 ms.
    pub timeout_ms: u64,
    /// Retries after a network error, a timeout, or 502/503/504. Default 3.
    pub retries: u32,
    /// How long a DAG's details (its Params, compiled, and whether it is paused) are reused by
    /// `getParams` and `trigger` before they are read again. Default 60,000 ms; 0 reads every time.
    pub params_ttl_ms: u64,
    /// The formats asserted when a trigger validates conf; default the server's own
    /// (`airflow2` for v1, `airflow3` for v2).
    pub formats: Option<crate::Formats>,
}

impl ClientConfig {
    /// Reads `{ baseUrl, apiVersion?, auth?, timeoutMs?, retries?, paramsTtlMs?, formats? }` (the JS options;
    /// `fetch` is handled by the JS side).
    ///
    /// # Examples
    /// ```
    /// let c = airflow_trigger::ClientConfig::from_json(&airflow_trigger::json!({
    ///     "baseUrl": "http://127.0.0.1:8080", "auth": {"type": "password", "username": "u", "password": "p"}
    /// })).unwrap();
    /// assert_eq!(c.api_version, None);
    /// assert_eq!(c.retries, 3);
    /// ```
    pub fn from_json(value: &Value) -> Result<ClientConfig> {
        let f = Fields::new(value, "options", "")?;
        f.only(&["baseUrl", "apiVersion", "auth", "fetch", "timeoutMs", "retries", "paramsTtlMs", "formats"])?;
        let formats = match f.string("formats")? {
            None => None,
            Some(m) => Some(crate::Formats::parse(&m).map_err(|e| Error::invalid_argument("formats", e))?),
        };
        let base_url = BaseUrl::parse(&f.required_string("baseUrl")?)?;
        let api_version = match f.string("apiVersion")?.as_deref() {
            None | Some("auto") => None,
            Some(v) => Some(ApiVersion::parse(v).map_err(|_| {
                Error::invalid_argument("apiVersion", format!("must be \"auto\", \"v1\" or \"v2\", got \"{v}\""))
            })?),
        };
        let auth = match f.value("auth") {
            None => ClientAuth::Fixed(Auth::None),
            Some(a) => match a.get("type").and_then(Value::as_str) {
                Some("password") => {
                    let p = Fields::new(a, "auth", "auth.")?;
                    p.only(&["type", "username", "password"])?;
                    ClientAuth::Password {
                        username: p.required_string("username")?,
                        password: Secret::new(p.required_string("password")?),
                    }
                }
                Some("session") => {
                    Fields::new(a, "auth", "auth.")?.only(&["type"])?;
                    ClientAuth::Session
                }
                _ => ClientAuth::Fixed(Auth::from_json(a)?),
            },
        };
        let number = |key: &str, default: u64, max: u64| -> Result<u64> {
            match f.value(key) {
                None => Ok(default),
                Some(Value::Number(n)) => n
                    .as_u64()
                    .filter(|v| *v <= max)
                    .ok_or_else(|| Error::invalid_argument(key, format!("must be a whole number from 0 to {max}"))),
                Some(other) => Err(Error::invalid_argument(key, format!("must be a number, got {}", json_kind(other)))),
            }
        };
        Ok(ClientConfig {
            base_url,
            api_version,
            auth,
            timeout_ms: number("timeoutMs", 30_000, 3_600_000)?,
            retries: number("retries", 3, 20)? as u32,
            params_ttl_ms: number("paramsTtlMs", 60_000, 86_400_000)?,
            formats,
        })
    }
}

/// What a client remembers between calls: the detected API version, the token, cached Params.
pub struct Client {
    pub(crate) config: ClientConfig,
    pub(crate) version: Option<ApiVersion>,
    pub(crate) token: Option<Secret>,
    pub(crate) dags: Vec<DagDetails>,
}

/// What a client remembers of one DAG for `params_ttl_ms`.
pub(crate) struct DagDetails {
    pub(crate) dag_id: String,
    pub(crate) at: u64,
    pub(crate) params: Value,
    pub(crate) paused: Option<bool>,
    /// Compiled on the first trigger that validates, with the formats it used.
    pub(crate) validator: Option<(crate::schema::Formats, crate::params::ParamsValidator)>,
}

impl Client {
    /// A client; nothing is sent until a call runs.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Client, ClientConfig};
    /// let config = ClientConfig::from_json(&airflow_trigger::json!({"baseUrl": "http://h", "apiVersion": "v2"})).unwrap();
    /// let client = Client::new(config);
    /// assert_eq!(client.api_version(), Some(airflow_trigger::ApiVersion::V2));
    /// ```
    pub fn new(config: ClientConfig) -> Client {
        Client { version: config.api_version, config, token: None, dags: Vec::new() }
    }

    /// The API version, once known.
    pub fn api_version(&self) -> Option<ApiVersion> {
        self.version
    }

    /// The credential for a request to the versioned API, given what the client knows.
    pub(crate) fn request_auth(&self) -> Auth {
        match (&self.config.auth, self.version) {
            (ClientAuth::Fixed(a), _) => a.clone(),
            (ClientAuth::Password { username, password }, Some(ApiVersion::V1)) => {
                Auth::Basic { username: username.clone(), password: password.clone() }
            }
            (ClientAuth::Password { .. }, _) => match &self.token {
                Some(t) => Auth::Bearer { token: t.clone() },
                None => Auth::None,
            },
            (ClientAuth::Session, _) => Auth::None,
        }
    }

    pub(crate) fn needs_login(&self) -> bool {
        matches!(self.config.auth, ClientAuth::Password { .. })
            && self.version == Some(ApiVersion::V2)
            && self.token.is_none()
    }

    /// The DAG's details read less than `params_ttl_ms` ago.
    pub(crate) fn cached_dag(&mut self, dag_id: &str, now: u64) -> Option<&mut DagDetails> {
        let ttl = self.config.params_ttl_ms;
        self.dags.iter_mut().find(|d| d.dag_id == dag_id && now.saturating_sub(d.at) < ttl)
    }

    /// Runs a call to the end over a blocking `transport` (any HTTP client; tests use scripted
    /// answers). Async code drives [`Call::next`] itself, as the JS `AirflowClient` does.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Answer, Call, Client, ClientConfig, HttpRequest, Transport};
    /// struct Canned;
    /// impl Transport for Canned {
    ///     fn send(&mut self, _request: &HttpRequest, _timeout_ms: u64) -> Answer {
    ///         Answer::Response { status: 200, content_type: "application/json".into(), body: r#"{"version":"3.3.2"}"#.into() }
    ///     }
    ///     fn sleep(&mut self, _ms: u64) {}
    /// }
    /// let config = ClientConfig::from_json(&airflow_trigger::json!({"baseUrl": "http://h", "apiVersion": "v2"})).unwrap();
    /// let v = Client::new(config).run(Call::version(), &mut Canned).unwrap();
    /// assert_eq!(v["version"], "3.3.2");
    /// ```
    pub fn run(&mut self, mut call: Call, transport: &mut dyn Transport) -> Result<Value> {
        let mut action = call.next(self, Event::Start);
        loop {
            action = match action {
                Action::Done(result) => return result,
                Action::Sleep { ms, .. } => {
                    transport.sleep(ms);
                    call.next(self, Event::Slept)
                }
                Action::Send { request, timeout_ms, .. } => match transport.send(&request, timeout_ms) {
                    Answer::Response { status, content_type, body } => {
                        call.next(self, Event::Response { status, content_type: &content_type, body: &body })
                    }
                    Answer::NetworkError(message) => call.next(self, Event::NetworkError(&message)),
                    Answer::Timeout => call.next(self, Event::Timeout),
                },
            };
        }
    }

    pub(crate) fn cache_dag(&mut self, dag_id: &str, now: u64, params: Value, paused: Option<bool>) -> &mut DagDetails {
        self.dags.retain(|d| d.dag_id != dag_id);
        self.dags.push(DagDetails { dag_id: dag_id.to_string(), at: now, params, paused, validator: None });
        self.dags.last_mut().expect("just pushed")
    }
}
