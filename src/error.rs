//! The one error type of the crate, with stable codes that JS callers can branch on.

use std::fmt;

/// What went wrong, as a stable, greppable code.
///
/// The string form ([`ErrorCode::as_str`]) is the `code` property of the JS `AirflowError`, and
/// what serde writes and reads (feature `serde`).
///
/// # Examples
/// ```
/// use airflow_trigger::ErrorCode;
/// assert_eq!(ErrorCode::NotFound.as_str(), "NOT_FOUND");
/// assert_eq!(ErrorCode::from_status(409), ErrorCode::Conflict);
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// An option given to this library is invalid; nothing was sent.
    InvalidArgument,
    /// The DAG run's `conf` breaks the DAG's Params (checked locally, or answered by Airflow).
    InvalidConf,
    /// Airflow refused the credentials (401).
    Unauthorized,
    /// Airflow refused the request (403); Airflow 2 also answers bad credentials this way.
    Forbidden,
    /// The DAG or run does not exist (404).
    NotFound,
    /// A run with this id already exists (409).
    Conflict,
    /// Airflow rejected the request as malformed (400, 405, 422, other 4xx).
    BadRequest,
    /// Airflow failed (5xx).
    Server,
    /// The request did not reach Airflow or no answer came back.
    Network,
    /// No answer came back in time.
    Timeout,
    /// The caller cancelled the call; nothing more was sent after it.
    Cancelled,
    /// The base URL answers, but not as Airflow's REST API: neither `/api/v1/version` nor
    /// `/api/v2/version` gave a version (set `apiVersion` to skip the detection).
    NotAirflow,
}

impl ErrorCode {
    /// The stable string code, e.g. `"INVALID_ARGUMENT"`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(airflow_trigger::ErrorCode::InvalidConf.as_str(), "INVALID_CONF");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::InvalidConf => "INVALID_CONF",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::Server => "SERVER",
            ErrorCode::Network => "NETWORK",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::NotAirflow => "NOT_AIRFLOW",
        }
    }

    /// The code for a non-success HTTP status from Airflow.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::ErrorCode;
    /// assert_eq!(ErrorCode::from_status(422), ErrorCode::BadRequest);
    /// assert_eq!(ErrorCode::from_status(503), ErrorCode::Server);
    /// ```
    pub fn from_status(status: u16) -> ErrorCode {
        match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            409 => ErrorCode::Conflict,
            500..=599 => ErrorCode::Server,
            _ => ErrorCode::BadRequest,
        }
    }
}

/// Every code, for reading one back from its string.
#[cfg(feature = "serde")]
const ALL_CODES: [ErrorCode; 12] = [
    ErrorCode::InvalidArgument,
    ErrorCode::InvalidConf,
    ErrorCode::Unauthorized,
    ErrorCode::Forbidden,
    ErrorCode::NotFound,
    ErrorCode::Conflict,
    ErrorCode::BadRequest,
    ErrorCode::Server,
    ErrorCode::Network,
    ErrorCode::Timeout,
    ErrorCode::Cancelled,
    ErrorCode::NotAirflow,
];

/// The stable string code.
///
/// # Examples
/// ```
/// use airflow_trigger::ErrorCode;
/// assert_eq!(serde_json::to_string(&ErrorCode::NotFound).unwrap(), r#""NOT_FOUND""#);
/// assert_eq!(serde_json::from_str::<ErrorCode>(r#""TIMEOUT""#).unwrap(), ErrorCode::Timeout);
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ErrorCode, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        ALL_CODES.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            const NAMES: [&str; 12] = [
                "INVALID_ARGUMENT",
                "INVALID_CONF",
                "UNAUTHORIZED",
                "FORBIDDEN",
                "NOT_FOUND",
                "CONFLICT",
                "BAD_REQUEST",
                "SERVER",
                "NETWORK",
                "TIMEOUT",
                "CANCELLED",
                "NOT_AIRFLOW",
            ];
            serde::de::Error::unknown_variant(&s, &NAMES)
        })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from building a request, talking to Airflow, or reading its answer.
///
/// `message` says what was wrong and what to do next; it never contains a credential.
/// `status` and `detail` are set when Airflow answered: `detail` is Airflow's own message,
/// whatever the shape of its error body.
///
/// With the `serde` feature: `{"code", "message", "field", "status", "detail", "errors"}`
/// (`code` as its string, absent parts as `null`), and read back from the same shape.
///
/// # Examples
/// ```
/// use airflow_trigger::{Error, ErrorCode};
/// let err = Error::invalid_argument("dagId", "must not be empty");
/// assert_eq!(err.code(), ErrorCode::InvalidArgument);
/// assert_eq!(err.to_string(), "dagId: must not be empty");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Error {
    code: ErrorCode,
    message: String,
    field: Option<Box<str>>,
    status: Option<u16>,
    detail: Option<String>,
    errors: Vec<crate::schema::ValidationError>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    // Boxed: a `Result<T, Error>` stays small (clippy's result_large_err), and both are rare.
    dag_run_id: Option<Box<str>>,
}

pub(crate) use crate::json::quoted;

/// The crate's result type.
///
/// # Examples
/// ```
/// fn check(id: &str) -> airflow_trigger::Result<()> {
///     airflow_trigger::check_dag_id(id)
/// }
/// assert!(check("etl").is_ok());
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// This error with every occurrence of `secrets` (those of 4 characters or more) in its
    /// message and detail replaced by `***`: a server or proxy may echo a credential.
    pub(crate) fn scrubbed(mut self, secrets: &[String]) -> Error {
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            if crate::text::contains(&self.message, secret) {
                self.message = crate::text::replace(&self.message, secret, "***");
            }
            if let Some(d) = &mut self.detail {
                if crate::text::contains(d, secret) {
                    *d = crate::text::replace(d, secret, "***");
                }
            }
        }
        self
    }

    /// An error with a code and a message.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Error, ErrorCode};
    /// let err = Error::new(ErrorCode::Network, "connection refused");
    /// assert_eq!(err.message(), "connection refused");
    /// ```
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            field: None,
            status: None,
            detail: None,
            errors: Vec::new(),
            dag_run_id: None,
        }
    }

    /// An `INVALID_CONF` error from local validation against the DAG's Params; nothing was sent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Error, ParamsOptions, ParamsValidator};
    /// let v = ParamsValidator::new(&airflow_trigger::json!({"n": {"value": 1, "schema": {"minimum": 1}}}), ParamsOptions::default()).unwrap();
    /// let err = Error::invalid_conf(v.validate(&airflow_trigger::json!({"n": 0})).errors);
    /// assert_eq!(err.message(), "conf does not match the DAG's Params: /n must be >= 1. Nothing was sent.");
    /// ```
    pub fn invalid_conf(errors: Vec<crate::schema::ValidationError>) -> Error {
        let first = errors.first().map(|e| format!("{} {}", e.instance_path, e.message)).unwrap_or_default();
        let more = match errors.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let mut err = Error::new(
            ErrorCode::InvalidConf,
            format!("conf does not match the DAG's Params: {}{more}. Nothing was sent.", first.trim_start()),
        );
        err.errors = errors;
        err
    }

    /// An `INVALID_ARGUMENT` error about one option; the message starts with the field's name.
    ///
    /// # Examples
    /// ```
    /// let err = airflow_trigger::Error::invalid_argument("conf", "must be a JSON object");
    /// assert_eq!(err.field(), Some("conf"));
    /// ```
    pub fn invalid_argument(field: &str, problem: impl fmt::Display) -> Error {
        Error {
            code: ErrorCode::InvalidArgument,
            message: format!("{field}: {problem}"),
            field: Some(field.into()),
            status: None,
            detail: None,
            errors: Vec::new(),
            dag_run_id: None,
        }
    }

    /// An `INVALID_ARGUMENT` error about `field` whose message already names it.
    pub(crate) fn invalid_named(field: &str, message: String) -> Error {
        Error {
            code: ErrorCode::InvalidArgument,
            message,
            field: Some(field.into()),
            status: None,
            detail: None,
            errors: Vec::new(),
            dag_run_id: None,
        }
    }

    /// An error for an HTTP answer from Airflow.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Error, ErrorCode};
    /// let err = Error::http(ErrorCode::NotFound, 404, "DAG not found.", Some("DAG x not found".into()));
    /// assert_eq!(err.status(), Some(404));
    /// assert_eq!(err.detail(), Some("DAG x not found"));
    /// ```
    pub fn http(code: ErrorCode, status: u16, message: impl Into<String>, detail: Option<String>) -> Error {
        Error {
            code,
            message: message.into(),
            field: None,
            status: Some(status),
            detail,
            errors: Vec::new(),
            dag_run_id: None,
        }
    }

    /// The stable code.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{error_from_response, ApiVersion, ErrorCode};
    /// let err = error_from_response(ApiVersion::V2, 409, "application/json", r#"{"detail":"run exists"}"#);
    /// assert_eq!(err.code(), ErrorCode::Conflict);
    /// assert_eq!(airflow_trigger::check_dag_id("").unwrap_err().code(), ErrorCode::InvalidArgument);
    /// ```
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What was wrong and what to do next.
    ///
    /// # Examples
    /// ```
    /// let err = airflow_trigger::check_dag_id("etl/daily").unwrap_err();
    /// assert!(err.message().starts_with(r#"dagId: character "/" at position 3 is not allowed; use only letters"#));
    /// assert_eq!(err.message(), err.to_string());
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The option the error is about, for `INVALID_ARGUMENT`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{check_dag_run_id, Error, ErrorCode};
    /// assert_eq!(check_dag_run_id("bad/id").unwrap_err().field(), Some("dagRunId"));
    /// assert_eq!(Error::new(ErrorCode::Network, "connection refused").field(), None);
    /// ```
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The HTTP status Airflow answered with, if it answered.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{error_from_response, ApiVersion, Error, ErrorCode};
    /// assert_eq!(error_from_response(ApiVersion::V1, 403, "text/html", "<h1>Forbidden</h1>").status(), Some(403));
    /// assert_eq!(Error::new(ErrorCode::Timeout, "no answer").status(), None); // Airflow never answered
    /// ```
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Airflow's own message, if it answered with one.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{error_from_response, ApiVersion};
    /// let body = r#"{"title":"DAG not found","detail":"DAG with dag_id: 'etl' not found","status":404}"#;
    /// let err = error_from_response(ApiVersion::V1, 404, "application/problem+json", body);
    /// assert_eq!(err.detail(), Some("DAG with dag_id: 'etl' not found"));
    /// assert_eq!(airflow_trigger::check_dag_id("").unwrap_err().detail(), None);
    /// ```
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// For `INVALID_CONF` from local validation: every error, ajv-shaped.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, Action, ApiVersion, Call, Client, ClientConfig, ErrorCode, Event, Trigger};
    /// let mut client = Client::new(ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2));
    /// let mut call = Call::trigger("etl", Trigger::new().conf(json!({"count": 0}))).unwrap();
    /// call.next(&mut client, 0, Event::Start); // GET the DAG's details (its Params)
    /// let body = r#"{"dag_id":"etl","params":{"count":{"value":1,"schema":{"type":"integer","minimum":1}}}}"#;
    /// let answer = Event::Response { status: 200, content_type: "application/json", body };
    /// let Action::Done(Err(err)) = call.next(&mut client, 0, answer) else { panic!() };
    /// assert_eq!(err.code(), ErrorCode::InvalidConf); // checked locally: the POST was never sent
    /// let first = &err.errors()[0];
    /// assert_eq!((first.instance_path.as_str(), first.message.as_str()), ("/count", "must be >= 1"));
    /// ```
    pub fn errors(&self) -> &[crate::schema::ValidationError] {
        &self.errors
    }

    /// For a trigger that failed after its POST may have reached Airflow (no answer, a
    /// timeout, a 5xx, an answer that could not be read): the run id it sent. The run may
    /// exist; trigger again with this id to get it (or this error again) without a second run.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, Event, Trigger};
    /// let config = ClientConfig::new("http://h").unwrap().api_version(ApiVersion::V2).retries(0);
    /// let mut client = Client::new(config);
    /// let mut call = Call::trigger("etl", Trigger::new().dag_run_id("r1").validate(false)).unwrap();
    /// call.next(&mut client, 0, Event::Start); // GET the DAG's details
    /// let details = Event::Response { status: 200, content_type: "application/json", body: "{}" };
    /// call.next(&mut client, 0, details); // POST the run
    /// let Action::Done(Err(e)) = call.next(&mut client, 0, Event::Timeout) else { panic!() };
    /// assert_eq!(e.dag_run_id(), Some("r1"));
    /// ```
    pub fn dag_run_id(&self) -> Option<&str> {
        self.dag_run_id.as_deref()
    }

    /// Marks a trigger's error as one after which run `id` may exist, and says so.
    pub(crate) fn maybe_created(mut self, id: &str) -> Error {
        self.message.push_str(&format!(
            " The run may exist: its id is {}; trigger again with it to get it, never a second run.",
            quoted(id)
        ));
        self.with_run_id(id)
    }

    /// The error with `text` added to its message.
    pub(crate) fn note(mut self, text: &str) -> Error {
        self.message.push_str(text);
        self
    }

    /// Marks an error whose message already names run `id` as one after which it exists.
    pub(crate) fn with_run_id(mut self, id: &str) -> Error {
        self.dag_run_id = Some(id.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A JSON text that does not parse is a bad argument, so `?` carries
/// [`crate::json::ParseError`] into the crate's error.
///
/// # Examples
/// ```
/// fn conf(text: &str) -> airflow_trigger::Result<airflow_trigger::json::Value> {
///     Ok(airflow_trigger::json::Value::parse(text)?)
/// }
/// let err = conf("{\"a\": }").unwrap_err();
/// assert_eq!(err.code(), airflow_trigger::ErrorCode::InvalidArgument);
/// assert_eq!(err.to_string(), "json: is not valid JSON (expected a value at line 1, column 7)");
/// ```
impl From<crate::json::ParseError> for Error {
    fn from(e: crate::json::ParseError) -> Error {
        Error::invalid_argument("json", format!("is not valid JSON ({e})"))
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_maps_to_a_code() {
        let cases = [
            (400, "BAD_REQUEST"),
            (401, "UNAUTHORIZED"),
            (403, "FORBIDDEN"),
            (404, "NOT_FOUND"),
            (405, "BAD_REQUEST"),
            (409, "CONFLICT"),
            (422, "BAD_REQUEST"),
            (500, "SERVER"),
            (502, "SERVER"),
        ];
        for (status, code) in cases {
            assert_eq!(ErrorCode::from_status(status).as_str(), code, "status {status}");
        }
    }
}
