//! One client call as a state machine: which request next, what each answer means, when to
//! retry, log in again, read a run back after an ambiguous failure, or poll.

use crate::json::{Map, Value};

use super::assets::{Asset, AssetEvent, AssetRef};
use super::output::{Dag, Output, Page, ServerVersion, TriggeredRun};
use super::trigger::Trigger;
use super::{Client, ClientAuth, DagDetails};
use crate::api::{check_dag_id, check_dag_run_id, encode_path_segment, ApiVersion};
use crate::error::{Error, ErrorCode, Result};
use crate::params::{ParamsOptions, ParamsValidator};
use crate::request::{HttpRequest, TriggerOptions};
use crate::response::{dag_run_from, error_from_response, parse_dag_run, DagRun};
use crate::schema::json::equal;
use crate::schema::Formats;

/// What happened since the last [`Action`].
///
/// # Examples
/// ```
/// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, ErrorCode, Event};
/// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2).retries(0));
/// let mut call = Call::version();
/// call.next(&mut client, 0, Event::Start); // GET /api/v2/version
/// let Action::Done(Err(e)) = call.next(&mut client, 0, Event::NetworkError("connection refused")) else { panic!() };
/// assert_eq!(e.code(), ErrorCode::Network);
/// assert!(e.message().starts_with("Could not reach Airflow at http://h (connection refused; 1 try)"));
/// ```
pub enum Event<'a> {
    /// The call begins.
    Start,
    /// The request was answered.
    Response {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: &'a str,
        /// The body as text.
        body: &'a str,
    },
    /// The request failed without an answer (`fetch` rejected).
    NetworkError(&'a str),
    /// No answer within the request's timeout.
    Timeout,
    /// The requested sleep is over.
    Slept,
    /// The answer was larger than [`crate::MAX_ANSWER_BYTES`]; the driver stopped reading it.
    TooLarge {
        /// HTTP status.
        status: u16,
    },
    /// The caller cancelled the call (its token, its `AbortSignal`): the driver abandoned the
    /// request or sleep in flight and sends nothing more. The call ends with `CANCELLED`, saying
    /// what a POST already sent may have created.
    Cancelled,
}

/// A body's length, not the body: a login's answer holds a token.
impl std::fmt::Debug for Event<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Start => f.write_str("Start"),
            Event::Response { status, content_type, body } => super::debug_response(f, *status, content_type, body),
            Event::NetworkError(message) => f.debug_tuple("NetworkError").field(message).finish(),
            Event::Timeout => f.write_str("Timeout"),
            Event::Slept => f.write_str("Slept"),
            Event::TooLarge { status } => f.debug_struct("TooLarge").field("status", status).finish(),
            Event::Cancelled => f.write_str("Cancelled"),
        }
    }
}

/// What the driver should do next.
///
/// # Examples
/// ```
/// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientAuth, ClientConfig, Event};
/// let config = ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2).auth(ClientAuth::Session);
/// let mut client = Client::new(config.timeout_ms(5_000));
/// match Call::version().next(&mut client, 0, Event::Start) {
///     Action::Send { request, timeout_ms, include_credentials } => {
///         assert_eq!(request.url, "http://h/api/v2/version");
///         assert_eq!((timeout_ms, include_credentials), (5_000, true));
///     }
///     other => panic!("expected a request, got {other:?}"),
/// }
/// ```
#[derive(Debug)]
pub enum Action {
    /// Send `request`; give up after `timeout_ms`; `include_credentials` for session auth.
    Send {
        /// The request.
        request: HttpRequest,
        /// Its timeout.
        timeout_ms: u64,
        /// Send the browser's cookies (`credentials: "include"`).
        include_credentials: bool,
    },
    /// Wait `ms`, then report [`Event::Slept`]; `progress` is a run whose state just changed.
    Sleep {
        /// How long.
        ms: u64,
        /// For `wait_for_run`: the run, when its state changed.
        progress: Option<DagRun>,
    },
    /// The call is over.
    Done(Result<Output>),
}

enum Op {
    Trigger(Box<TriggerOptions>),
    GetRun(String, String),
    WaitForRun { dag_id: String, run_id: String, interval_ms: u64, timeout_ms: u64, deadline: Option<u64> },
    GetDag(String),
    GetParams(String),
    ListDags(Option<String>, u32),
    ListRuns(String, u32),
    Version,
    CreateAssetEvent(AssetRef, Option<Value>),
    ListAssets(Option<String>, u32),
    GetAsset(AssetRef),
    MaterializeAsset(AssetRef),
}

/// Pages of candidates (100 each) read while resolving a URI to an asset id, at most.
const RESOLVE_PAGES: u64 = 10;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Purpose {
    ProbeV2,
    ProbeV1,
    Login,
    Details,
    Trigger,
    ReadBack,
    /// Airflow 3: the asset id of a URI (`GET /assets?uri_pattern=`, matched exactly here).
    Resolve,
    /// `PATCH /dags/{dag_id}` `{"is_paused": false}` before a trigger with `unpause`.
    Unpause,
    Main,
}

/// One call of the client (see the module docs).
///
/// # Examples
/// ```
/// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event, Output};
/// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V1));
/// let mut call = Call::get_dag("etl").unwrap();
/// let body = r#"{"dag_id":"etl","is_paused":false,"tags":[{"name":"daily"}]}"#;
/// // A driver: send what the call asks for, report what happened, until it is done.
/// let mut event = Event::Start;
/// let output = loop {
///     match call.next(&mut client, 0, event) {
///         Action::Send { request, .. } => {
///             assert_eq!(request.url, "http://h/api/v1/dags/etl");
///             event = Event::Response { status: 200, content_type: "application/json", body };
///         }
///         Action::Sleep { .. } => event = Event::Slept,
///         Action::Done(result) => break result.unwrap(),
///     }
/// };
/// let Output::Dag(dag) = output else { panic!() };
/// assert_eq!(dag.tags, ["daily"]);
/// ```
pub struct Call {
    op: Op,
    current: Option<(Purpose, HttpRequest)>,
    attempt: u32,
    relogged: bool,
    /// The request a login interrupted, and how many tries it had had.
    resume: Option<(Purpose, u32)>,
    ambiguous: bool,
    paused: Option<bool>,
    last_state: Option<String>,
    retry_pending: bool,
    /// The driver's clock at the last event, in ms since the epoch.
    now: u64,
    /// `wait_for_run`'s sleeps so far.
    slept: u64,
    /// A trigger's POST was sent: a failure now may leave a run behind.
    posted: bool,
    /// A trigger's `unpause`, and whether it did.
    unpause: bool,
    unpaused: bool,
    /// The asset id a URI resolved to, and the next page of candidates.
    asset_id: Option<u64>,
    offset: u64,
    pages: u64,
    /// What `GET /api/v1/version` answered (0: no answer), for the error if v2's fails too.
    probed_v1: u16,
}

fn path(parts: &[&str]) -> String {
    parts.iter().map(|p| format!("/{}", encode_path_segment(p))).collect()
}

impl Call {
    fn new(op: Op) -> Call {
        Call {
            op,
            current: None,
            attempt: 0,
            relogged: false,
            resume: None,
            ambiguous: false,
            paused: None,
            last_state: None,
            retry_pending: false,
            now: 0,
            slept: 0,
            posted: false,
            unpause: false,
            unpaused: false,
            asset_id: None,
            offset: 0,
            pages: 0,
            probed_v1: 0,
        }
    }

    /// A trigger of `dag_id`. Everything is checked now, before anything is sent; the run id
    /// (generated at the call's start when not given) is fixed for every retry.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, Action, Call, Client, ClientConfig, Event, Trigger};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(airflow_trigger::ApiVersion::V2));
    /// let mut call = Call::trigger("etl", Trigger::new().conf(json!({"a": 1}))).unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/dags/etl/details");
    /// assert!(Call::trigger("etl", Trigger::new().conf(json!([1]))).is_err());
    /// ```
    pub fn trigger(dag_id: &str, trigger: Trigger) -> Result<Call> {
        check_dag_id(dag_id)?;
        let mut opts = TriggerOptions::new("http://placeholder", ApiVersion::V2, dag_id);
        opts.conf = trigger.conf;
        opts.dag_run_id = trigger.dag_run_id;
        opts.logical_date = trigger.logical_date;
        opts.note = trigger.note;
        opts.data_interval_start = trigger.data_interval_start;
        opts.data_interval_end = trigger.data_interval_end;
        opts.run_after = trigger.run_after;
        opts.validate = trigger.validate;
        // Everything but the URL, version and auth is checked now, before anything is sent.
        opts.check()?;
        let mut call = Call::new(Op::Trigger(Box::new(opts)));
        call.unpause = trigger.unpause;
        Ok(call)
    }

    /// `createAssetEvent`: announces that `asset` changed, so the DAGs scheduled on it run.
    /// Airflow 3 takes an asset id, so a URI is first resolved to one (matched exactly; an
    /// unknown URI is `NOT_FOUND`); Airflow 2 takes the URI. `extra` must be a JSON object.
    ///
    /// The POST is sent at most once: Airflow has no idempotency key for events, so after a
    /// failure that leaves unknown whether it arrived (no answer, a timeout, a 5xx) the call
    /// ends with that error instead of risking a second event. Everything before it (version
    /// detection, login, the URI lookup) is retried as usual.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V1));
    /// let mut call = Call::create_asset_event("s3://b/landed".into(), Some(json!({"rows": 3}))).unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!((request.method.as_str(), request.url.as_str()), ("POST", "http://h/api/v1/datasets/events"));
    /// assert_eq!(request.body.as_deref(), Some(r#"{"dataset_uri":"s3://b/landed","extra":{"rows":3}}"#));
    /// assert!(Call::create_asset_event("s3://b/landed".into(), Some(json!([1]))).is_err());
    /// ```
    pub fn create_asset_event(asset: AssetRef, extra: Option<Value>) -> Result<Call> {
        asset.check()?;
        match &extra {
            Some(e @ Value::Object(_)) if crate::json::deeper_than(e, crate::json::MAX_NESTING) => {
                return Err(Error::invalid_argument(
                    "extra",
                    format!("is nested more than {} levels deep", crate::json::MAX_NESTING),
                ))
            }
            Some(Value::Object(_)) | None => {}
            Some(other) => {
                return Err(Error::invalid_argument(
                    "extra",
                    format!("must be a JSON object such as {{\"rows\": 3}}, got {}", crate::request::json_kind(other)),
                ))
            }
        }
        Ok(Call::new(Op::CreateAssetEvent(asset, extra)))
    }

    /// `listAssets({ search, limit })`: assets (Airflow 2: datasets) whose URI contains `search`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::list_assets(Some("s3://b/".into()), 50);
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/assets?limit=50&uri_pattern=s3%3A%2F%2Fb%2F");
    /// ```
    pub fn list_assets(search: Option<String>, limit: u32) -> Call {
        Call::new(Op::ListAssets(search, limit.clamp(1, 1000)))
    }

    /// `getAsset(uri | id)`, with the DAGs scheduled on it.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::get_asset(7u64.into()).unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/assets/7");
    /// ```
    pub fn get_asset(asset: AssetRef) -> Result<Call> {
        asset.check()?;
        Ok(Call::new(Op::GetAsset(asset)))
    }

    /// `materializeAsset(uri | id)`, Airflow 3 only: runs the DAG that produces the asset. Like
    /// an event, the POST is sent at most once.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::materialize_asset(7u64.into()).unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!((request.method.as_str(), request.url.as_str()), ("POST", "http://h/api/v2/assets/7/materialize"));
    /// ```
    pub fn materialize_asset(asset: AssetRef) -> Result<Call> {
        asset.check()?;
        Ok(Call::new(Op::MaterializeAsset(asset)))
    }

    /// `getRun(dagId, runId)`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::get_run("etl", "manual__2024-01-01T00:00:00+00:00").unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/dags/etl/dagRuns/manual__2024-01-01T00%3A00%3A00%2B00%3A00");
    /// assert!(Call::get_run("etl", "bad/id").is_err());
    /// ```
    pub fn get_run(dag_id: &str, run_id: &str) -> Result<Call> {
        check_dag_id(dag_id)?;
        check_dag_run_id(run_id)?;
        Ok(Call::new(Op::GetRun(dag_id.into(), run_id.into())))
    }

    /// Polls the run every `interval_ms` (at least 100) until it succeeds or fails; gives up with
    /// a `TIMEOUT` error `timeout_ms` after the call's start.
    ///
    /// # Examples
    /// ```
    /// assert!(airflow_trigger::Call::wait_for_run("etl", "r1", 1_000, 60_000).is_ok());
    /// ```
    pub fn wait_for_run(dag_id: &str, run_id: &str, interval_ms: u64, timeout_ms: u64) -> Result<Call> {
        check_dag_id(dag_id)?;
        check_dag_run_id(run_id)?;
        Ok(Call::new(Op::WaitForRun {
            dag_id: dag_id.into(),
            run_id: run_id.into(),
            interval_ms: interval_ms.max(100),
            timeout_ms,
            deadline: None,
        }))
    }

    /// `getDag(dagId)`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::get_dag("etl").unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!((request.method.as_str(), request.url.as_str()), ("GET", "http://h/api/v2/dags/etl"));
    /// let Err(e) = Call::get_dag("") else { panic!() };
    /// assert_eq!(e.field(), Some("dagId"));
    /// ```
    pub fn get_dag(dag_id: &str) -> Result<Call> {
        check_dag_id(dag_id)?;
        Ok(Call::new(Op::GetDag(dag_id.into())))
    }

    /// `getParams(dagId)`, answered from the client's cache while it is fresh.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, Action, ApiVersion, Call, Client, ClientConfig, Event, Output};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::get_params("etl").unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/dags/etl/details");
    /// let body = r#"{"dag_id":"etl","params":{"day":{"value":null}}}"#;
    /// let answer = Event::Response { status: 200, content_type: "application/json", body };
    /// assert!(matches!(call.next(&mut client, 0, answer), Action::Done(Ok(Output::Params(_)))));
    /// // A second call within `params_ttl_ms` (60 s by default) sends nothing.
    /// let mut again = Call::get_params("etl").unwrap();
    /// let Action::Done(Ok(Output::Params(params))) = again.next(&mut client, 1_000, Event::Start) else { panic!() };
    /// assert_eq!(params, json!({"day": {"value": null}}));
    /// ```
    pub fn get_params(dag_id: &str) -> Result<Call> {
        check_dag_id(dag_id)?;
        Ok(Call::new(Op::GetParams(dag_id.into())))
    }

    /// `listDags({ search, limit })`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::list_dags(Some("etl".into()), 5_000);
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/dags?limit=1000&dag_id_pattern=etl"); // limit: 1 to 1000
    /// ```
    pub fn list_dags(search: Option<String>, limit: u32) -> Call {
        Call::new(Op::ListDags(search, limit.clamp(1, 1000)))
    }

    /// `listRuns(dagId, { limit })`: the DAG's most recent runs, newest first.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::list_runs("etl", 500).unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/dags/etl/dagRuns?limit=100&order_by=-run_after"); // limit: 1 to 100
    /// ```
    pub fn list_runs(dag_id: &str, limit: u32) -> Result<Call> {
        check_dag_id(dag_id)?;
        Ok(Call::new(Op::ListRuns(dag_id.into(), limit.clamp(1, 100))))
    }

    /// `version()`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event, Output};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::version();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// assert_eq!(request.url, "http://h/api/v2/version");
    /// let answer = Event::Response { status: 200, content_type: "application/json", body: r#"{"version":"3.3.2"}"# };
    /// let Action::Done(Ok(Output::Version(v))) = call.next(&mut client, 0, answer) else { panic!() };
    /// assert_eq!((v.version.as_str(), v.api_version), ("3.3.2", ApiVersion::V2));
    /// ```
    pub fn version() -> Call {
        Call::new(Op::Version)
    }

    /// Advances the call with what happened; `now` is the driver's clock (ms since the epoch:
    /// it dates generated run ids, ages cached Params and ends `wait_for_run`).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, ErrorCode, Event};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::get_run("etl", "r1").unwrap();
    /// let Action::Send { request, .. } = call.next(&mut client, 0, Event::Start) else { panic!() };
    /// // No answer in time: wait (backoff with jitter), then the same request again.
    /// let Action::Sleep { ms, .. } = call.next(&mut client, 30_000, Event::Timeout) else { panic!() };
    /// assert!((125..=250).contains(&ms));
    /// let Action::Send { request: again, .. } = call.next(&mut client, 30_250, Event::Slept) else { panic!() };
    /// assert_eq!(again, request);
    /// let body = r#"{"detail":"DagRun with dag_run_id: 'r1' not found"}"#;
    /// let answer = Event::Response { status: 404, content_type: "application/json", body };
    /// let Action::Done(Err(e)) = call.next(&mut client, 30_300, answer) else { panic!() };
    /// assert_eq!(e.code(), ErrorCode::NotFound);
    /// ```
    pub fn next(&mut self, client: &mut Client, now: u64, event: Event) -> Action {
        let action = match self.step(client, now, event) {
            Action::Done(Err(e)) if self.unpaused => {
                Action::Done(Err(e.note(&format!(" (This call had unpaused \"{}\" first.)", self.dag_id()))))
            }
            action => action,
        };
        match action {
            Action::Done(Err(e))
                if self.posted
                    && e.dag_run_id().is_none()
                    // A 4xx is Airflow refusing the run: nothing was created.
                    && !matches!(e.status(), Some(400..=499))
                    && matches!(
                        e.code(),
                        ErrorCode::Network | ErrorCode::Timeout | ErrorCode::Server | ErrorCode::Cancelled
                    ) =>
            {
                let id = match &self.op {
                    Op::Trigger(opts) => opts.dag_run_id.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                Action::Done(Err(e.maybe_created(&id)))
            }
            action => action,
        }
    }

    fn step(&mut self, client: &mut Client, now: u64, event: Event) -> Action {
        self.now = now;
        match event {
            Event::Start => {
                match &mut self.op {
                    Op::Trigger(opts)
                        if crate::platform::MAY_LACK_ENTROPY && opts.dag_run_id.is_none() && !client.seeded =>
                    {
                        return Action::Done(Err(Error::invalid_argument(
                            "dagRunId",
                            "is needed: this build has no entropy to make a unique one (wasm32 without the `gloo-net` feature); give a dag_run_id, or make the client with a seed from the host's crypto (Client::with_seed, AirflowClient::with_seed)",
                        )));
                    }
                    Op::Trigger(opts) if opts.dag_run_id.is_none() => {
                        opts.dag_run_id = Some(crate::run_id::format_run_id(now, client.random()));
                    }
                    Op::WaitForRun { timeout_ms, deadline, .. } => *deadline = Some(now.saturating_add(*timeout_ms)),
                    _ => {}
                }
                self.advance(client)
            }
            Event::Slept if self.retry_pending => {
                self.retry_pending = false;
                match self.current.clone() {
                    Some((purpose, request)) => self.send_again(client, purpose, request),
                    None => self.advance(client),
                }
            }
            Event::Slept => self.send(client, Purpose::Main),
            Event::Cancelled => {
                let sent = self.current.as_ref().map(|(p, _)| *p);
                let message = match sent {
                    // The wrapper in `next` names the run a trigger's POST may have created.
                    _ if self.posted => "cancelled after the POST was sent".to_string(),
                    Some(Purpose::Main) if self.once() => self.once_text("cancelled after the POST was sent"),
                    Some(Purpose::Unpause) => {
                        "cancelled while unpausing the DAG (it may be unpaused now); nothing was triggered".to_string()
                    }
                    _ => "cancelled; nothing more was sent".to_string(),
                };
                Action::Done(Err(Error::new(ErrorCode::Cancelled, message)))
            }
            Event::Timeout => self.failed(client, ErrorCode::Timeout, "no answer in time", None),
            // In a browser, a 404 without CORS headers (a proxy's, say) arrives as a network
            // failure: ask /api/v2/version before calling it one.
            Event::NetworkError(_) if self.current.as_ref().is_some_and(|(p, _)| *p == Purpose::ProbeV1) => {
                self.probed_v1 = 0;
                self.send(client, Purpose::ProbeV2)
            }
            Event::NetworkError(message) => self.failed(client, ErrorCode::Network, message, None),
            Event::Response { status, .. } | Event::TooLarge { status } if matches!(status, 301..=303 | 307 | 308) => {
                self.redirected(status)
            }
            Event::TooLarge { status } => {
                let (method, path) = self.current_method_path();
                let limit = crate::MAX_ANSWER_BYTES >> 20;
                // Airflow echoes the conf: the answer to a trigger that worked can be too large
                // to read; the wrapper in `next` then names the run.
                Action::Done(Err(Error::http(ErrorCode::Server, status, format!("Airflow's answer to {method} {path} ({status}) is larger than {limit} MiB; nothing more was read. Check that the base URL points at Airflow, and keep confs small."), None)))
            }
            Event::Response { status, body, .. } if body.len() > crate::MAX_ANSWER_BYTES => {
                self.step(client, now, Event::TooLarge { status })
            }
            Event::Response { status, content_type, body } => self.answered(client, status, content_type, body),
        }
    }

    /// The next request the call needs, given what the client knows.
    fn advance(&mut self, client: &mut Client) -> Action {
        if client.version.is_none() {
            // v1 first: Airflow 2 answers CORS only under /api/v1, so a browser probing /api/v2
            // there sees a CORS failure (and logs it); Airflow 3 answers /api/v1 with a plain 404.
            return self.send(client, Purpose::ProbeV1);
        }
        if client.needs_login() {
            return self.send(client, Purpose::Login);
        }
        if let Some((purpose, attempt)) = self.resume.take() {
            // The retries a request has had survive its logins: a server that alternates 401
            // and 503 ends the call after `retries`, not never.
            let action = self.send(client, purpose);
            self.attempt = attempt;
            return action;
        }
        match &self.op {
            Op::Trigger(opts) => {
                let (dag_id, version, formats) = (opts.dag_id.clone(), client.version, client.config.formats);
                // Details read within params_ttl_ms: one request, the trigger itself.
                // With unpause, the paused flag must be fresh: another actor may have paused it.
                let cached = if self.unpause { None } else { client.cached_dag(&dag_id, self.now) };
                let checked = cached.map(|details| self.check_conf(details, version, formats));
                match checked {
                    Some(Ok(())) if self.must_unpause() => self.send(client, Purpose::Unpause),
                    Some(Ok(())) => self.send(client, Purpose::Trigger),
                    Some(Err(e)) => Action::Done(Err(e)),
                    None => self.send(client, Purpose::Details),
                }
            }
            Op::GetParams(dag_id) => match client.cached_dag(dag_id, self.now) {
                Some(details) => Action::Done(Ok(Output::Params(details.params.clone()))),
                None => self.send(client, Purpose::Main),
            },
            Op::CreateAssetEvent(asset, _) | Op::GetAsset(asset) | Op::MaterializeAsset(asset) => {
                let materialize = matches!(self.op, Op::MaterializeAsset(_));
                match (client.version, asset) {
                    (Some(ApiVersion::V1), _) if materialize => Action::Done(Err(Error::invalid_argument(
                        "asset",
                        "Airflow 2 cannot materialize: trigger the DAG that produces the dataset instead",
                    ))),
                    (Some(ApiVersion::V1), AssetRef::Id(_)) => Action::Done(Err(Error::invalid_argument(
                        "assetId",
                        "Airflow 2's API names datasets by URI: give the uri instead",
                    ))),
                    (Some(ApiVersion::V2), AssetRef::Uri(_)) if self.asset_id.is_none() => {
                        self.send(client, Purpose::Resolve)
                    }
                    _ => self.send(client, Purpose::Main),
                }
            }
            _ => self.send(client, Purpose::Main),
        }
    }

    /// Whether the call's POST is sent at most once (nothing tells a second from the first).
    fn once(&self) -> bool {
        matches!(self.op, Op::CreateAssetEvent(..) | Op::MaterializeAsset(_))
    }

    /// Why a POST sent at most once may have left an event (or a materialized run) behind.
    fn once_text(&self, said: &str) -> String {
        let what = if matches!(self.op, Op::MaterializeAsset(_)) { "run" } else { "event" };
        format!("{said}: the {what} may or may not exist. It is never sent twice (Airflow has no idempotency key for it): look for it in Airflow before sending it again.")
    }

    /// Whether a trigger must unpause its DAG before the POST.
    fn must_unpause(&self) -> bool {
        self.unpause && !self.unpaused && self.paused == Some(true)
    }

    /// The asset id a call sends: the one given, or the one its URI resolved to.
    fn asset_id(&self) -> u64 {
        match &self.op {
            Op::CreateAssetEvent(AssetRef::Id(id), _)
            | Op::GetAsset(AssetRef::Id(id))
            | Op::MaterializeAsset(AssetRef::Id(id)) => *id,
            _ => self.asset_id.unwrap_or_default(),
        }
    }

    fn asset(&self) -> Option<&AssetRef> {
        match &self.op {
            Op::CreateAssetEvent(asset, _) | Op::GetAsset(asset) | Op::MaterializeAsset(asset) => Some(asset),
            _ => None,
        }
    }

    fn request(&self, client: &Client, purpose: Purpose) -> Result<HttpRequest> {
        let base = &client.config.base_url;
        let version = client.version.unwrap_or(ApiVersion::V2);
        let auth = client.request_auth();
        let get = |p: String| HttpRequest::json("GET", base.api_url(version, &p), &auth, None);
        match purpose {
            Purpose::ProbeV2 => HttpRequest::json("GET", base.url("/api/v2/version"), &crate::Auth::None, None),
            Purpose::ProbeV1 => HttpRequest::json("GET", base.url("/api/v1/version"), &crate::Auth::None, None),
            Purpose::Login => {
                let ClientAuth::Password { username, password } = &client.config.auth else {
                    return Err(Error::new(ErrorCode::InvalidArgument, "only password auth logs in"));
                };
                let body = Value::Object(Map::from_iter([
                    ("username".to_string(), Value::String(username.clone())),
                    ("password".to_string(), Value::String(password.expose().to_string())),
                ]));
                let mut login =
                    HttpRequest::json("POST", base.url("/auth/token"), &crate::Auth::None, Some(body.to_string()))?;
                login.body_sensitive = true;
                Ok(login)
            }
            Purpose::Details => get(format!("{}/details", path(&["dags", self.dag_id()]))),
            Purpose::Trigger => {
                let Op::Trigger(opts) = &self.op else { return Err(not_a_trigger()) };
                opts.build_for(base, version, &auth)
            }
            Purpose::ReadBack => {
                let Op::Trigger(opts) = &self.op else { return Err(not_a_trigger()) };
                get(path(&["dags", &opts.dag_id, "dagRuns", opts.dag_run_id.as_deref().unwrap_or_default()]))
            }
            Purpose::Unpause => {
                // Airflow 2 needs the mask; Airflow 3 patches what the body holds.
                let mask = if version == ApiVersion::V1 { "?update_mask=is_paused" } else { "" };
                let url = base.api_url(version, &format!("{}{mask}", path(&["dags", self.dag_id()])));
                HttpRequest::json("PATCH", url, &auth, Some(r#"{"is_paused":false}"#.to_string()))
            }
            Purpose::Resolve => {
                let Some(AssetRef::Uri(uri)) = self.asset() else { return Err(not_a_trigger()) };
                // A substring search (every Airflow 3; `|` reads as "or", `%` and `_` as
                // wildcards): always a superset of the exact match, which is made here.
                get(format!("/assets?uri_pattern={}&limit=100&offset={}", encode_path_segment(uri), self.offset))
            }
            Purpose::Main => match &self.op {
                Op::GetRun(d, r) | Op::WaitForRun { dag_id: d, run_id: r, .. } => get(path(&["dags", d, "dagRuns", r])),
                Op::GetDag(d) => get(path(&["dags", d])),
                Op::GetParams(d) => get(format!("{}/details", path(&["dags", d]))),
                Op::ListDags(search, limit) => {
                    let mut q = format!("/dags?limit={limit}");
                    if let Some(s) = search {
                        q.push_str(&format!("&dag_id_pattern={}", encode_path_segment(s)));
                    }
                    get(q)
                }
                Op::ListRuns(d, limit) => {
                    // Airflow 3 may have no logical date; run_after orders every run there.
                    let order = if version == ApiVersion::V1 { "-execution_date" } else { "-run_after" };
                    get(format!("{}?limit={limit}&order_by={order}", path(&["dags", d, "dagRuns"])))
                }
                Op::Version => get("/version".into()),
                Op::Trigger(_) => get(String::new()),
                Op::ListAssets(search, limit) => {
                    let (list, filter) =
                        if version == ApiVersion::V1 { ("datasets", "uri_pattern") } else { ("assets", "uri_pattern") };
                    let mut q = format!("/{list}?limit={limit}");
                    if let Some(s) = search {
                        q.push_str(&format!("&{filter}={}", encode_path_segment(s)));
                    }
                    get(q)
                }
                Op::GetAsset(asset) => match (version, asset) {
                    (ApiVersion::V1, AssetRef::Uri(uri)) => get(path(&["datasets", uri])),
                    _ => get(format!("/assets/{}", self.asset_id())),
                },
                Op::CreateAssetEvent(asset, extra) => {
                    let mut body = Map::new();
                    match (version, asset) {
                        (ApiVersion::V1, AssetRef::Uri(uri)) => {
                            body.insert("dataset_uri".into(), Value::String(uri.clone()));
                        }
                        _ => {
                            body.insert("asset_id".into(), Value::Number(self.asset_id().into()));
                        }
                    }
                    if let Some(extra) = extra {
                        body.insert("extra".into(), extra.clone());
                    }
                    let list = if version == ApiVersion::V1 { "/datasets/events" } else { "/assets/events" };
                    HttpRequest::json("POST", base.api_url(version, list), &auth, Some(Value::Object(body).to_string()))
                }
                Op::MaterializeAsset(_) => {
                    let url = base.api_url(version, &format!("/assets/{}/materialize", self.asset_id()));
                    HttpRequest::json("POST", url, &auth, Some("{}".to_string()))
                }
            },
        }
    }

    fn dag_id(&self) -> &str {
        match &self.op {
            Op::Trigger(o) => &o.dag_id,
            Op::GetRun(d, _)
            | Op::GetDag(d)
            | Op::GetParams(d)
            | Op::ListRuns(d, _)
            | Op::WaitForRun { dag_id: d, .. } => d,
            Op::ListDags(..)
            | Op::Version
            | Op::CreateAssetEvent(..)
            | Op::ListAssets(..)
            | Op::GetAsset(_)
            | Op::MaterializeAsset(_) => "",
        }
    }

    fn send(&mut self, client: &mut Client, purpose: Purpose) -> Action {
        self.attempt = 0;
        match self.request(client, purpose) {
            Ok(request) => self.send_again(client, purpose, request),
            Err(e) => Action::Done(Err(e)),
        }
    }

    fn send_again(&mut self, client: &Client, purpose: Purpose, request: HttpRequest) -> Action {
        self.posted |= purpose == Purpose::Trigger;
        self.current = Some((purpose, request.clone()));
        Action::Send {
            request,
            timeout_ms: client.config.timeout_ms,
            include_credentials: client.config.auth == ClientAuth::Session,
        }
    }

    /// A network error, a timeout or a 502/503/504: retry with backoff and jitter, or give up.
    fn failed(&mut self, client: &mut Client, code: ErrorCode, message: &str, status: Option<u16>) -> Action {
        let purpose = self.current.as_ref().map(|(p, _)| *p);
        if purpose == Some(Purpose::Trigger) {
            // Airflow may have created the run: a 409 on the retry must be read back, not trusted.
            self.ambiguous = true;
        }
        if purpose == Some(Purpose::Main) && self.once() {
            // Nothing tells a second event from the first: sent at most once.
            let said = match status {
                Some(status) => format!("Airflow answered {status}"),
                None if code == ErrorCode::Timeout => "no answer came in time".to_string(),
                None => format!("the request failed ({message})"),
            };
            let text = self.once_text(&said);
            return Action::Done(Err(match status {
                Some(status) => Error::http(code, status, text, None),
                None => Error::new(code, text),
            }));
        }
        if self.attempt < client.config.retries {
            self.attempt += 1;
            self.retry_pending = true;
            if purpose != Some(Purpose::Login) {
                // Time passed since the last login: a token that was fresh may have expired meanwhile.
                self.relogged = false;
            }
            let cap = (250u64 << (self.attempt - 1).min(5)).min(5_000);
            let ms = cap / 2 + client.random() % (cap / 2 + 1);
            return Action::Sleep { ms, progress: None };
        }
        let base = client.config.base_url.as_str();
        let tries = self.attempt + 1;
        Action::Done(Err(match code {
            ErrorCode::Timeout => Error::new(
                ErrorCode::Timeout,
                format!("Airflow at {base} did not answer within {} ms ({tries} {}). Raise timeoutMs, or check the server's load.", client.config.timeout_ms, if tries == 1 { "try" } else { "tries" }),
            ),
            ErrorCode::Network => Error::new(
                ErrorCode::Network,
                format!("Could not reach Airflow at {base} ({message}; {tries} {}). Check that it runs and the URL is right. In a browser, a CORS refusal looks exactly like this: open the developer console, and make sure Airflow's [api] access_control_allow_origins lists this page's origin.", if tries == 1 { "try" } else { "tries" }),
            ),
            other => match status {
                Some(status) => Error::http(other, status, message, None),
                None => Error::new(other, message),
            },
        }))
    }

    fn answered(&mut self, client: &mut Client, status: u16, content_type: &str, body: &str) -> Action {
        let Some(purpose) = self.current.as_ref().map(|(p, _)| *p) else {
            return Action::Done(Err(Error::new(ErrorCode::InvalidArgument, "no request was sent")));
        };
        let version = client.version.unwrap_or(ApiVersion::V2);
        let ok = (200..300).contains(&status);
        match purpose {
            Purpose::ProbeV1 | Purpose::ProbeV2 => {
                // A version answer, not a UI page or a proxy's 404.
                if ok && crate::json::Value::parse_answer(body).is_ok_and(|v| v.get("version").is_some()) {
                    client.version = Some(if purpose == Purpose::ProbeV1 { ApiVersion::V1 } else { ApiVersion::V2 });
                    return self.advance(client);
                }
                let path = if purpose == Purpose::ProbeV1 { "/api/v1/version" } else { "/api/v2/version" };
                // A server that is busy or failing is retried as any request is, not judged.
                if status == 429 || status >= 500 {
                    return self.failed(
                        client,
                        ErrorCode::Server,
                        &format!("GET {path} answered {status}"),
                        Some(status),
                    );
                }
                // v1 refused (a proxy may guard /api/v1 alone): v2 is asked all the same.
                if purpose == Purpose::ProbeV1 {
                    self.probed_v1 = status;
                    return self.send(client, Purpose::ProbeV2);
                }
                // Airflow serves its version to anyone: a proxy in front of it wants credentials.
                if matches!(status, 401 | 403) {
                    return Action::Done(Err(Error::http(
                        ErrorCode::from_status(status),
                        status,
                        format!("GET {path} answered {status} (/api/v1/version {}): something in front of Airflow wants credentials; set apiVersion.", self.probed_v1),
                        None,
                    )));
                }
                let answer = |v: u8, s: u16| match s {
                    0 => format!("GET /api/v{v}/version got no answer"),
                    200..=299 => format!("GET /api/v{v}/version answered {s} without a version"),
                    _ => format!("GET /api/v{v}/version answered {s}"),
                };
                return Action::Done(Err(Error::http(
                    ErrorCode::NotAirflow,
                    status,
                    format!(
                        "{} does not look like Airflow's REST API: {}, {}. Check baseUrl, or set apiVersion.",
                        client.config.base_url.as_str(),
                        answer(1, self.probed_v1),
                        answer(2, status)
                    ),
                    None,
                )));
            }
            Purpose::Login => {
                let token = crate::json::Value::parse_answer(body)
                    .ok()
                    .and_then(|v| v.get("access_token").and_then(Value::as_str).map(String::from));
                // A token goes into a header: visible ASCII only, or it is not a token.
                let sendable = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic());
                return match (ok, token) {
                    (true, Some(t)) if sendable(&t) => {
                        client.token = Some(crate::Secret::new(t));
                        self.advance(client)
                    }
                    (true, _) => Action::Done(Err(Error::http(
                        ErrorCode::Server,
                        status,
                        "Airflow's answer to POST /auth/token holds no access_token that can be sent in a header. Check that the base URL points at Airflow 3's API server.",
                        None,
                    ))),
                    _ if status >= 500 || matches!(status, 502..=504) => {
                        self.failed(client, ErrorCode::Server, &format!("POST /auth/token answered {status}"), Some(status))
                    }
                    _ => Action::Done(Err(Error::http(
                        ErrorCode::Unauthorized,
                        status,
                        format!("Airflow refused the username or password at POST /auth/token ({status}). Check them."),
                        None,
                    ))),
                };
            }
            _ => {}
        }
        // A token that expired (or was revoked): log in again, once, and repeat the request.
        if status == 401
            && matches!(client.config.auth, ClientAuth::Password { .. })
            && version == ApiVersion::V2
            && !self.relogged
        {
            self.relogged = true;
            client.token = None;
            self.resume = Some((purpose, self.attempt));
            return self.send(client, Purpose::Login);
        }
        // Once per request: a long waitForRun may outlive several tokens.
        self.relogged = false;
        if matches!(status, 502..=504) || status >= 500 && purpose == Purpose::Main && self.once() {
            return self.failed(
                client,
                ErrorCode::Server,
                &format!(
                    "Airflow answered {status}; the server or a proxy in front of it failed. Retrying later may help."
                ),
                Some(status),
            );
        }
        if purpose == Purpose::ReadBack && status == 404 {
            // Airflow answered 409 to the trigger, yet holds no run with its id: another run
            // holds what must be unique (Airflow 2: one run per logical date).
            let Op::Trigger(opts) = &self.op else { return Action::Done(Err(not_a_trigger())) };
            return Action::Done(Err(Error::new(
                ErrorCode::Conflict,
                format!("Airflow refused the trigger as a conflict (409), and no run \"{}\" exists: another run of \"{}\" already has this logical date. Give another logicalDate, or leave it out.", opts.dag_run_id.as_deref().unwrap_or_default(), opts.dag_id),
            )));
        }
        if status == 404 && purpose == Purpose::Main {
            if let Some(asset) = self.asset() {
                let e = error_from_response(version, status, content_type, body);
                let what = if version == ApiVersion::V1 { "dataset" } else { "asset" };
                let message = if matches!(self.op, Op::MaterializeAsset(_)) {
                    format!(
                        "Airflow cannot materialize the asset with {} ({}): only a task's outlet can be.",
                        asset.describe(),
                        e.detail().unwrap_or("404")
                    )
                } else {
                    format!(
                        "Airflow knows no {what} with {}. Check it, and that a DAG using it has been parsed.",
                        asset.describe()
                    )
                };
                return Action::Done(Err(Error::http(
                    ErrorCode::NotFound,
                    status,
                    message,
                    e.detail().map(String::from),
                )));
            }
        }
        if !(ok || purpose == Purpose::Trigger && status == 409 && self.ambiguous) {
            let secrets = client.secrets(self.current.as_ref().map(|(_, r)| r));
            let e = error_from_response(version, status, content_type, body).scrubbed(&secrets);
            let detail = e.detail().map(String::from);
            let message = match purpose {
                Purpose::Unpause => format!("Airflow refused to unpause the DAG ({status}); nothing was triggered. Unpausing needs edit permission on it. {}", e.message()),
                Purpose::Resolve => format!("GET /assets (the URI's id) answered {status}: {}", e.message()),
                _ => return Action::Done(Err(e)),
            };
            return Action::Done(Err(Error::http(e.code(), status, message, detail)));
        }
        match purpose {
            Purpose::Details => match self.check_details(client, body) {
                Ok(()) if self.must_unpause() => self.send(client, Purpose::Unpause),
                Ok(()) => self.send(client, Purpose::Trigger),
                Err(e) => Action::Done(Err(e)),
            },
            Purpose::Unpause => {
                self.unpaused = true;
                self.paused = Some(false);
                client.note_unpaused(self.dag_id());
                self.send(client, Purpose::Trigger)
            }
            Purpose::Resolve => self.resolved(client, body),
            Purpose::Trigger if status == 409 => self.send(client, Purpose::ReadBack),
            Purpose::Trigger => Action::Done(parse_dag_run(body).map(|run| self.trigger_result(run, false))),
            Purpose::ReadBack => Action::Done(parse_dag_run(body).and_then(|run| {
                let Op::Trigger(opts) = &self.op else { return Err(not_a_trigger()) };
                // The run is this trigger's only if it has every field the trigger set.
                let wanted = opts.conf.clone().unwrap_or(Value::Object(Map::new()));
                let text = |note: &Option<String>| note.clone().filter(|n| !n.is_empty());
                let mut differ = Vec::new();
                if !equal(&run.conf, &wanted) {
                    differ.push("conf");
                }
                if text(&run.note) != text(&opts.note) {
                    differ.push("note");
                }
                if let Some(date) = &opts.logical_date {
                    if !run.logical_date.as_deref().is_some_and(|d| same_instant(d, date)) {
                        differ.push("logicalDate");
                    }
                }
                if differ.is_empty() {
                    Ok(self.trigger_result(run, true))
                } else {
                    Err(Error::new(
                        ErrorCode::Conflict,
                        format!("A run with dagRunId \"{}\" already exists with another {}. Use another dagRunId, or leave it out to get a fresh one.", run.dag_run_id, crate::text::join(&differ, " and ")),
                    ))
                }
            })),
            _ => self.main_answer(client, body),
        }
    }

    /// The method and path (no query) of the request in flight, for messages.
    fn current_method_path(&self) -> (&str, String) {
        let (method, url) = self.current.as_ref().map(|(_, r)| (r.method.as_str(), r.url.as_str())).unwrap_or_default();
        // split_once, not indexing: a str slice brings core's panic formatting into the wasm.
        let path = url.split_once("://").and_then(|(_, rest)| rest.split_once('/')).map_or("", |(_, path)| path);
        (method, format!("/{}", path.split('?').next().unwrap_or(path)))
    }

    /// A redirect, whatever the request: only a driver that follows none gets here, so the
    /// credentials stayed home.
    fn redirected(&self, status: u16) -> Action {
        let (method, path) = self.current_method_path();
        Action::Done(Err(Error::http(
            ErrorCode::BadRequest,
            status,
            format!("Airflow answered {method} {path} with a redirect ({status}). airflow-trigger does not follow redirects, so the credentials never go to another address: set the base URL to the address Airflow answers at itself (scheme, host, port and path prefix)."),
            None,
        )))
    }

    fn trigger_result(&self, run: DagRun, already_existed: bool) -> Output {
        Output::Triggered(TriggeredRun {
            run,
            already_existed,
            dag_paused: self.paused.unwrap_or(false),
            unpaused: self.unpaused,
        })
    }

    /// A page of candidates for a URI: the exact match goes on, or the next page, or NOT_FOUND.
    fn resolved(&mut self, client: &mut Client, body: &str) -> Action {
        let Some(AssetRef::Uri(uri)) = self.asset().cloned() else { return Action::Done(Err(not_a_trigger())) };
        let Ok(page) = crate::json::Value::parse_answer(body) else {
            return Action::Done(Err(Error::new(ErrorCode::Server, "Airflow's list of assets is not JSON")));
        };
        let assets = page.get("assets").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(found) = assets.iter().find(|a| a.get("uri").and_then(Value::as_str) == Some(uri.as_str())) {
            if matches!(self.op, Op::GetAsset(_)) {
                return Action::Done(Ok(Output::Asset(Asset::from_raw(found.clone()))));
            }
            let Some(id) = found.get("id").and_then(Value::as_u64) else {
                return Action::Done(Err(Error::new(ErrorCode::Server, "Airflow's asset has no id")));
            };
            self.asset_id = Some(id);
            return self.send(client, Purpose::Main);
        }
        // A full page may have more after it, whatever total_entries says (or leaves out).
        let total = page.get("total_entries").and_then(Value::as_u64);
        self.offset += assets.len() as u64;
        self.pages += 1;
        let more = assets.len() >= 100 || total.is_some_and(|t| self.offset < t);
        if more && !assets.is_empty() && self.pages < RESOLVE_PAGES {
            return self.send(client, Purpose::Resolve);
        }
        if more && !assets.is_empty() {
            return Action::Done(Err(Error::invalid_argument(
                "uri",
                format!(
                    "{} is not among the {} assets with URIs like it: give the asset's id instead",
                    crate::json::quoted(&uri),
                    self.offset
                ),
            )));
        }
        Action::Done(Err(Error::new(
            ErrorCode::NotFound,
            format!("Airflow knows no asset with URI {}. Check it (URIs match exactly, never as a pattern), and that a DAG using it has been parsed.", crate::json::quoted(&uri)),
        )))
    }

    /// The DAG's details before a trigger: remember them, then check conf.
    fn check_details(&mut self, client: &mut Client, body: &str) -> Result<()> {
        let details: Value = crate::json::Value::parse_answer(body)
            .map_err(|_| Error::new(ErrorCode::Server, "Airflow's DAG details are not JSON"))?;
        let paused = details.get("is_paused").and_then(Value::as_bool);
        let params = details.get("params").cloned().unwrap_or(Value::Object(Map::new()));
        let Op::Trigger(opts) = &self.op else { return Ok(()) };
        let (version, formats) = (client.version, client.config.formats);
        let cached = client.cache_dag(&opts.dag_id, self.now, params, paused);
        self.check_conf(cached, version, formats)
    }

    /// Notes whether the DAG is paused and validates conf against its Params (compiled once
    /// per client and formats).
    fn check_conf(
        &mut self,
        details: &mut DagDetails,
        version: Option<ApiVersion>,
        formats: Option<Formats>,
    ) -> Result<()> {
        self.paused = details.paused;
        let Op::Trigger(opts) = &self.op else { return Ok(()) };
        if !opts.validate {
            return Ok(());
        }
        let by_version = if version == Some(ApiVersion::V1) { Formats::Airflow2 } else { Formats::Airflow3 };
        let formats = formats.unwrap_or(by_version);
        let validator = match &mut details.validator {
            Some((compiled_for, validator)) if *compiled_for == formats => validator,
            slot => {
                // Params this build cannot compile (a schema Airflow refuses too, one past this
                // crate's limits, or, without python-re, one Airflow reads with Python's re) are
                // not checked here: Airflow's own answer decides.
                let validator =
                    ParamsValidator::new(&details.params, ParamsOptions { formats, ..Default::default() }).ok();
                &slot.insert((formats, validator)).1
            }
        };
        let Some(validator) = validator else { return Ok(()) };
        let empty;
        let conf = match &opts.conf {
            Some(conf) => conf,
            None => {
                empty = Value::Object(Map::new());
                &empty
            }
        };
        let errors = validator.errors(conf);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid_conf(errors))
        }
    }

    fn main_answer(&mut self, client: &mut Client, body: &str) -> Action {
        let parsed: Value = match crate::json::Value::parse_answer(body) {
            Ok(v) => v,
            Err(_) => return Action::Done(Err(Error::new(ErrorCode::Server, "Airflow's answer is not JSON"))),
        };
        let version = client.version.unwrap_or(ApiVersion::V2);
        match &self.op {
            Op::GetRun(..) => Action::Done(dag_run_from(parsed).map(Output::Run)),
            Op::WaitForRun { interval_ms, deadline, run_id, timeout_ms, .. } => {
                let run = match dag_run_from(parsed) {
                    Ok(run) => run,
                    Err(e) => return Action::Done(Err(e)),
                };
                let changed = self.last_state.as_deref() != Some(run.state.as_str());
                self.last_state = Some(run.state.clone());
                if run.is_finished() {
                    return Action::Done(Ok(Output::Run(run)));
                }
                // The deadline is the clock's, or the time slept when the clock stands still.
                let (deadline, timeout_ms) = (deadline.unwrap_or(0), *timeout_ms);
                if self.now >= deadline || self.slept >= timeout_ms {
                    return Action::Done(Err(Error::new(
                        ErrorCode::Timeout,
                        format!("run \"{run_id}\" is still {} at the end of waitForRun's timeout; call waitForRun again to keep waiting", run.state),
                    )));
                }
                // Never sleep past the deadline.
                let left = deadline.saturating_sub(self.now).min(timeout_ms - self.slept);
                let ms = (*interval_ms).min(left).max(1);
                self.slept += ms;
                Action::Sleep { ms, progress: changed.then_some(run) }
            }
            Op::GetDag(_) => Action::Done(Ok(Output::Dag(Dag::from_raw(parsed)))),
            Op::GetParams(dag_id) => {
                let params = parsed.get("params").cloned().unwrap_or(Value::Object(Map::new()));
                let paused = parsed.get("is_paused").and_then(Value::as_bool);
                client.cache_dag(dag_id, self.now, params.clone(), paused);
                Action::Done(Ok(Output::Params(params)))
            }
            Op::ListDags(..) => {
                let items = parsed
                    .get("dags")
                    .and_then(Value::as_array)
                    .map(|d| d.iter().map(|d| Dag::from_raw(d.clone())).collect())
                    .unwrap_or_default();
                let total_entries = parsed.get("total_entries").and_then(Value::as_u64);
                Action::Done(Ok(Output::Dags(Page { items, total_entries })))
            }
            Op::ListRuns(..) => {
                let runs: Result<Vec<DagRun>> = parsed
                    .get("dag_runs")
                    .and_then(Value::as_array)
                    .map(|runs| runs.iter().map(|r| dag_run_from(r.clone())).collect())
                    .unwrap_or_else(|| Ok(Vec::new()));
                let total_entries = parsed.get("total_entries").and_then(Value::as_u64);
                Action::Done(runs.map(|items| Output::Runs(Page { items, total_entries })))
            }
            Op::Version => Action::Done(Ok(Output::Version(ServerVersion {
                version: parsed.get("version").and_then(Value::as_str).unwrap_or_default().to_string(),
                api_version: version,
            }))),
            Op::Trigger(_) => Action::Done(Err(Error::new(ErrorCode::Server, "unexpected answer"))),
            Op::CreateAssetEvent(..) => Action::Done(Ok(Output::AssetEvent(AssetEvent::from_raw(parsed)))),
            Op::GetAsset(_) => Action::Done(Ok(Output::Asset(Asset::from_raw(parsed)))),
            Op::ListAssets(..) => {
                let list = if version == ApiVersion::V1 { "datasets" } else { "assets" };
                let items = parsed
                    .get(list)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|a| Asset::from_raw(a.clone())).collect())
                    .unwrap_or_default();
                let total_entries = parsed.get("total_entries").and_then(Value::as_u64);
                Action::Done(Ok(Output::Assets(Page { items, total_entries })))
            }
            Op::MaterializeAsset(_) => Action::Done(dag_run_from(parsed).map(Output::Run)),
        }
    }
}

/// Whether two RFC 3339 date-times are the same instant (Airflow answers in UTC, with
/// microseconds, whatever offset and precision the trigger sent).
fn same_instant(a: &str, b: &str) -> bool {
    fn instant(s: &[u8]) -> Option<(i64, u32)> {
        let num = |at: usize, len: usize| {
            s.get(at..at + len)?.iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
        };
        // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
        let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let seconds = num(11, 2)? * 3_600 + num(14, 2)? * 60 + num(17, 2)?;
        let (mut at, mut nanos, mut digits) = (19, 0u32, 0);
        if s.get(at) == Some(&b'.') {
            at += 1;
            while let Some(&c) = s.get(at).filter(|c| c.is_ascii_digit()) {
                if digits < 9 {
                    nanos = nanos * 10 + u32::from(c - b'0');
                    digits += 1;
                }
                at += 1;
            }
        }
        for _ in digits..9 {
            nanos *= 10;
        }
        let offset = match *s.get(at)? {
            b'Z' | b'z' => 0,
            b'+' => num(at + 1, 2)? * 3_600 + num(at + 4, 2)? * 60,
            b'-' => -(num(at + 1, 2)? * 3_600 + num(at + 4, 2)? * 60),
            _ => return None,
        };
        // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let y = if m <= 2 { y - 1 } else { y };
        let (era, yoe) = (y.div_euclid(400), y.rem_euclid(400));
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
        Some((days * 86_400 + seconds - offset, nanos))
    }
    matches!((instant(a.as_bytes()), instant(b.as_bytes())), (Some(x), Some(y)) if x == y)
}

fn not_a_trigger() -> Error {
    Error::new(ErrorCode::InvalidArgument, "this call is not a trigger")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClientConfig;

    #[test]
    fn without_entropy_no_run_id_is_made_up() {
        // A bare wasm32's Client::new: every instance would make the same ids.
        let config = ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2);
        let mut client = Client { seeded: false, ..Client::with_seed(config.clone(), 0) };
        let mut call = Call::trigger("etl", crate::Trigger::new()).unwrap();
        let Action::Done(Err(e)) = call.next(&mut client, 0, Event::Start) else { panic!("sent something") };
        assert_eq!(e.field(), Some("dagRunId"));
        // With its own id, or a seed from the host, it goes on.
        let mut call = Call::trigger("etl", crate::Trigger::new().dag_run_id("r1")).unwrap();
        assert!(matches!(call.next(&mut client, 0, Event::Start), Action::Send { .. }));
        let mut seeded = Client::with_seed(config, 42);
        let mut call = Call::trigger("etl", crate::Trigger::new()).unwrap();
        assert!(matches!(call.next(&mut seeded, 0, Event::Start), Action::Send { .. }));
    }
}
