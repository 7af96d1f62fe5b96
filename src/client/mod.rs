//! The trigger client: auth (including Airflow 3's token exchange), API version detection,
//! idempotent retries, timeouts and run monitoring — as state machines that do no I/O. A
//! [`Call`] says what to do next (send a request, sleep) and reads what happened, given the
//! driver's clock; [`AirflowClient`] drives it over an async [`Transport`] (reqwest, gloo-net or
//! your own), [`Client::run`] over a blocking one, the npm package's `AirflowClient` with `fetch`.

mod assets;
mod asynchronous;
mod call;
mod cancel;
#[cfg(all(feature = "gloo-net", target_arch = "wasm32"))]
mod gloo;
mod output;
#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
mod reqwest;
mod trigger;

pub use assets::{Asset, AssetEvent, AssetRef};
pub use asynchronous::{AirflowClient, MaybeSend, Progress, Transport};
pub use call::{Action, Call, Event};
pub use cancel::CancelToken;

#[cfg(all(feature = "gloo-net", target_arch = "wasm32"))]
pub use gloo::GlooTransport;
pub use output::{Dag, Output, Page, ServerVersion, TriggeredRun};
#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
pub use reqwest::ReqwestTransport;
pub use trigger::Trigger;

use crate::json::Value;

use crate::api::{ApiVersion, BaseUrl};
use crate::auth::{Auth, Secret};
use crate::error::{Error, Result};
use crate::options::Fields;
use crate::request::json_kind;

/// What a transport got for a request. Its `Debug` shows a body's length, not the body (a
/// login's answer holds a token).
///
/// # Examples
/// ```
/// use airflow_trigger::{Answer, ApiVersion, BlockingTransport, Call, Client, ClientConfig, HttpRequest, Output};
/// /// Plays answers back in order.
/// struct Script(Vec<Answer>);
/// impl BlockingTransport for Script {
///     fn send(&mut self, _request: &HttpRequest, _timeout_ms: u64) -> Answer {
///         self.0.remove(0)
///     }
///     fn sleep(&mut self, _ms: u64) {}
/// }
/// let json = |status, body: &str| {
///     Answer::Response { status, content_type: "application/json".into(), body: body.into() }
/// };
/// let mut script = Script(vec![json(503, "busy"), Answer::Timeout, json(200, r#"{"version":"2.11.2"}"#)]);
/// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V1));
/// let Output::Version(v) = client.run(Call::version(), &mut script).unwrap() else { panic!() };
/// assert_eq!(v.version, "2.11.2"); // the 503 and the timeout were retried
/// ```
#[derive(Clone, PartialEq)]
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
    /// An answer larger than [`MAX_ANSWER_BYTES`]: the transport stopped reading it.
    TooLarge {
        /// HTTP status.
        status: u16,
    },
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Response { status, content_type, body } => debug_response(f, *status, content_type, body),
            Answer::NetworkError(message) => f.debug_tuple("NetworkError").field(message).finish(),
            Answer::Timeout => f.write_str("Timeout"),
            Answer::TooLarge { status } => f.debug_struct("TooLarge").field("status", status).finish(),
        }
    }
}

/// An answer's `Debug` for [`Answer`] and [`Event`]: the body's length, never the body.
pub(crate) fn debug_response(
    f: &mut std::fmt::Formatter<'_>,
    status: u16,
    content_type: &str,
    body: &str,
) -> std::fmt::Result {
    f.debug_struct("Response")
        .field("status", &status)
        .field("content_type", &content_type)
        .field("body_bytes", &body.len())
        .finish()
}

/// The largest answer a transport reads: Airflow's answers are small (a DAG's details with its
/// Params, a page of runs), so a larger one is not Airflow's, and the call ends with `SERVER`.
///
/// # Examples
/// ```
/// assert_eq!(airflow_trigger::MAX_ANSWER_BYTES, 16 << 20);
/// ```
pub const MAX_ANSWER_BYTES: usize = 16 << 20;

/// The largest conf, as compact JSON text in bytes, that a trigger sends or a validator takes
/// (4 MiB): Airflow echoes the conf in its answer, Airflow 2 with every non-ASCII character as
/// a `\uXXXX` escape (up to 3 times the bytes), and an answer is read up to
/// [`MAX_ANSWER_BYTES`]. A larger conf would create a run whose answer cannot be read. Pass
/// large data by reference (a path or URL in the conf).
///
/// # Examples
/// ```
/// use airflow_trigger::{json, ApiVersion, TriggerOptions, MAX_CONF_BYTES};
/// let mut opts = TriggerOptions::new("http://h", ApiVersion::V2, "etl");
/// opts.conf = Some(json!({"blob": "x".repeat(MAX_CONF_BYTES)}));
/// let err = opts.build().unwrap_err();
/// assert_eq!((err.field(), err.message()), (Some("conf"), "conf: is larger than 4 MiB of JSON (4194315 bytes); pass large data by reference (a path or URL in the conf)"));
/// ```
pub const MAX_CONF_BYTES: usize = 4 << 20;

/// Sends requests for [`Client::run`]: any blocking HTTP client. It must not follow redirects
/// (a 3xx is an answer: the call ends with `BAD_REQUEST`, so credentials never reach another
/// address).
///
/// # Examples
/// ```
/// use airflow_trigger::{Answer, ApiVersion, BlockingTransport, Call, Client, ClientConfig, ErrorCode, HttpRequest};
/// /// A server that is down, on a clock of its own.
/// struct Down { sends: u32, slept_ms: u64 }
/// impl BlockingTransport for Down {
///     fn send(&mut self, _request: &HttpRequest, _timeout_ms: u64) -> Answer {
///         self.sends += 1;
///         Answer::NetworkError("connection refused".into())
///     }
///     fn sleep(&mut self, ms: u64) {
///         self.slept_ms += ms;
///     }
///     fn now_ms(&mut self) -> u64 {
///         self.slept_ms
///     }
/// }
/// let mut down = Down { sends: 0, slept_ms: 0 };
/// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2).retries(2));
/// let err = client.run(Call::version(), &mut down).unwrap_err();
/// assert_eq!((err.code(), down.sends), (ErrorCode::Network, 3)); // the first try and 2 retries
/// assert!(down.slept_ms > 0); // with backoff between them
/// ```
pub trait BlockingTransport {
    /// Sends `request`, giving up after `timeout_ms`.
    fn send(&mut self, request: &crate::HttpRequest, timeout_ms: u64) -> Answer;
    /// Waits (between retries, between polls).
    fn sleep(&mut self, ms: u64);
    /// The clock, in ms since the epoch. The default is the system's (`Date.now` in a JS host);
    /// override it where there is none (a bare `wasm32-unknown-unknown`) or to test.
    fn now_ms(&mut self) -> u64 {
        crate::platform::now_millis().unwrap_or(0)
    }
}

/// How the client authenticates.
///
/// # Examples
/// ```
/// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientAuth, ClientConfig, Event, HttpRequest, Secret};
/// let first_request = |version| -> HttpRequest {
///     let auth = ClientAuth::Password { username: "admin".into(), password: Secret::new("admin") };
///     let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(version).auth(auth));
///     let Action::Send { request, .. } = Call::version().next(&mut client, 0, Event::Start) else { panic!() };
///     request
/// };
/// // Airflow 2: Basic auth on the request itself.
/// assert_eq!(first_request(ApiVersion::V1).header("Authorization"), Some("Basic YWRtaW46YWRtaW4="));
/// // Airflow 3: a login for a JWT first.
/// let login = first_request(ApiVersion::V2);
/// assert_eq!((login.method.as_str(), login.url.as_str()), ("POST", "http://h/auth/token"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ClientAuth {
    /// A fixed credential (none, Basic, Bearer, headers).
    Fixed(Auth),
    /// A username and password: Basic on Airflow 2; on Airflow 3 exchanged at `POST /auth/token`
    /// for a JWT kept in memory, and exchanged again once when Airflow answers 401.
    Password {
        /// The Airflow user.
        username: String,
        /// Its password (serialized as `***`).
        #[cfg_attr(feature = "serde", serde(serialize_with = "Secret::serialize_masked"))]
        password: Secret,
    },
    /// The browser's session cookie (same-origin portals): `credentials: "include"`.
    Session,
}

/// The client's settings (JS: the options of `new AirflowClient`).
///
/// # Examples
/// ```
/// use airflow_trigger::{Auth, ClientAuth, ClientConfig};
/// let c = ClientConfig::new(" https://airflow.example.com/ ").unwrap();
/// assert_eq!(c.base_url.as_str(), "https://airflow.example.com");
/// assert_eq!((c.api_version, c.formats, &c.auth), (None, None, &ClientAuth::Fixed(Auth::None)));
/// assert_eq!((c.timeout_ms, c.retries, c.params_ttl_ms), (30_000, 3, 60_000));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    /// Settings for the Airflow at `base_url` (checked now), with the defaults: the version
    /// detected, no credentials, 30 s timeouts, 3 retries, Params cached for 60 s.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ClientAuth, ClientConfig, Secret};
    /// let c = ClientConfig::new("http://127.0.0.1:8080").unwrap()
    ///     .auth(ClientAuth::Password { username: "admin".into(), password: Secret::new("admin") })
    ///     .timeout_ms(10_000);
    /// assert_eq!((c.api_version, c.retries, c.timeout_ms), (None, 3, 10_000));
    /// assert!(ClientConfig::new("ftp://h").is_err());
    /// ```
    pub fn new(base_url: &str) -> Result<ClientConfig> {
        Ok(ClientConfig {
            base_url: BaseUrl::parse(base_url)?,
            api_version: None,
            auth: ClientAuth::Fixed(Auth::None),
            timeout_ms: 30_000,
            retries: 3,
            params_ttl_ms: 60_000,
            formats: None,
        })
    }

    /// Fixes the API version instead of detecting it.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, ClientConfig};
    /// assert_eq!(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V1).api_version, Some(ApiVersion::V1));
    /// ```
    pub fn api_version(mut self, version: ApiVersion) -> ClientConfig {
        self.api_version = Some(version);
        self
    }

    /// Sets the credentials.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Auth, ClientAuth, ClientConfig, Secret};
    /// let c = ClientConfig::new("http://h").unwrap().auth(ClientAuth::Fixed(Auth::Bearer { token: Secret::new("t") }));
    /// assert!(matches!(c.auth, ClientAuth::Fixed(Auth::Bearer { .. })));
    /// ```
    pub fn auth(mut self, auth: ClientAuth) -> ClientConfig {
        self.auth = auth;
        self
    }

    /// Sets the per-request timeout.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(airflow_trigger::ClientConfig::new("http://h").unwrap().timeout_ms(5).timeout_ms, 5);
    /// ```
    pub fn timeout_ms(mut self, ms: u64) -> ClientConfig {
        self.timeout_ms = ms;
        self
    }

    /// Sets how many times a request is retried after a network error, a timeout or 502/503/504.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(airflow_trigger::ClientConfig::new("http://h").unwrap().retries(0).retries, 0);
    /// ```
    pub fn retries(mut self, retries: u32) -> ClientConfig {
        self.retries = retries;
        self
    }

    /// Sets how long a DAG's details are reused (0: read them for every trigger).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(airflow_trigger::ClientConfig::new("http://h").unwrap().params_ttl_ms(0).params_ttl_ms, 0);
    /// ```
    pub fn params_ttl_ms(mut self, ms: u64) -> ClientConfig {
        self.params_ttl_ms = ms;
        self
    }

    /// Sets the formats asserted when a trigger validates conf.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ClientConfig, Formats};
    /// assert_eq!(ClientConfig::new("http://h").unwrap().formats(Formats::All).formats, Some(Formats::All));
    /// ```
    pub fn formats(mut self, formats: crate::Formats) -> ClientConfig {
        self.formats = Some(formats);
        self
    }

    /// Reads the JS options `{ baseUrl, apiVersion?, auth?, timeoutMs?, retries?, paramsTtlMs?,
    /// formats? }` (`fetch` is the JS side's).
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn from_json(value: &Value) -> Result<ClientConfig> {
        let f = Fields::new(value, "options", "")?;
        f.only(&["baseUrl", "apiVersion", "auth", "fetch", "timeoutMs", "retries", "paramsTtlMs", "formats"])?;
        let formats = match f.string("formats")? {
            None => None,
            Some(m) => Some(crate::Formats::from_name(&m).map_err(|e| Error::invalid_argument("formats", e))?),
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
                // The request auth types' error lists the client's own two as well.
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
///
/// # Examples
/// ```
/// use airflow_trigger::{Action, Call, Client, ClientConfig, Event};
/// let mut client = Client::new(ClientConfig::new("http://h").unwrap()); // the version is detected
/// let mut call = Call::get_dag("etl").unwrap();
/// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
/// assert_eq!(request.url, "http://h/api/v1/version");
/// let not_v1 = Event::Response { status: 404, content_type: "application/json", body: r#"{"detail":"Not Found"}"# };
/// let Action::Send { request, .. } = call.next(&mut client, 0, not_v1) else { panic!() };
/// assert_eq!(request.url, "http://h/api/v2/version");
/// let v2 = Event::Response { status: 200, content_type: "application/json", body: r#"{"version":"3.3.2"}"# };
/// let Action::Send { request, .. } = call.next(&mut client, 0, v2) else { panic!() };
/// assert_eq!(request.url, "http://h/api/v2/dags/etl");
/// // The client remembers: its next call asks for what it needs at once.
/// let mut next_call = Call::get_dag("etl").unwrap();
/// let Action::Send { request, .. } = next_call.next(&mut client, 0, Event::Start) else { panic!() };
/// assert_eq!(request.url, "http://h/api/v2/dags/etl");
/// ```
pub struct Client {
    pub(crate) config: ClientConfig,
    pub(crate) version: Option<ApiVersion>,
    pub(crate) token: Option<Secret>,
    pub(crate) dags: Vec<DagDetails>,
    /// splitmix64's state: run ids and retry jitter.
    rng: u64,
    /// Whether `rng` was seeded with entropy (a bare wasm32 has none: then no run id is made up).
    pub(crate) seeded: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url.as_str())
            .field("version", &self.version)
            .field("logged_in", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

/// What a client remembers of one DAG for `params_ttl_ms`.
pub(crate) struct DagDetails {
    pub(crate) dag_id: String,
    pub(crate) at: u64,
    pub(crate) params: Value,
    pub(crate) paused: Option<bool>,
    /// Compiled on the first trigger that validates, with the formats it used (`None` inside:
    /// the Params do not compile, so Airflow alone decides).
    pub(crate) validator: Option<(crate::schema::Formats, Option<crate::params::ParamsValidator>)>,
}

impl Client {
    /// A client; nothing is sent until a call runs. Its randomness (run ids, retry jitter) is
    /// seeded from the system (`Math.random` in a JS host). A bare `wasm32-unknown-unknown` has
    /// no source: there a trigger without a `dag_run_id` is refused (every instance would make
    /// the same ids); use [`Client::with_seed`] with a seed from the host's crypto.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, Client, ClientConfig};
    /// let client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// assert_eq!(client.api_version(), Some(ApiVersion::V2));
    /// ```
    pub fn new(config: ClientConfig) -> Client {
        match crate::platform::entropy() {
            Some(seed) => Client::with_seed(config, seed),
            // Every instance would make the same run ids: make none (see `Call::trigger`).
            None => Client { seeded: false, ..Client::with_seed(config, 0) },
        }
    }

    /// A client whose randomness comes from `seed` (deterministic tests; hosts without entropy).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, Call, Client, ClientConfig, Event, Trigger};
    /// let config = ClientConfig::new("http://h").unwrap().api_version(airflow_trigger::ApiVersion::V2);
    /// let run_id = |seed| {
    ///     let mut client = Client::with_seed(config.clone(), seed);
    ///     let mut call = Call::trigger("etl", Trigger::new()).unwrap();
    ///     call.next(&mut client, 0, Event::Start); // GET the DAG's details first
    ///     let details = Event::Response { status: 200, content_type: "application/json", body: r#"{"dag_id":"etl"}"# };
    ///     let Action::Send { request, .. } = call.next(&mut client, 0, details) else { panic!() };
    ///     request.body.unwrap() // POST .../dagRuns {"dag_run_id":"trigger__1970-01-01T00:00:00.000Z_…", …}
    /// };
    /// assert_eq!(run_id(7), run_id(7));
    /// assert_ne!(run_id(7), run_id(8));
    /// ```
    pub fn with_seed(config: ClientConfig, seed: u64) -> Client {
        Client { version: config.api_version, config, token: None, dags: Vec::new(), rng: seed, seeded: true }
    }

    /// Every credential this client may send, to keep them out of error messages: the
    /// configured ones, the token, and the sensitive header values of `request`.
    pub(crate) fn secrets(&self, request: Option<&crate::HttpRequest>) -> Vec<String> {
        let mut out = Vec::new();
        match &self.config.auth {
            ClientAuth::Fixed(Auth::Basic { password, .. }) | ClientAuth::Password { password, .. } => {
                out.push(password.expose().to_string())
            }
            ClientAuth::Fixed(Auth::Bearer { token }) => out.push(token.expose().to_string()),
            ClientAuth::Fixed(Auth::Headers { headers }) => {
                out.extend(headers.iter().map(|(_, v)| v.expose().to_string()))
            }
            ClientAuth::Fixed(Auth::None) | ClientAuth::Session => {}
        }
        out.extend(self.token.iter().map(|t| t.expose().to_string()));
        for h in request.map(|r| r.headers.as_slice()).unwrap_or_default().iter().filter(|h| h.sensitive) {
            out.push(h.value.clone());
            out.extend(h.value.split_once(' ').map(|(_, v)| v.to_string()));
        }
        out
    }

    /// The next 64 random bits (splitmix64).
    pub(crate) fn random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The API version, once known.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap());
    /// assert_eq!(client.api_version(), None); // not known before the first call
    /// let mut call = Call::version();
    /// call.next(&mut client, 0, Event::Start); // GET /api/v1/version
    /// let v1 = Event::Response { status: 200, content_type: "application/json", body: r#"{"version":"2.11.2"}"# };
    /// call.next(&mut client, 0, v1);
    /// assert_eq!(client.api_version(), Some(ApiVersion::V1));
    /// ```
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
    /// answers). Async code uses [`AirflowClient`].
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Answer, BlockingTransport, Call, Client, ClientConfig, HttpRequest, Output};
    /// struct Canned;
    /// impl BlockingTransport for Canned {
    ///     fn send(&mut self, _request: &HttpRequest, _timeout_ms: u64) -> Answer {
    ///         Answer::Response { status: 200, content_type: "application/json".into(), body: r#"{"version":"3.3.2"}"#.into() }
    ///     }
    ///     fn sleep(&mut self, _ms: u64) {}
    /// }
    /// let config = ClientConfig::new("http://h").unwrap().api_version(airflow_trigger::ApiVersion::V2);
    /// let Output::Version(v) = Client::new(config).run(Call::version(), &mut Canned).unwrap() else { panic!() };
    /// assert_eq!(v.version, "3.3.2");
    /// ```
    pub fn run(&mut self, mut call: Call, transport: &mut dyn BlockingTransport) -> Result<Output> {
        let mut action = call.next(self, transport.now_ms(), Event::Start);
        loop {
            action = match action {
                Action::Done(result) => return result,
                Action::Sleep { ms, .. } => {
                    transport.sleep(ms);
                    call.next(self, transport.now_ms(), Event::Slept)
                }
                Action::Send { request, timeout_ms, .. } => {
                    let answer = transport.send(&request, timeout_ms);
                    let now = transport.now_ms();
                    match answer {
                        Answer::Response { status, content_type, body } => {
                            call.next(self, now, Event::Response { status, content_type: &content_type, body: &body })
                        }
                        Answer::NetworkError(message) => call.next(self, now, Event::NetworkError(&message)),
                        Answer::Timeout => call.next(self, now, Event::Timeout),
                        Answer::TooLarge { status } => call.next(self, now, Event::TooLarge { status }),
                    }
                }
            };
        }
    }

    pub(crate) fn cache_dag(&mut self, dag_id: &str, now: u64, params: Value, paused: Option<bool>) -> &mut DagDetails {
        self.dags.retain(|d| d.dag_id != dag_id);
        self.dags.push(DagDetails { dag_id: dag_id.to_string(), at: now, params, paused, validator: None });
        self.dags.last_mut().expect("just pushed")
    }

    /// A trigger unpaused `dag_id`: its cached details say so.
    pub(crate) fn note_unpaused(&mut self, dag_id: &str) {
        for d in self.dags.iter_mut().filter(|d| d.dag_id == dag_id) {
            d.paused = Some(false);
        }
    }
}
