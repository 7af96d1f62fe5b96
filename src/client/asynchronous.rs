//! The typed async client: [`AirflowClient`] drives the same [`Call`] state machines as every
//! other driver, over an async [`Transport`].

use std::future::Future;
use std::sync::{Arc, Mutex};

use super::{
    Action, Answer, Asset, AssetEvent, AssetRef, Call, CancelToken, Client, ClientConfig, Dag, Event, Output, Page,
    ServerVersion, Trigger, TriggeredRun,
};
use crate::error::{Error, ErrorCode, Result};
use crate::json::Value;
use crate::request::HttpRequest;
use crate::response::DagRun;

/// `Send` where futures can move between threads (natively); nothing on wasm32, where a JS
/// host's futures hold JS values and never leave their thread.
///
/// # Examples
/// ```
/// use airflow_trigger::MaybeSend;
/// fn spawnable<F: std::future::Future + MaybeSend>(future: F) -> F {
///     future
/// }
/// // Natively every `Send` future is `MaybeSend` (on wasm32, every future is).
/// let _ = spawnable(async { 1 + 1 });
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}
/// `Send` where futures can move between threads (natively); nothing on wasm32, where a JS
/// host's futures hold JS values and never leave their thread.
///
/// # Examples
/// ```
/// use airflow_trigger::MaybeSend;
/// fn spawnable<F: std::future::Future + MaybeSend>(future: F) -> F {
///     future
/// }
/// // Natively every `Send` future is `MaybeSend` (on wasm32, every future is).
/// let _ = spawnable(async { 1 + 1 });
/// ```
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// A progress callback for [`AirflowClient::run`]: `Send` natively, anything on wasm32 (a DOM
/// element, an `Rc<RefCell<_>>`).
///
/// # Examples
/// ```
/// fn report(progress: &mut airflow_trigger::Progress<'_>, run: &airflow_trigger::DagRun) {
///     progress(run);
/// }
/// let run = airflow_trigger::parse_dag_run(r#"{"dag_id":"d","dag_run_id":"r","state":"running"}"#).unwrap();
/// let mut seen = Vec::new();
/// report(&mut |r| seen.push(r.state.clone()), &run);
/// assert_eq!(seen, ["running"]);
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub type Progress<'a> = dyn FnMut(&DagRun) + Send + 'a;
/// A progress callback for [`AirflowClient::run`]: `Send` natively, anything on wasm32 (a DOM
/// element, an `Rc<RefCell<_>>`).
///
/// # Examples
/// ```
/// fn report(progress: &mut airflow_trigger::Progress<'_>, run: &airflow_trigger::DagRun) {
///     progress(run);
/// }
/// let run = airflow_trigger::parse_dag_run(r#"{"dag_id":"d","dag_run_id":"r","state":"running"}"#).unwrap();
/// let mut seen = Vec::new();
/// report(&mut |r| seen.push(r.state.clone()), &run);
/// assert_eq!(seen, ["running"]);
/// ```
#[cfg(target_arch = "wasm32")]
pub type Progress<'a> = dyn FnMut(&DagRun) + 'a;

/// An async HTTP client for [`AirflowClient`]: the crate has one for reqwest (feature
/// `reqwest`, native) and one for the JS host's `fetch` (feature `gloo-net`, wasm32); implement
/// it for another (workers-rs `Fetch`, hyper, a test double).
///
/// A transport must not follow redirects (a 3xx is an answer: the call ends with
/// `BAD_REQUEST`, so credentials never reach another address).
///
/// # Examples
/// ```
/// use airflow_trigger::{Answer, HttpRequest, Transport};
/// /// Answers every request with Airflow 3's version.
/// struct Canned;
/// impl Transport for Canned {
///     async fn send(&self, _request: &HttpRequest, _timeout_ms: u64, _include_credentials: bool) -> Answer {
///         Answer::Response { status: 200, content_type: "application/json".into(), body: r#"{"version":"3.3.2"}"#.into() }
///     }
///     async fn sleep(&self, _ms: u64) {}
///     fn now_ms(&self) -> u64 { 0 }
/// }
/// ```
pub trait Transport {
    /// Sends `request`, giving up after `timeout_ms` ([`Answer::Timeout`]);
    /// `include_credentials` asks a browser to send its cookies (session auth).
    fn send(
        &self,
        request: &HttpRequest,
        timeout_ms: u64,
        include_credentials: bool,
    ) -> impl Future<Output = Answer> + MaybeSend;
    /// Waits `ms` (between retries, between polls).
    fn sleep(&self, ms: u64) -> impl Future<Output = ()> + MaybeSend;
    /// The clock, in ms since the epoch.
    fn now_ms(&self) -> u64;
}

/// A typed Airflow client: version detection, password → JWT with a new login on 401, retries
/// with backoff and jitter that never create a second run, Params validated before the POST,
/// `wait_for_run` with progress. Calls may run concurrently; they share the token and the
/// Params cache.
///
/// # Examples
/// ```no_run
/// # #[cfg(feature = "reqwest")]
/// # async fn demo() -> airflow_trigger::Result<()> {
/// use airflow_trigger::{json, AirflowClient, ClientAuth, ClientConfig, ReqwestTransport, Secret, Trigger};
/// let config = ClientConfig::new("http://127.0.0.1:8080")?
///     .auth(ClientAuth::Password { username: "admin".into(), password: Secret::new("admin") });
/// let airflow = AirflowClient::new(config, ReqwestTransport::new());
/// let t = airflow.trigger("etl", Trigger::new().conf(json!({"day": "2024-01-01"}))).await?;
/// let run = airflow.wait_for_run("etl", &t.run.dag_run_id, 2_000, 600_000, |run| println!("{}", run.state)).await?;
/// assert_eq!(run.state, "success");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct AirflowClient<T> {
    state: Arc<Mutex<Client>>,
    transport: Arc<T>,
    cancel: Option<CancelToken>,
}

fn unexpected(what: &str) -> Error {
    Error::new(ErrorCode::Server, format!("the call ended without {what}"))
}

impl<T: Transport> AirflowClient<T> {
    /// A client for `config` over `transport`; nothing is sent until a call.
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer { Answer::Timeout }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// let client = airflow_trigger::AirflowClient::new(airflow_trigger::ClientConfig::new("http://h").unwrap(), Canned);
    /// assert_eq!(client.api_version(), None);
    /// ```
    pub fn new(config: ClientConfig, transport: T) -> AirflowClient<T> {
        AirflowClient { state: Arc::new(Mutex::new(Client::new(config))), transport: Arc::new(transport), cancel: None }
    }

    /// [`AirflowClient::new`] with the randomness (run ids, jitter) seeded by `seed`.
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer { Answer::Timeout }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// let _client = airflow_trigger::AirflowClient::with_seed(airflow_trigger::ClientConfig::new("http://h").unwrap(), Canned, 42);
    /// ```
    pub fn with_seed(config: ClientConfig, transport: T, seed: u64) -> AirflowClient<T> {
        AirflowClient {
            state: Arc::new(Mutex::new(Client::with_seed(config, seed))),
            transport: Arc::new(transport),
            cancel: None,
        }
    }

    /// The API version, once detected (or as configured).
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer { Answer::Timeout }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// use airflow_trigger::{AirflowClient, ApiVersion, ClientConfig};
    /// let c = AirflowClient::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V1), Canned);
    /// assert_eq!(c.api_version(), Some(ApiVersion::V1));
    /// ```
    pub fn api_version(&self) -> Option<crate::ApiVersion> {
        self.client().api_version()
    }

    /// The transport, e.g. to reuse its HTTP client.
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer { Answer::Timeout }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// let c = airflow_trigger::AirflowClient::new(airflow_trigger::ClientConfig::new("http://h").unwrap(), Canned);
    /// let _canned: &Canned = c.transport();
    /// ```
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// This client, with every call made through the returned handle cancelled by `token`:
    /// once it is cancelled, a call ends with `CANCELLED` at once (a request in flight or a
    /// sleep is abandoned) and sends nothing more. The handle shares the token, the detected
    /// version and the Params cache with `self`.
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer { Answer::Timeout }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let waker = std::task::Waker::noop();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// use airflow_trigger::{AirflowClient, CancelToken, ClientConfig, ErrorCode};
    /// let client = AirflowClient::new(ClientConfig::new("http://h").unwrap(), Canned);
    /// let token = CancelToken::new();
    /// let cancellable = client.with_cancel(&token);
    /// token.cancel();
    /// let e = block_on(cancellable.wait_for_run("etl", "r1", 1_000, 60_000, |_| {})).unwrap_err();
    /// assert_eq!(e.code(), ErrorCode::Cancelled);
    /// ```
    pub fn with_cancel(&self, token: &CancelToken) -> AirflowClient<T> {
        AirflowClient { state: self.state.clone(), transport: self.transport.clone(), cancel: Some(token.clone()) }
    }

    /// `future`, unless this handle's token is cancelled first.
    async fn unless_cancelled<F: Future>(&self, future: F) -> Option<F::Output> {
        match &self.cancel {
            None => Some(future.await),
            Some(token) => token.race(future).await,
        }
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        // A panic while the lock was held cannot leave the state half-written (every update is
        // one assignment), so a poisoned lock is used as it is.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `call` to its end; `progress` sees each new state of a `wait_for_run`.
    ///
    /// # Examples
    /// ```
    /// # use airflow_trigger::{Answer, HttpRequest, Transport};
    /// # struct Canned;
    /// # impl Transport for Canned {
    /// #     async fn send(&self, _: &HttpRequest, _: u64, _: bool) -> Answer {
    /// #         Answer::Response { status: 200, content_type: "application/json".into(), body: r#"{"version":"3.3.2"}"#.into() }
    /// #     }
    /// #     async fn sleep(&self, _ms: u64) {}
    /// #     fn now_ms(&self) -> u64 { 0 }
    /// # }
    /// # let block_on = |f| futures_lite_block_on(f);
    /// # fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let waker = std::task::Waker::noop();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut f = std::pin::pin!(f);
    /// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
    /// # }
    /// use airflow_trigger::{AirflowClient, Call, ClientConfig, Output};
    /// let client = AirflowClient::new(ClientConfig::new("http://h").unwrap(), Canned);
    /// let out = block_on(client.run(Call::version(), &mut |_| {})).unwrap();
    /// assert!(matches!(out, Output::Version(v) if v.version == "3.3.2"));
    /// ```
    pub async fn run(&self, mut call: Call, progress: &mut Progress<'_>) -> Result<Output> {
        // The clock is read before the lock is taken: a transport's clock may be slow, or call
        // back into this client.
        // A cancel is an event of the call: it knows what a POST already sent may have created.
        let cancelled = || self.cancel.as_ref().is_some_and(CancelToken::is_cancelled);
        let now = self.transport.now_ms();
        let first = if cancelled() { Event::Cancelled } else { Event::Start };
        let mut action = call.next(&mut self.client(), now, first);
        loop {
            if cancelled() && !matches!(action, Action::Done(_)) {
                action = call.next(&mut self.client(), self.transport.now_ms(), Event::Cancelled);
                continue;
            }
            action = match action {
                Action::Done(result) => return result,
                Action::Sleep { ms, progress: run } => {
                    if let Some(run) = &run {
                        progress(run);
                    }
                    let slept = self.unless_cancelled(self.transport.sleep(ms)).await;
                    let now = self.transport.now_ms();
                    call.next(&mut self.client(), now, if slept.is_some() { Event::Slept } else { Event::Cancelled })
                }
                Action::Send { request, timeout_ms, include_credentials } => {
                    let answer =
                        self.unless_cancelled(self.transport.send(&request, timeout_ms, include_credentials)).await;
                    let now = self.transport.now_ms();
                    let mut client = self.client();
                    match &answer {
                        None => call.next(&mut client, now, Event::Cancelled),
                        Some(Answer::Response { status, content_type, body }) => {
                            call.next(&mut client, now, Event::Response { status: *status, content_type, body })
                        }
                        Some(Answer::NetworkError(message)) => {
                            call.next(&mut client, now, Event::NetworkError(message))
                        }
                        Some(Answer::Timeout) => call.next(&mut client, now, Event::Timeout),
                        Some(Answer::TooLarge { status }) => {
                            call.next(&mut client, now, Event::TooLarge { status: *status })
                        }
                    }
                }
            };
        }
    }

    /// Triggers `dag_id`: validates conf against the DAG's Params (unless `validate(false)`),
    /// then posts the run with a fixed run id, so a retry can never create a second one.
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn trigger(&self, dag_id: &str, trigger: Trigger) -> Result<TriggeredRun> {
        match self.run(Call::trigger(dag_id, trigger)?, &mut |_| {}).await? {
            Output::Triggered(t) => Ok(t),
            _ => Err(unexpected("a run")),
        }
    }

    /// One run.
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn get_run(&self, dag_id: &str, run_id: &str) -> Result<DagRun> {
        match self.run(Call::get_run(dag_id, run_id)?, &mut |_| {}).await? {
            Output::Run(run) => Ok(run),
            _ => Err(unexpected("a run")),
        }
    }

    /// Polls a run every `interval_ms` until it succeeds or fails (a `TIMEOUT` error after
    /// `timeout_ms`); `progress` sees each new state.
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn wait_for_run(
        &self,
        dag_id: &str,
        run_id: &str,
        interval_ms: u64,
        timeout_ms: u64,
        mut progress: impl FnMut(&DagRun) + MaybeSend,
    ) -> Result<DagRun> {
        match self.run(Call::wait_for_run(dag_id, run_id, interval_ms, timeout_ms)?, &mut progress).await? {
            Output::Run(run) => Ok(run),
            _ => Err(unexpected("a run")),
        }
    }

    /// One DAG.
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn get_dag(&self, dag_id: &str) -> Result<Dag> {
        match self.run(Call::get_dag(dag_id)?, &mut |_| {}).await? {
            Output::Dag(dag) => Ok(dag),
            _ => Err(unexpected("a DAG")),
        }
    }

    /// A DAG's Params as Airflow serializes them (for [`crate::ParamsValidator`] or
    /// [`crate::params_to_schema`]); cached for `params_ttl_ms`.
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn get_params(&self, dag_id: &str) -> Result<Value> {
        match self.run(Call::get_params(dag_id)?, &mut |_| {}).await? {
            Output::Params(params) => Ok(params),
            _ => Err(unexpected("Params")),
        }
    }

    /// DAGs whose id contains `search`, at most `limit` (1 to 1,000).
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn list_dags(&self, search: Option<&str>, limit: u32) -> Result<Page<Dag>> {
        match self.run(Call::list_dags(search.map(String::from), limit), &mut |_| {}).await? {
            Output::Dags(page) => Ok(page),
            _ => Err(unexpected("DAGs")),
        }
    }

    /// A DAG's most recent runs, newest first, at most `limit` (1 to 100).
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn list_runs(&self, dag_id: &str, limit: u32) -> Result<Page<DagRun>> {
        match self.run(Call::list_runs(dag_id, limit)?, &mut |_| {}).await? {
            Output::Runs(page) => Ok(page),
            _ => Err(unexpected("runs")),
        }
    }

    /// Announces that `asset` changed (Airflow 3: an asset event; Airflow 2: a dataset event),
    /// so the DAGs scheduled on it run. `extra` is a JSON object stored with the event. The POST
    /// is sent at most once (see [`Call::create_asset_event`]).
    ///
    /// # Examples
    /// ```no_run
    /// # #[cfg(feature = "reqwest")]
    /// # async fn demo(airflow: airflow_trigger::AirflowClient<airflow_trigger::ReqwestTransport>) -> airflow_trigger::Result<()> {
    /// let event = airflow.create_asset_event("s3://lake/orders".into(), Some(airflow_trigger::json!({"rows": 42}))).await?;
    /// println!("event {:?} at {:?}", event.id, event.timestamp);
    /// # Ok(()) }
    /// ```
    pub async fn create_asset_event(&self, asset: AssetRef, extra: Option<Value>) -> Result<AssetEvent> {
        match self.run(Call::create_asset_event(asset, extra)?, &mut |_| {}).await? {
            Output::AssetEvent(event) => Ok(event),
            _ => Err(unexpected("an event")),
        }
    }

    /// Assets (Airflow 2: datasets) whose URI contains `search`, at most `limit` (1 to 1,000).
    ///
    /// # Examples
    /// ```no_run
    /// # #[cfg(feature = "reqwest")]
    /// # async fn demo(airflow: airflow_trigger::AirflowClient<airflow_trigger::ReqwestTransport>) -> airflow_trigger::Result<()> {
    /// for asset in airflow.list_assets(Some("s3://lake/"), 100).await?.items {
    ///     println!("{} schedules {:?}", asset.uri, asset.scheduled_dags);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_assets(&self, search: Option<&str>, limit: u32) -> Result<Page<Asset>> {
        match self.run(Call::list_assets(search.map(String::from), limit), &mut |_| {}).await? {
            Output::Assets(page) => Ok(page),
            _ => Err(unexpected("assets")),
        }
    }

    /// One asset, by URI (matched exactly) or id, with the DAGs scheduled on it.
    ///
    /// # Examples
    /// ```no_run
    /// # #[cfg(feature = "reqwest")]
    /// # async fn demo(airflow: airflow_trigger::AirflowClient<airflow_trigger::ReqwestTransport>) -> airflow_trigger::Result<()> {
    /// let asset = airflow.get_asset("s3://lake/orders".into()).await?;
    /// assert_eq!(asset.uri, "s3://lake/orders");
    /// # Ok(()) }
    /// ```
    pub async fn get_asset(&self, asset: AssetRef) -> Result<Asset> {
        match self.run(Call::get_asset(asset)?, &mut |_| {}).await? {
            Output::Asset(asset) => Ok(asset),
            _ => Err(unexpected("an asset")),
        }
    }

    /// Airflow 3: runs the DAG that produces `asset`; the run it created.
    ///
    /// # Examples
    /// ```no_run
    /// # #[cfg(feature = "reqwest")]
    /// # async fn demo(airflow: airflow_trigger::AirflowClient<airflow_trigger::ReqwestTransport>) -> airflow_trigger::Result<()> {
    /// let run = airflow.materialize_asset("s3://lake/orders".into()).await?;
    /// println!("{} {}", run.dag_id, run.dag_run_id);
    /// # Ok(()) }
    /// ```
    pub async fn materialize_asset(&self, asset: AssetRef) -> Result<DagRun> {
        match self.run(Call::materialize_asset(asset)?, &mut |_| {}).await? {
            Output::Run(run) => Ok(run),
            _ => Err(unexpected("a run")),
        }
    }

    /// The server's version (and the API the client speaks to it).
    ///
    /// # Examples
    /// See [`AirflowClient`].
    pub async fn version(&self) -> Result<ServerVersion> {
        match self.run(Call::version(), &mut |_| {}).await? {
            Output::Version(v) => Ok(v),
            _ => Err(unexpected("a version")),
        }
    }
}
