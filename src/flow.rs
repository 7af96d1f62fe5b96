//! The trigger call as a state machine that does no I/O: it says which request to send next and
//! reads each answer, so the same logic runs over `fetch` in JS and over anything in Rust, and
//! is tested natively.

use serde_json::{Map, Value};

use crate::api::ApiVersion;
use crate::error::{Error, ErrorCode, Result};
use crate::params::{ParamsOptions, ParamsValidator};
use crate::request::{HttpRequest, TriggerOptions};
use crate::response::{error_from_response, parse_dag_run, DagRun};
use crate::schema::Formats;

/// What the caller should do next.
#[derive(Debug)]
pub enum Step {
    /// Send this request and pass the answer to [`TriggerFlow::on_response`].
    Send(HttpRequest),
    /// The call is over.
    Done(Box<Result<DagRun>>),
}

enum State {
    /// Waiting for the DAG's details (its Params), to validate conf before triggering.
    Details,
    /// Waiting for the trigger's answer.
    Trigger,
    Finished,
}

/// One `triggerDagRun` call: optionally fetch the DAG's Params and validate conf, then trigger.
///
/// # Examples
/// ```
/// use airflow_trigger::{ApiVersion, Step, TriggerFlow, TriggerOptions};
/// let mut opts = TriggerOptions::new("http://h", ApiVersion::V2, "etl");
/// opts.conf = Some(serde_json::json!({"n": 0}));
/// let (mut flow, step) = TriggerFlow::start(opts).unwrap();
/// let Step::Send(req) = step else { panic!() };
/// assert_eq!(req.url, "http://h/api/v2/dags/etl/details");
/// let details = r#"{"params": {"n": {"value": 1, "schema": {"type": "integer", "minimum": 1}}}}"#;
/// let Step::Done(result) = flow.on_response(200, "application/json", details) else { panic!() };
/// assert_eq!(result.unwrap_err().errors()[0].instance_path, "/n");
/// ```
pub struct TriggerFlow {
    options: TriggerOptions,
    trigger: HttpRequest,
    state: State,
}

impl TriggerFlow {
    /// Checks the options and returns the first step.
    pub fn start(options: TriggerOptions) -> Result<(TriggerFlow, Step)> {
        let trigger = options.build()?;
        let (state, first) = if options.validate {
            (State::Details, options.details_request()?)
        } else {
            (State::Trigger, trigger.clone())
        };
        Ok((TriggerFlow { options, trigger, state }, Step::Send(first)))
    }

    /// Reads the answer to the last request sent.
    pub fn on_response(&mut self, status: u16, content_type: &str, body: &str) -> Step {
        let version = self.options.api_version;
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Details => {
                if !(200..300).contains(&status) {
                    return done(Err(error_from_response(version, status, content_type, body)));
                }
                match self.check_conf(body) {
                    Ok(()) => {
                        self.state = State::Trigger;
                        Step::Send(self.trigger.clone())
                    }
                    Err(e) => done(Err(e)),
                }
            }
            State::Trigger if (200..300).contains(&status) => done(parse_dag_run(body)),
            State::Trigger => done(Err(error_from_response(version, status, content_type, body))),
            State::Finished => done(Err(Error::new(ErrorCode::InvalidArgument, "this trigger call is already over"))),
        }
    }

    /// The request could not be sent or no answer came back (`message` says why).
    pub fn on_network_error(&mut self, message: &str) -> Step {
        self.state = State::Finished;
        let base =
            crate::api::BaseUrl::parse(&self.options.base_url).map(|b| b.as_str().to_string()).unwrap_or_default();
        done(Err(Error::new(
            ErrorCode::Network,
            format!(
                "Could not reach Airflow at {base} ({message}). Check that it runs and the URL is right. In a browser, a CORS refusal looks exactly like this: open the developer console, and make sure Airflow's [api] access_control_allow_origins lists this page's origin."
            ),
        )))
    }

    fn check_conf(&self, details: &str) -> Result<()> {
        let body: Value = serde_json::from_str(details)
            .map_err(|_| Error::new(ErrorCode::Server, "Airflow's DAG details are not JSON"))?;
        let params = body.get("params").cloned().unwrap_or(Value::Object(Map::new()));
        let formats = match self.options.api_version {
            ApiVersion::V1 => Formats::Airflow2,
            ApiVersion::V2 => Formats::Airflow3,
        };
        let validator = ParamsValidator::new(&params, ParamsOptions { formats, ..Default::default() })
            .map_err(|e| Error::new(ErrorCode::Server, format!("the DAG's Params cannot be compiled: {e}")))?;
        let conf = self.options.conf.clone().unwrap_or(Value::Object(Map::new()));
        let result = validator.validate(&conf);
        if result.valid {
            Ok(())
        } else {
            Err(Error::invalid_conf(result.errors))
        }
    }
}

fn done(result: Result<DagRun>) -> Step {
    Step::Done(Box::new(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(validate: bool) -> TriggerOptions {
        let mut o = TriggerOptions::new("http://h", ApiVersion::V1, "etl");
        o.dag_run_id = Some("r1".into());
        o.conf = Some(serde_json::json!({"n": 2}));
        o.validate = validate;
        o
    }

    const RUN: &str = r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{"n":2}}"#;

    #[test]
    fn validates_then_triggers() {
        let (mut flow, step) = TriggerFlow::start(opts(true)).unwrap();
        assert!(matches!(step, Step::Send(ref r) if r.method == "GET" && r.url.ends_with("/dags/etl/details")));
        let details =
            r#"{"params":{"n":{"__class":"airflow.models.param.Param","value":1,"schema":{"type":"integer"}}}}"#;
        let step = flow.on_response(200, "application/json", details);
        assert!(matches!(step, Step::Send(ref r) if r.method == "POST" && r.url.ends_with("/dags/etl/dagRuns")));
        let Step::Done(run) = flow.on_response(200, "application/json", RUN) else { panic!("not done") };
        assert_eq!(run.unwrap().dag_run_id, "r1");
        let Step::Done(again) = flow.on_response(200, "application/json", RUN) else { panic!("not done") };
        assert!(again.is_err());
    }

    #[test]
    fn without_validation_it_triggers_at_once() {
        let (mut flow, step) = TriggerFlow::start(opts(false)).unwrap();
        assert!(matches!(step, Step::Send(ref r) if r.method == "POST"));
        let Step::Done(err) = flow.on_response(409, "application/problem+json", r#"{"detail":"exists","status":409}"#)
        else {
            panic!("not done")
        };
        assert_eq!(err.unwrap_err().code(), ErrorCode::Conflict);
    }

    #[test]
    fn details_errors_and_network_errors() {
        let (mut flow, _) = TriggerFlow::start(opts(true)).unwrap();
        let Step::Done(err) = flow.on_response(404, "application/json", r#"{"detail":"DAG not found"}"#) else {
            panic!("not done")
        };
        assert_eq!(err.unwrap_err().code(), ErrorCode::NotFound);
        let (mut flow, _) = TriggerFlow::start(opts(true)).unwrap();
        let Step::Done(err) = flow.on_network_error("Failed to fetch") else { panic!("not done") };
        let err = err.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Network);
        assert!(err.message().contains("CORS") && err.message().contains("http://h"), "{err}");
    }
}
