//! `trigger --dry-run`: the client's own trigger call, driven until it would POST the run, and
//! that request returned instead of sent. Read-only requests before it go out as usual (the
//! version probe, Airflow 3's login, the DAG's Params), so the request is exactly the one the
//! client would send: checked conf, fixed run id, a live token.

use airflow_trigger::json::Value;
use airflow_trigger::{
    Action, Answer, Call, Client, ClientConfig, Error, ErrorCode, Event, HttpRequest, Output, ReqwestTransport,
    Transport, Trigger,
};

/// A client that sends everything but a trigger's POST.
pub struct DryRun {
    client: Client,
    transport: ReqwestTransport,
}

/// Where a driven call stopped.
enum Stop {
    Done(Output),
    Trigger(HttpRequest),
}

/// Whether `request` creates a run (the only request a dry run holds back).
fn creates_a_run(request: &HttpRequest) -> bool {
    request.method == "POST" && request.url.ends_with("/dagRuns")
}

impl DryRun {
    pub fn new(config: ClientConfig) -> DryRun {
        DryRun { client: Client::new(config), transport: ReqwestTransport::new() }
    }

    /// The DAG's Params (read, cached for the trigger that follows).
    pub async fn params(&mut self, dag_id: &str) -> Result<Value, Error> {
        match self.drive(Call::get_params(dag_id)?).await? {
            Stop::Done(Output::Params(p)) => Ok(p),
            _ => Err(Error::new(ErrorCode::Server, "the call ended without Params")),
        }
    }

    /// The request that would create the run.
    pub async fn trigger_request(&mut self, dag_id: &str, trigger: Trigger) -> Result<HttpRequest, Error> {
        match self.drive(Call::trigger(dag_id, trigger)?).await? {
            Stop::Trigger(request) => Ok(request),
            Stop::Done(_) => Err(Error::new(ErrorCode::Server, "the call ended without a trigger request")),
        }
    }

    async fn drive(&mut self, mut call: Call) -> Result<Stop, Error> {
        let mut action = call.next(&mut self.client, self.transport.now_ms(), Event::Start);
        loop {
            action = match action {
                Action::Done(result) => return result.map(Stop::Done),
                Action::Sleep { ms, .. } => {
                    self.transport.sleep(ms).await;
                    call.next(&mut self.client, self.transport.now_ms(), Event::Slept)
                }
                Action::Send { request, .. } if creates_a_run(&request) => return Ok(Stop::Trigger(request)),
                Action::Send { request, timeout_ms, include_credentials } => {
                    let answer = self.transport.send(&request, timeout_ms, include_credentials).await;
                    let now = self.transport.now_ms();
                    let client = &mut self.client;
                    match &answer {
                        Answer::Response { status, content_type, body } => {
                            call.next(client, now, Event::Response { status: *status, content_type, body })
                        }
                        Answer::NetworkError(message) => call.next(client, now, Event::NetworkError(message)),
                        Answer::Timeout => call.next(client, now, Event::Timeout),
                        Answer::TooLarge { status } => call.next(client, now, Event::TooLarge { status: *status }),
                    }
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use airflow_trigger::{ApiVersion, TriggerOptions};

    #[test]
    fn only_the_trigger_post_is_held_back() {
        let mut opts = TriggerOptions::new("http://h", ApiVersion::V2, "etl");
        opts.dag_run_id = Some("r1".into());
        assert!(creates_a_run(&opts.build().unwrap()));
        assert!(!creates_a_run(&opts.details_request().unwrap()));
    }

    /// A server on a free local port that answers every request with the DAG's details and
    /// records each request line.
    fn details_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                log.lock().unwrap().push(line.trim().to_string());
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let body =
                    r#"{"dag_id":"etl","is_paused":false,"params":{"n":{"value":1,"schema":{"type":"integer"}}}}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body.as_bytes()));
            }
        });
        (url, seen)
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_dry_run_reads_but_never_posts() {
        let (url, seen) = details_server();
        let config = ClientConfig::new(&url).unwrap().api_version(ApiVersion::V1).retries(0);
        let mut dry = DryRun::new(config);
        let params = dry.params("etl").await.unwrap();
        assert_eq!(params["n"]["value"].as_u64(), Some(1));
        let trigger = Trigger::new().dag_run_id("r1").conf(airflow_trigger::json!({"n": 2}));
        let request = dry.trigger_request("etl", trigger).await.unwrap();
        assert_eq!((request.method.as_str(), request.url), ("POST", format!("{url}/api/v1/dags/etl/dagRuns")));
        let seen = seen.lock().unwrap().clone();
        assert!(!seen.is_empty() && seen.iter().all(|l| l.starts_with("GET ")), "{seen:?}");
        // A conf the Params refuse ends the dry run before the request exists.
        let refused = dry.trigger_request("etl", Trigger::new().conf(airflow_trigger::json!({"n": "x"}))).await;
        assert_eq!(refused.unwrap_err().code(), ErrorCode::InvalidConf);
    }
}
