//! The trigger request, built and checked before anything is sent.

use std::fmt;

use crate::json::{Map, Value};

use crate::api::{check_dag_id, check_dag_run_id, encode_path_segment, ApiVersion, BaseUrl};
use crate::auth::{is_sensitive_name, Auth, Header};
use crate::error::{quoted, Error, Result};
use crate::options::Fields;
use crate::run_id::generate_dag_run_id;
use crate::time::check_date_time;

/// An HTTP request as plain data, ready for `fetch`, `curl` or any HTTP client.
///
/// `Debug` masks sensitive header values.
///
/// With the `serde` feature: `{"method", "url", "headers": [{"name", "value", "sensitive"}],
/// "body"}`. Like `Debug`, serializing masks the values of sensitive headers (the
/// `Authorization` header auth adds) as `"***"`: a serialized request is for logs and display,
/// and cannot be read back and sent (a sensitive `"***"` is refused when reading). Send the
/// request from its fields.
///
/// # Examples
/// ```
/// use airflow_trigger::{ApiVersion, TriggerOptions};
/// let req = TriggerOptions::new("http://127.0.0.1:8080", ApiVersion::V1, "etl").build().unwrap();
/// assert_eq!(req.method, "POST");
/// assert_eq!(req.url, "http://127.0.0.1:8080/api/v1/dags/etl/dagRuns");
/// ```
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// The headers, in order.
    pub headers: Vec<Header>,
    /// The JSON body, if any.
    pub body: Option<String>,
    /// The body is a credential (Airflow 3's login: `{"username", "password"}`): `Debug`,
    /// [`crate::to_curl`] and serde show it as `***`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub body_sensitive: bool,
}

/// Written with sensitive header values and a sensitive body as `"***"`.
#[cfg(feature = "serde")]
impl serde::Serialize for HttpRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("HttpRequest", 5)?;
        st.serialize_field("method", &self.method)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("headers", &self.headers)?;
        st.serialize_field("body", &self.shown_body())?;
        st.serialize_field("body_sensitive", &self.body_sensitive)?;
        st.end()
    }
}

impl HttpRequest {
    /// The body as logs may show it: `***` when it is a credential.
    pub(crate) fn shown_body(&self) -> Option<&str> {
        if self.body_sensitive {
            self.body.as_ref().map(|_| "***")
        } else {
            self.body.as_deref()
        }
    }

    /// A header's value by case-insensitive name.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, TriggerOptions};
    /// let req = TriggerOptions::new("http://h", ApiVersion::V1, "etl").build().unwrap();
    /// assert_eq!(req.header("content-type"), Some("application/json"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value.as_str())
    }

    /// The JS shape: `{ method, url, headers: {name: value}, body?, sensitiveHeaders: [names] }`.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn to_json(&self) -> Value {
        let mut headers = Map::new();
        for h in &self.headers {
            headers.insert(h.name.clone(), Value::String(h.value.clone()));
        }
        let sensitive = self.headers.iter().filter(|h| h.sensitive).map(|h| Value::String(h.name.clone())).collect();
        let mut out = Map::new();
        out.insert("method".into(), Value::String(self.method.clone()));
        out.insert("url".into(), Value::String(self.url.clone()));
        out.insert("headers".into(), Value::Object(headers));
        if let Some(body) = &self.body {
            out.insert("body".into(), Value::String(body.clone()));
        }
        out.insert("sensitiveHeaders".into(), Value::Array(sensitive));
        Value::Object(out)
    }

    /// Appends the `to_json` form without its body as JSON text (the client's actions).
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn write_json_head(&self, out: &mut String) {
        use crate::json::write_string;
        out.push_str("{\"method\":");
        write_string(out, &self.method);
        out.push_str(",\"url\":");
        write_string(out, &self.url);
        out.push_str(",\"headers\":{");
        for (i, h) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, &h.name);
            out.push(':');
            write_string(out, &h.value);
        }
        out.push_str("},\"sensitiveHeaders\":[");
        for (i, h) in self.headers.iter().filter(|h| h.sensitive).enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(out, &h.name);
        }
        out.push_str("]}");
    }

    /// Reads a request in the JS shape back (e.g. for `toCurl`). Without `sensitiveHeaders`,
    /// headers whose names suggest a credential are treated as sensitive.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn from_json(value: &Value) -> Result<HttpRequest> {
        let f = Fields::new(value, "request", "request.")?;
        f.only(&["method", "url", "headers", "body", "sensitiveHeaders"])?;
        let listed: Option<Vec<&str>> = match f.value("sensitiveHeaders") {
            None | Some(Value::Null) => None,
            Some(Value::Array(names)) => {
                Some(names.iter().map(|n| n.as_str()).collect::<Option<_>>().ok_or_else(|| {
                    Error::invalid_argument("request.sensitiveHeaders", "must list header names as strings")
                })?)
            }
            Some(_) => {
                return Err(Error::invalid_argument(
                    "request.sensitiveHeaders",
                    "must be an array of header names (a secret header left out of it would be printed)",
                ))
            }
        };
        let mut headers = Vec::new();
        if let Some(h) = f.value("headers") {
            let h = Fields::new(h, "request.headers", "request.headers.")?;
            for name in h.keys() {
                let sensitive = is_sensitive_name(name)
                    || listed.as_ref().is_some_and(|l| l.iter().any(|s| s.eq_ignore_ascii_case(name)));
                headers.push(Header { name: name.clone(), value: h.required_string(name)?, sensitive });
            }
        }
        let method = f.required_string("method")?;
        if !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&method.as_str()) {
            return Err(Error::invalid_argument(
                "request.method",
                format!("{} is not one of GET, POST, PATCH, PUT, DELETE", crate::error::quoted(&method)),
            ));
        }
        Ok(HttpRequest {
            method,
            url: f.required_string("url")?,
            headers,
            body: f.string("body")?,
            body_sensitive: false,
        })
    }

    pub(crate) fn json(method: &str, url: String, auth: &Auth, body: Option<String>) -> Result<HttpRequest> {
        let plain = |name: &str, value: &str| Header { name: name.into(), value: value.into(), sensitive: false };
        let mut headers = Vec::with_capacity(3);
        if body.is_some() {
            headers.push(plain("Content-Type", "application/json"));
        }
        headers.push(plain("Accept", "application/json"));
        headers.extend(auth.headers()?);
        Ok(HttpRequest { method: method.into(), url, headers, body, body_sensitive: false })
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.shown_body())
            .field("body_sensitive", &self.body_sensitive)
            .finish()
    }
}

/// What to trigger, and how. Build the request with [`TriggerOptions::build`].
///
/// In JS these are the options of `buildTriggerRequest` (camelCase names).
///
/// With the `serde` feature it (de)serializes with its Rust field names (`base_url`,
/// `api_version`, `dag_id`, `conf`, ...): only those three are required, `validate` defaults to
/// true, and unknown fields are refused. `auth` serializes with its secrets as `"***"` (see
/// [`Auth`]), which cannot be read back as a credential.
///
/// # Examples
/// ```
/// use airflow_trigger::{ApiVersion, Auth, Secret, TriggerOptions};
/// let mut opts = TriggerOptions::new("https://airflow.example.com", ApiVersion::V2, "etl");
/// opts.conf = Some(airflow_trigger::json!({"day": "2024-01-01"}));
/// opts.dag_run_id = Some("nightly-42".into());
/// opts.auth = Auth::Bearer { token: Secret::new("eyJ...") };
/// let req = opts.build().unwrap();
/// assert_eq!(
///     req.body.as_deref(),
///     Some(r#"{"dag_run_id":"nightly-42","conf":{"day":"2024-01-01"},"logical_date":null}"#)
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TriggerOptions {
    /// Airflow's base URL, with or without a path prefix (`https://host/airflow`).
    pub base_url: String,
    /// `v1` (Airflow 2) or `v2` (Airflow 3).
    pub api_version: ApiVersion,
    /// The DAG to trigger.
    pub dag_id: String,
    /// The run's conf: a JSON object. `None` sends none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub conf: Option<Value>,
    /// The run id; generated (unique, never like a scheduled run's) when `None`.
    pub dag_run_id: Option<String>,
    /// RFC 3339 date-time with a time zone. v1 omits it when `None`; v2 sends `null` ("now").
    pub logical_date: Option<String>,
    /// A note shown on the run in Airflow's UI.
    pub note: Option<String>,
    /// Start of the data interval (RFC 3339); give both ends or neither.
    pub data_interval_start: Option<String>,
    /// End of the data interval (RFC 3339); give both ends or neither.
    pub data_interval_end: Option<String>,
    /// Airflow 3 only: run no earlier than this (RFC 3339).
    pub run_after: Option<String>,
    /// Credentials; default none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub auth: Auth,
    /// For the trigger call: check `conf` against the DAG's Params first (default true).
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub validate: bool,
}

impl TriggerOptions {
    /// Options for a plain trigger of `dag_id`; set the public fields for the rest.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, Auth, TriggerOptions};
    /// let opts = TriggerOptions::new("http://h", ApiVersion::V2, "etl");
    /// assert_eq!((opts.conf, opts.dag_run_id, opts.auth), (None, None, Auth::None));
    /// assert!(opts.validate); // a client checks conf against the DAG's Params by default
    /// ```
    pub fn new(base_url: impl Into<String>, api_version: ApiVersion, dag_id: impl Into<String>) -> TriggerOptions {
        TriggerOptions {
            base_url: base_url.into(),
            api_version,
            dag_id: dag_id.into(),
            conf: None,
            dag_run_id: None,
            logical_date: None,
            note: None,
            data_interval_start: None,
            data_interval_end: None,
            run_after: None,
            auth: Auth::None,
            validate: true,
        }
    }

    /// `GET .../dags/{dag_id}/details` (the DAG's Params), with the same base URL and auth.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, TriggerOptions};
    /// let req = TriggerOptions::new("http://h", ApiVersion::V2, "etl").details_request().unwrap();
    /// assert_eq!((req.method.as_str(), req.url.as_str()), ("GET", "http://h/api/v2/dags/etl/details"));
    /// ```
    pub fn details_request(&self) -> Result<HttpRequest> {
        let base = BaseUrl::parse(&self.base_url)?;
        check_dag_id(&self.dag_id)?;
        let url = base.api_url(self.api_version, &format!("/dags/{}/details", encode_path_segment(&self.dag_id)));
        HttpRequest::json("GET", url, &self.auth, None)
    }

    /// Checks every option and builds `POST {base}/api/{v}/dags/{dag_id}/dagRuns`.
    ///
    /// The body always carries a `dag_run_id` (generated when not given), so a retry can never
    /// create a second run.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json::Value, ApiVersion, TriggerOptions};
    /// let mut opts = TriggerOptions::new("http://h", ApiVersion::V1, "etl");
    /// let req = opts.build().unwrap();
    /// let body = Value::parse(req.body.as_deref().unwrap()).unwrap();
    /// assert!(body["dag_run_id"].as_str().unwrap().starts_with("trigger__")); // generated
    /// opts.data_interval_start = Some("2024-01-01T00:00:00Z".into()); // without its end
    /// assert!(opts.build().is_err());
    /// ```
    pub fn build(&self) -> Result<HttpRequest> {
        self.build_for(&BaseUrl::parse(&self.base_url)?, self.api_version, &self.auth)
    }

    /// `build` with the client's base URL, version and credential in place of the options' own.
    pub(crate) fn build_for(&self, base: &BaseUrl, version: ApiVersion, auth: &Auth) -> Result<HttpRequest> {
        let mut body = String::new();
        self.with_body(version, auth, true, &mut |members| body = crate::json::object_text(members))?;
        let url = base.api_url(version, &format!("/dags/{}/dagRuns", encode_path_segment(&self.dag_id)));
        HttpRequest::json("POST", url, auth, Some(body))
    }

    /// Every check of `build` but the URL's, without writing the body (a client checks when a
    /// trigger is made, before it knows the server's version, and builds on each try).
    pub(crate) fn check(&self) -> Result<()> {
        self.with_body(self.api_version, &self.auth, false, &mut |_| {})
    }

    /// Checks the options and hands the body's members, borrowed, to `f` (`dyn`: one copy of the
    /// checks in the module for both callers).
    fn with_body(
        &self,
        version: ApiVersion,
        auth: &Auth,
        generate: bool,
        f: &mut dyn FnMut(&BodyMembers),
    ) -> Result<()> {
        check_dag_id(&self.dag_id)?;
        if version == ApiVersion::V2 && matches!(auth, Auth::Basic { .. }) {
            return Err(Error::invalid_argument(
                "auth",
                "Airflow 3 (apiVersion \"v2\") does not accept Basic auth: get a token from POST /auth/token and use { type: \"bearer\", token }",
            ));
        }
        let dag_run_id = Value::String(match &self.dag_run_id {
            Some(id) => {
                check_dag_run_id(id)?;
                id.clone()
            }
            None if generate => generate_dag_run_id()?,
            // Only checking: the caller generates the id later (the client, with its driver's clock).
            None => String::new(),
        });
        let conf = match &self.conf {
            None => None,
            Some(conf @ Value::Object(_)) if crate::json::deeper_than(conf, crate::json::MAX_NESTING) => {
                return Err(Error::invalid_argument(
                    "conf",
                    format!("is nested more than {} levels deep", crate::json::MAX_NESTING),
                ))
            }
            Some(conf @ Value::Object(_)) => {
                let mut text = String::new();
                crate::json::write_value(&mut text, conf);
                if text.len() > crate::MAX_CONF_BYTES {
                    return Err(too_large("conf", text.len()));
                }
                Some(conf)
            }
            Some(other) => {
                return Err(Error::invalid_argument(
                    "conf",
                    format!("must be a JSON object such as {{\"key\": \"value\"}}, got {}", json_kind(other)),
                ))
            }
        };
        let logical_date = match (&self.logical_date, version) {
            (Some(date), _) => Some(checked_date("logicalDate", date)?),
            // Airflow 3 requires the key; null means "now".
            (None, ApiVersion::V2) => Some(Value::Null),
            (None, ApiVersion::V1) => None,
        };
        let interval = match (&self.data_interval_start, &self.data_interval_end) {
            (Some(start), Some(end)) => {
                Some((checked_date("dataIntervalStart", start)?, checked_date("dataIntervalEnd", end)?))
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::invalid_argument("dataIntervalEnd", "must be given with dataIntervalStart"))
            }
            (None, Some(_)) => {
                return Err(Error::invalid_argument("dataIntervalStart", "must be given with dataIntervalEnd"))
            }
        };
        let run_after = match &self.run_after {
            Some(_) if version == ApiVersion::V1 => {
                return Err(Error::invalid_argument(
                    "runAfter",
                    "only Airflow 3 (apiVersion \"v2\") accepts it; leave it out for Airflow 2",
                ));
            }
            Some(run_after) => Some(checked_date("runAfter", run_after)?),
            None => None,
        };
        let note = self.note.clone().map(Value::String);

        // Members borrow what they can: conf can be large, and a client builds on every try.
        let mut body: Vec<(&str, &Value)> = vec![("dag_run_id", &dag_run_id)];
        body.extend(conf.map(|c| ("conf", c)));
        body.extend(logical_date.as_ref().map(|d| ("logical_date", d)));
        if let Some((start, end)) = &interval {
            body.extend([("data_interval_start", start), ("data_interval_end", end)]);
        }
        body.extend(run_after.as_ref().map(|d| ("run_after", d)));
        body.extend(note.as_ref().map(|n| ("note", n)));
        f(&body);
        Ok(())
    }
}

/// The error for a conf of `bytes` bytes of JSON, over [`crate::MAX_CONF_BYTES`].
pub(crate) fn too_large(field: &str, bytes: usize) -> Error {
    Error::invalid_argument(
        field,
        format!(
            "is larger than {} MiB of JSON ({bytes} bytes); pass large data by reference (a path or URL in the conf)",
            crate::MAX_CONF_BYTES >> 20
        ),
    )
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

#[cfg(feature = "serde")]
impl TriggerOptions {
    /// Sets `conf` from any `T: Serialize` that serializes to a map (a struct, a map, a
    /// `serde_json::Value` object), through [`crate::json::to_value`]: fields in their order,
    /// integers as integers. Returns `self`, to chain.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `conf` when `conf` cannot be JSON (a NaN, a map key that
    /// is not a string, ...) or is not an object; `self.conf` is then left as it was.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, TriggerOptions};
    /// #[derive(serde::Serialize)]
    /// struct Etl { day: String, retries: u8 }
    /// let mut opts = TriggerOptions::new("http://h", ApiVersion::V1, "etl");
    /// opts.dag_run_id = Some("r1".into());
    /// let req = opts.conf_from(&Etl { day: "2024-01-01".into(), retries: 3 }).unwrap().build().unwrap();
    /// assert_eq!(req.body.as_deref(), Some(r#"{"dag_run_id":"r1","conf":{"day":"2024-01-01","retries":3}}"#));
    /// assert_eq!(opts.conf_from(&[1, 2]).unwrap_err().to_string(),
    ///            "conf: must be a JSON object such as {\"key\": \"value\"}, got an array");
    /// ```
    pub fn conf_from<T: serde::Serialize + ?Sized>(&mut self, conf: &T) -> Result<&mut Self> {
        let conf = crate::json::to_value_for("conf", conf)?;
        if !conf.is_object() {
            return Err(Error::invalid_argument(
                "conf",
                format!("must be a JSON object such as {{\"key\": \"value\"}}, got {}", json_kind(&conf)),
            ));
        }
        self.conf = Some(conf);
        Ok(self)
    }
}

/// A trigger body's members, in the order they are written.
type BodyMembers<'a> = [(&'a str, &'a Value)];

fn checked_date(field: &str, value: &str) -> Result<Value> {
    check_date_time(value, false)
        .map_err(|problem| Error::invalid_argument(field, format!("{} {problem}", quoted(value))))?;
    Ok(Value::String(value.to_string()))
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    #[test]
    fn the_written_head_is_to_json_without_the_body() {
        let mut opts = TriggerOptions::new("http://h", ApiVersion::V2, "etl");
        opts.auth = Auth::Headers { headers: vec![("X-Key".to_string(), Secret::new("v\\1\"q"))] };
        opts.conf = Some(crate::json!({"a": 1}));
        let req = opts.build().unwrap();
        let mut head = String::new();
        req.write_json_head(&mut head);
        let mut want = req.to_json();
        if let Value::Object(m) = &mut want {
            assert!(m.remove("body").is_some());
        }
        assert_eq!(Value::parse(&head).unwrap(), want);
    }
}
