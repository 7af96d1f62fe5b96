//! Options as JSON objects (what JS passes, camelCase), read field by field so that every error
//! names the option, and a misspelt option is an error rather than silently ignored.

use crate::json::{Map, Value};

use crate::api::ApiVersion;
use crate::auth::{Auth, Secret};
use crate::error::{Error, Result};
use crate::request::{json_kind, TriggerOptions};

/// A JSON object being read; `path` prefixes field names in errors (`""` or `"auth."`).
pub(crate) struct Fields<'a> {
    map: &'a Map,
    path: &'a str,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(value: &'a Value, what: &'a str, path: &'a str) -> Result<Fields<'a>> {
        match value {
            Value::Object(map) => Ok(Fields { map, path }),
            other => Err(Error::invalid_argument(what, format!("must be an object, got {}", json_kind(other)))),
        }
    }

    /// The fields of an object already in hand, named without a prefix.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn of(map: &'a Map) -> Fields<'a> {
        Fields { map, path: "" }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.path)
    }

    /// A value that is present and not `null`.
    pub(crate) fn value(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => {
                Err(Error::invalid_argument(&self.name(key), format!("must be a string, got {}", json_kind(other))))
            }
        }
    }

    pub(crate) fn required_string(&self, key: &str) -> Result<String> {
        self.string(key)?.ok_or_else(|| Error::invalid_argument(&self.name(key), "is required"))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &'a String> {
        self.map.keys()
    }

    /// Refuses keys that are not in `known`, suggesting the right spelling.
    pub(crate) fn only(&self, known: &[&str]) -> Result<()> {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                // `dagID`, `logical_date`, `data-interval-end`: the same name in another spelling.
                let squash = |s: &str| {
                    s.bytes().filter(|b| !matches!(b, b'_' | b'-')).map(|b| b.to_ascii_lowercase()).collect::<Vec<u8>>()
                };
                let hint = match known.iter().find(|k| squash(k) == squash(key)) {
                    Some(k) => format!("; did you mean \"{k}\"?"),
                    None => format!("; known options: {}", crate::text::join(known, ", ")),
                };
                return Err(Error::invalid_argument(&self.name(key), format!("is not an option{hint}")));
            }
        }
        Ok(())
    }
}

/// The options of one run (`client.trigger(dagId, options)`), without the client's.
#[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
pub(crate) const RUN_OPTIONS: [&str; 9] = [
    "conf",
    "dagRunId",
    "logicalDate",
    "note",
    "dataIntervalStart",
    "dataIntervalEnd",
    "runAfter",
    "validate",
    "unpause",
];

const TRIGGER_OPTIONS: [&str; 12] = [
    "baseUrl",
    "apiVersion",
    "dagId",
    "conf",
    "dagRunId",
    "logicalDate",
    "note",
    "dataIntervalStart",
    "dataIntervalEnd",
    "runAfter",
    "auth",
    "validate",
];

impl TriggerOptions {
    /// Reads options from a JSON object with the JS names (`baseUrl`, `apiVersion`, `dagId`, ...).
    /// `null` is the same as leaving an option out, except for `conf`, where it is an error.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn from_json(value: &Value) -> Result<TriggerOptions> {
        let f = Fields::new(value, "options", "")?;
        f.only(&TRIGGER_OPTIONS)?;
        let api_version = ApiVersion::parse(&f.required_string("apiVersion")?)?;
        let mut opts = TriggerOptions::new(f.required_string("baseUrl")?, api_version, f.required_string("dagId")?);
        // An explicit null conf is refused by build(), as Airflow 2 does; absent means none.
        opts.conf = value.get("conf").cloned();
        opts.dag_run_id = f.string("dagRunId")?;
        opts.logical_date = f.string("logicalDate")?;
        opts.note = f.string("note")?;
        opts.data_interval_start = f.string("dataIntervalStart")?;
        opts.data_interval_end = f.string("dataIntervalEnd")?;
        opts.run_after = f.string("runAfter")?;
        if let Some(auth) = f.value("auth") {
            opts.auth = Auth::from_json(auth)?;
        }
        match f.value("validate") {
            None => {}
            Some(Value::Bool(b)) => opts.validate = *b,
            Some(other) => {
                return Err(Error::invalid_argument(
                    "validate",
                    format!("must be true or false, got {}", json_kind(other)),
                ))
            }
        }
        Ok(opts)
    }
}

impl Auth {
    /// Reads `{ type: "none" | "basic" | "bearer" | "headers", ... }`.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn from_json(value: &Value) -> Result<Auth> {
        let f = Fields::new(value, "auth", "auth.")?;
        let kind = f.required_string("type")?;
        match kind.as_str() {
            "none" => {
                f.only(&["type"])?;
                Ok(Auth::None)
            }
            "basic" => {
                f.only(&["type", "username", "password"])?;
                Ok(Auth::Basic {
                    username: f.required_string("username")?,
                    password: Secret::new(f.required_string("password")?),
                })
            }
            "bearer" => {
                f.only(&["type", "token"])?;
                Ok(Auth::Bearer { token: Secret::new(f.required_string("token")?) })
            }
            "headers" => {
                f.only(&["type", "headers"])?;
                let none = Value::Null;
                let headers = Fields::new(f.value("headers").unwrap_or(&none), "auth.headers", "auth.headers.")?;
                let mut out = Vec::new();
                for key in headers.keys() {
                    out.push((key.clone(), Secret::new(headers.required_string(key)?)));
                }
                Ok(Auth::Headers { headers: out })
            }
            // The value is not echoed: a token pasted into the wrong field must not reach an error.
            _ => Err(Error::invalid_argument(
                "auth.type",
                "is not an auth type; use \"none\", \"basic\", \"bearer\" or \"headers\" (AirflowClient also takes \"password\" and \"session\")",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[track_caller]
    fn err(v: Value) -> String {
        TriggerOptions::from_json(&v).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_option() {
        let base = |extra: Value| {
            let mut v = json!({"baseUrl": "http://h", "apiVersion": "v1", "dagId": "d"});
            v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            v
        };
        assert_eq!(err(json!([1])), "options: must be an object, got an array");
        assert_eq!(err(json!({"baseUrl": "h", "apiVersion": "v1"})), "dagId: is required");
        assert!(err(json!({"baseUrl": "h", "apiVersion": "v9", "dagId": "d"})).starts_with("apiVersion: must be"));
        assert_eq!(err(base(json!({"dagRunId": 5}))), "dagRunId: must be a string, got a number");
        assert!(err(base(json!({"bogus": 1}))).starts_with("bogus: is not an option; known options: baseUrl"));
        assert_eq!(
            err(base(json!({"auth": {"type": "magic"}}))),
            "auth.type: is not an auth type; use \"none\", \"basic\", \"bearer\" or \"headers\" (AirflowClient also takes \"password\" and \"session\")"
        );
        // A credential pasted into the type is not echoed; the client's own types are named so.
        let pasted = err(base(json!({"auth": {"type": "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.SIG"}})));
        assert!(!pasted.contains("eyJ"), "{pasted}");
        assert_eq!(err(base(json!({"auth": {"type": "basic", "username": "u"}}))), "auth.password: is required");
        assert_eq!(
            err(base(json!({"auth": {"type": "bearer", "token": "t", "user": "u"}}))),
            "auth.user: is not an option; known options: type, token"
        );
        assert_eq!(
            err(base(json!({"auth": {"type": "headers", "headers": {"X-Key": 1}}}))),
            "auth.headers.X-Key: must be a string, got a number"
        );
        assert_eq!(err(base(json!({"auth": "token"}))), "auth: must be an object, got a string");
    }

    #[test]
    fn null_means_absent_except_for_conf() {
        let o = TriggerOptions::from_json(&json!({"baseUrl": "h", "apiVersion": "v1", "dagId": "d", "note": null}))
            .unwrap();
        assert_eq!(o.note, None);
        let o = TriggerOptions::from_json(&json!({"baseUrl": "h", "apiVersion": "v1", "dagId": "d", "conf": null}))
            .unwrap();
        assert_eq!(o.conf, Some(Value::Null));
    }
}

#[cfg(test)]
mod js_shape_tests {
    use crate::json;
    use crate::{Auth, HttpRequest, Secret, TriggerOptions};

    #[test]
    fn the_js_options_read_with_their_camel_case_names() {
        let opts = TriggerOptions::from_json(&json!({
            "baseUrl": "http://127.0.0.1:8080", "apiVersion": "v2", "dagId": "etl",
            "auth": {"type": "bearer", "token": "eyJ..."}
        }))
        .unwrap();
        assert_eq!((opts.dag_id.as_str(), opts.auth), ("etl", Auth::Bearer { token: Secret::new("eyJ...") }));
        let err = TriggerOptions::from_json(&json!({"baseUrl": "h", "apiVersion": "v2", "dagID": "x"}));
        assert_eq!(err.unwrap_err().to_string(), "dagID: is not an option; did you mean \"dagId\"?");
        let err =
            TriggerOptions::from_json(&json!({"baseUrl": "h", "apiVersion": "v2", "dagId": "d", "logical_date": "x"}));
        assert_eq!(err.unwrap_err().to_string(), "logical_date: is not an option; did you mean \"logicalDate\"?");
        let err = TriggerOptions::from_json(&json!({"baseUrl": "h", "apiVersion": "v9", "dagId": "d"})).unwrap_err();
        assert_eq!(err.field(), Some("apiVersion"));
    }

    #[test]
    fn requests_cross_in_the_js_shape_and_back() {
        let req = TriggerOptions::new("http://h", crate::ApiVersion::V1, "etl").build().unwrap();
        assert_eq!(req.to_json()["headers"]["Accept"], "application/json");
        let req = HttpRequest::from_json(&json!({"method": "POST", "url": "http://h", "headers": {"X-Api-Key": "k"}}))
            .unwrap();
        assert!(req.headers[0].sensitive, "a credential's name makes it sensitive");
    }
}
