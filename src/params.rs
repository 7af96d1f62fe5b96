//! Airflow Params: the `params` of `GET .../dags/{id}/details` as one form schema, and conf
//! validation exactly as Airflow does it — each Param on its own, defaults merged.

use crate::json;
use crate::json::{Map, Value};

use crate::schema::{ConfValidator, Formats, ValidationError, ValidatorOptions};

/// One Param as the details endpoint serves it (v1 `{"__class", "value", "description",
/// "schema"}` or v2 `{"value", "schema", "description", "source"}`).
struct Param {
    name: String,
    value: Value,
    description: Option<String>,
    schema: Value,
}

fn read_params(params: &Value) -> Result<Vec<Param>, String> {
    let Value::Object(map) = params else {
        return Err("params must be an object (the `params` of GET /dags/{dag_id}/details)".into());
    };
    if crate::json::deeper_than(params, crate::json::MAX_NESTING) {
        return Err(format!("params are nested more than {} levels deep", crate::json::MAX_NESTING));
    }
    Ok(map
        .iter()
        .map(|(name, p)| match p {
            Value::Object(o) if o.contains_key("schema") || o.contains_key("__class") => Param {
                name: name.clone(),
                value: o.get("value").cloned().unwrap_or(Value::Null),
                description: o.get("description").and_then(Value::as_str).map(String::from),
                schema: o.get("schema").cloned().unwrap_or_else(|| json!({})),
            },
            // A plain value (not a Param) validates against the empty schema.
            other => Param { name: name.clone(), value: other.clone(), description: None, schema: json!({}) },
        })
        .collect())
}

/// Whether a served `value: null` means "no default": the details endpoint serves "no
/// default" and "default null" alike, so a schema that rejects null decides.
fn null_means_required(schema: &Value) -> bool {
    ConfValidator::compile(schema, ValidatorOptions { formats: Formats::None, all_errors: false, ..Default::default() })
        .map(|v| !v.validate(&Value::Null).valid)
        .unwrap_or(false)
}

/// The Params as one object schema for form generators: each property is the Param's schema
/// with its `default` and `description`; Params without a default are `required`.
///
/// # Examples
/// ```
/// use airflow_trigger::json;
/// let params = json!({
///     "count": {"__class": "airflow.models.param.Param", "value": 5, "description": "How many",
///               "schema": {"type": "integer", "minimum": 1}},
///     "target": {"value": null, "schema": {"type": "string"}, "description": null, "source": null}
/// });
/// let schema = airflow_trigger::params_to_schema(&params).unwrap();
/// assert_eq!(schema["properties"]["count"], json!({"type": "integer", "minimum": 1, "default": 5, "description": "How many"}));
/// assert_eq!(schema["required"], json!(["target"]));
/// ```
pub fn params_to_schema(params: &Value) -> crate::Result<Value> {
    to_schema(params).map_err(named)
}

/// The messages about Params start with `params` (`params.count.schema: …`) already.
fn named(e: String) -> crate::Error {
    if e.starts_with("params") {
        crate::Error::invalid_named("params", e)
    } else {
        crate::Error::invalid_argument("params", e)
    }
}

fn to_schema(params: &Value) -> Result<Value, String> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for p in read_params(params)? {
        let mut schema = match &p.schema {
            Value::Object(o) => o.clone(),
            Value::Bool(true) => Map::new(),
            other => return Err(format!("params.{}.schema must be an object, got {other}", p.name)),
        };
        if p.value.is_null() && null_means_required(&p.schema) {
            required.push(Value::String(p.name.clone()));
        } else {
            schema.insert("default".into(), p.value.clone());
        }
        if let Some(d) = p.description {
            schema.get_or_insert_with("description", || Value::String(d));
        }
        properties.insert(p.name, Value::Object(schema));
    }
    Ok(json!({ "type": "object", "properties": properties, "required": required }))
}

/// What to do with conf keys that are not Params (Airflow accepts them).
///
/// With the `serde` feature: `"ignore"` or `"error"`.
///
/// # Examples
/// ```
/// use airflow_trigger::{json, ParamsOptions, ParamsValidator, UnknownKeys};
/// let params = json!({"day": {"value": "2024-01-01", "schema": {"type": "string"}}});
/// let conf = json!({"day": "2024-01-02", "dya": "typo"});
/// let lenient = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
/// assert!(lenient.validate(&conf).valid); // UnknownKeys::Ignore, as Airflow does
/// let strict = ParamsOptions { unknown_keys: UnknownKeys::Error, ..Default::default() };
/// let r = ParamsValidator::new(&params, strict).unwrap().validate(&conf);
/// assert_eq!((r.valid, r.errors[0].instance_path.as_str()), (false, "/dya"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum UnknownKeys {
    /// Accept them, as Airflow does (default).
    Ignore,
    /// Report each as an error.
    Error,
}

/// Options of [`ParamsValidator`].
///
/// # Examples
/// ```
/// use airflow_trigger::{json, Formats, ParamsOptions, ParamsValidator};
/// let d = ParamsOptions::default();
/// assert_eq!((d.formats, d.all_errors, d.max_errors), (Formats::Airflow3, true, 100));
/// let int = json!({"value": 1, "schema": {"type": "integer"}});
/// let params = json!({"a": int.clone(), "b": int});
/// let first_only = ParamsOptions { all_errors: false, ..Default::default() };
/// let r = ParamsValidator::new(&params, first_only).unwrap().validate(&json!({"a": "x", "b": "y"}));
/// assert_eq!(r.errors.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ParamsOptions {
    /// `Airflow2` or `Airflow3` (default) select that server's format checks and quirks.
    pub formats: Formats,
    /// Default [`UnknownKeys::Ignore`].
    pub unknown_keys: UnknownKeys,
    /// Report every error (default) or stop at the first.
    pub all_errors: bool,
    /// Most errors reported (default 100); past it, one `maxErrors` error says more were found.
    pub max_errors: usize,
}

impl Default for ParamsOptions {
    fn default() -> ParamsOptions {
        ParamsOptions {
            formats: Formats::Airflow3,
            unknown_keys: UnknownKeys::Ignore,
            all_errors: true,
            max_errors: crate::schema::DEFAULT_MAX_ERRORS,
        }
    }
}

/// The result of [`ParamsValidator::validate`]: `conf` has the Params' defaults merged in.
///
/// # Examples
/// ```
/// use airflow_trigger::{json, ParamsOptions, ParamsValidator};
/// let params = json!({
///     "day": {"value": "2024-01-01", "schema": {"type": "string"}},
///     "retries": {"value": 3, "schema": {"type": "integer"}},
/// });
/// let v = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
/// let r = v.validate(&json!({"retries": 5}));
/// assert!(r.valid && r.errors.is_empty());
/// assert_eq!(r.conf, json!({"retries": 5, "day": "2024-01-01"}));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ParamsResult {
    /// Whether Airflow would accept the conf.
    pub valid: bool,
    /// Errors; `instance_path` starts at the Param's name (`/count`).
    pub errors: Vec<ValidationError>,
    /// The conf with defaults for the Params it leaves out.
    pub conf: Value,
}

struct CompiledParam {
    name: String,
    default: Option<Value>,
    validator: ConfValidator,
    /// Airflow 2 only: the Param's schema, for its `format: date-time` fallback.
    date_time_quirk: Option<Value>,
}

/// Validates a DAG run's conf against a DAG's Params as Airflow does: each Param separately
/// against its own schema (python-jsonschema semantics for `multipleOf` and formats), conf
/// values over defaults, keys that are not Params accepted, a missing Param without a default
/// an error.
///
/// # Examples
/// ```
/// use airflow_trigger::{ParamsOptions, ParamsValidator};
/// use airflow_trigger::json;
/// let params = json!({"count": {"value": 5, "schema": {"type": "integer", "minimum": 1}}});
/// let v = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
/// let r = v.validate(&json!({"extra": true}));
/// assert!(r.valid);
/// assert_eq!(r.conf, json!({"count": 5, "extra": true}));
/// let r = v.validate(&json!({"count": 0}));
/// assert_eq!((r.errors[0].instance_path.as_str(), r.errors[0].message.as_str()), ("/count", "must be >= 1"));
/// ```
pub struct ParamsValidator {
    params: Vec<CompiledParam>,
    options: ParamsOptions,
}

impl ParamsValidator {
    /// Compiles every Param's schema once. An error is `INVALID_ARGUMENT` for the field
    /// `params`, naming the Param.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ParamsOptions, ParamsValidator};
    /// let bad = json!({"count": {"value": 1, "schema": {"type": "integr"}}});
    /// let Err(err) = ParamsValidator::new(&bad, ParamsOptions::default()) else { panic!() };
    /// assert_eq!(err.field(), Some("params"));
    /// assert!(err.message().contains("params.count"));
    /// ```
    pub fn new(params: &Value, options: ParamsOptions) -> crate::Result<ParamsValidator> {
        ParamsValidator::compile(params, options).map_err(named)
    }

    fn compile(params: &Value, options: ParamsOptions) -> Result<ParamsValidator, String> {
        let mut compiled = Vec::new();
        for p in read_params(params)? {
            let validator = ConfValidator::compile(
                &p.schema,
                ValidatorOptions {
                    formats: options.formats,
                    all_errors: options.all_errors,
                    max_errors: options.max_errors,
                    ..Default::default()
                },
            )
            .map_err(|e| format!("params.{}: {e}", p.name))?;
            let default = if p.value.is_null() && null_means_required(&p.schema) { None } else { Some(p.value) };
            compiled.push(CompiledParam {
                date_time_quirk: (options.formats == Formats::Airflow2
                    && crate::text::contains(&p.schema.to_string(), "\"date-time\""))
                .then(|| p.schema.clone()),
                name: p.name,
                default,
                validator,
            });
        }
        Ok(ParamsValidator { params: compiled, options })
    }

    /// [`ParamsValidator::new`] with the Params from any `T: Serialize` (e.g. the `params` of
    /// the details answer as a `serde_json::Value`), through [`crate::json::to_value`].
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `params`: they cannot be JSON, or `new` refuses them.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ParamsOptions, ParamsValidator};
    /// let params = serde_json::json!({"count": {"value": 5, "schema": {"type": "integer"}}});
    /// let v = ParamsValidator::from_serialize(&params, ParamsOptions::default()).unwrap();
    /// assert_eq!(v.validate(&airflow_trigger::json!({})).conf, airflow_trigger::json!({"count": 5}));
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_serialize<T: serde::Serialize + ?Sized>(
        params: &T,
        options: ParamsOptions,
    ) -> crate::Result<ParamsValidator> {
        ParamsValidator::new(&crate::json::to_value_for("params", params)?, options)
    }

    /// [`ParamsValidator::validate`] of a conf of any `T: Serialize` (a struct of your own),
    /// through [`crate::json::to_value`].
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for the field `conf` when it cannot be JSON (a NaN, a map key that
    /// is not a string, ...).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ParamsOptions, ParamsValidator};
    /// #[derive(serde::Serialize)]
    /// struct Etl { count: i64 }
    /// let params = json!({"count": {"value": 5, "schema": {"type": "integer", "minimum": 1}}});
    /// let v = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
    /// let r = v.validate_serialize(&Etl { count: 0 }).unwrap();
    /// assert_eq!((r.valid, r.errors[0].message.as_str()), (false, "must be >= 1"));
    /// ```
    #[cfg(feature = "serde")]
    pub fn validate_serialize<T: serde::Serialize + ?Sized>(&self, conf: &T) -> crate::Result<ParamsResult> {
        Ok(self.validate(&crate::json::to_value_for("conf", conf)?))
    }

    /// Validates `conf` (a JSON object) and returns it with defaults merged.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{json, ParamsOptions, ParamsValidator};
    /// let params = json!({"day": {"value": null, "schema": {"type": "string", "format": "date"}}});
    /// let v = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
    /// assert!(v.validate(&json!({"day": "2024-01-31"})).valid);
    /// assert!(!v.validate(&json!({"day": "2024-01-32"})).valid); // format: date is asserted
    /// assert!(!v.validate(&json!({})).valid); // no value and no default
    /// ```
    pub fn validate(&self, conf: &Value) -> ParamsResult {
        // Checked before the copy below, which recurses.
        if let Some(error) = too_deep(conf) {
            return ParamsResult { valid: false, errors: vec![error], conf: Value::Object(Map::new()) };
        }
        let mut merged = match conf {
            Value::Object(given) => given.clone(),
            _ => Map::new(),
        };
        let (valid, errors) = self.check(conf, Some(&mut merged));
        ParamsResult { valid, errors, conf: Value::Object(merged) }
    }

    /// The errors [`ParamsValidator::validate`] finds, without building the merged conf (a
    /// client only needs the verdict: Airflow merges the defaults itself).
    pub(crate) fn errors(&self, conf: &Value) -> Vec<ValidationError> {
        match too_deep(conf) {
            Some(error) => vec![error],
            None => self.check(conf, None).1,
        }
    }

    /// Validates each Param's value (in a conf [`too_deep`] accepts); with `merged`, adds the
    /// defaults of the absent ones to it. The verdict is the validators' (an invalid verdict
    /// always comes with errors).
    fn check(&self, conf: &Value, mut merged: Option<&mut Map>) -> (bool, Vec<ValidationError>) {
        let empty = Map::new();
        let (given, mut errors) = match conf {
            Value::Object(m) => (m, Vec::new()),
            other => (
                &empty,
                vec![ValidationError {
                    instance_path: String::new(),
                    schema_path: "#/type".into(),
                    keyword: "type".into(),
                    params: json!({ "type": "object" }),
                    message: format!("conf must be an object, got {}", crate::request::json_kind(other)),
                }],
            ),
        };
        let mut valid = errors.is_empty();
        for p in &self.params {
            if !self.options.all_errors && !valid {
                break;
            }
            let value = match (given.get(&p.name), &p.default) {
                (Some(v), _) => v,
                (None, Some(d)) => {
                    if let Some(merged) = merged.as_deref_mut() {
                        merged.insert(p.name.clone(), d.clone());
                    }
                    d
                }
                (None, None) => {
                    errors.push(ValidationError {
                        instance_path: format!("/{}", crate::schema::uri::escape_token(&p.name)),
                        schema_path: "#/required".into(),
                        keyword: "required".into(),
                        params: json!({ "missingProperty": p.name }),
                        message: "No value passed and Param has no default value".into(),
                    });
                    valid = false;
                    continue;
                }
            };
            let result = p.validator.validate_at(value, Some(&p.name));
            // Airflow 2 accepts a value that fails a `format: date-time` schema when pendulum
            // parses it as an ISO 8601 date or date-time (airflow/models/param.py).
            if !(result.valid
                || p.date_time_quirk.as_ref().is_some_and(|schema| {
                    !result.stopped()
                        && value.as_str().is_some_and(crate::pendulum::is_datetime)
                        && crate::best_match::blames_date_time(schema, &result.errors)
                }))
            {
                valid = false;
                errors.extend(result.errors);
            }
        }
        if self.options.unknown_keys == UnknownKeys::Error {
            for key in given.keys() {
                if !self.params.iter().any(|p| &p.name == key) {
                    errors.push(ValidationError {
                        instance_path: format!("/{}", crate::schema::uri::escape_token(key)),
                        schema_path: "#/additionalProperties".into(),
                        keyword: "additionalProperties".into(),
                        params: json!({ "additionalProperty": key }),
                        message: "is not a Param of this DAG".into(),
                    });
                    valid = false;
                }
            }
        }
        // A budget's stop is the last error (one is enough), whichever Param it stopped in.
        let stop = errors.iter().position(ValidationError::is_stop).map(|i| errors.remove(i));
        errors.retain(|e| !e.is_stop());
        if errors.len() + usize::from(stop.is_some()) > self.options.max_errors {
            errors.retain(|e| e.keyword != "maxErrors");
            errors.truncate(self.options.max_errors);
            errors.push(crate::schema::too_many_errors(self.options.max_errors));
        }
        errors.extend(stop);
        (valid && errors.is_empty(), errors)
    }
}

/// The error for a conf nested deeper than the crate reads (a value built in Rust), found once,
/// before anything copies or walks it.
fn too_deep(conf: &Value) -> Option<ValidationError> {
    crate::json::deeper_than(conf, crate::json::MAX_NESTING).then(|| ValidationError {
        instance_path: String::new(),
        schema_path: "#".into(),
        keyword: "maxDepth".into(),
        params: json!({ "limit": crate::json::MAX_NESTING }),
        message: format!("conf is nested more than {} levels deep", crate::json::MAX_NESTING),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_param_without_default_fails_like_airflow() {
        let params = json!({"target": {"value": null, "schema": {"type": "string"}}, "label": {"value": null, "schema": {"type": ["null", "string"]}}});
        let v = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
        let r = v.validate(&json!({}));
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].instance_path, "/target");
        assert_eq!(r.errors[0].message, "No value passed and Param has no default value");
        assert_eq!(r.conf, json!({"label": null}));
        // null in conf is a value, validated as such.
        assert!(!v.validate(&json!({"target": null})).valid);
    }

    #[test]
    fn airflow2_date_time_quirk() {
        let params = json!({"when": {"value": "2024-01-01T00:00:00+00:00", "schema": {"type": "string", "format": "date-time", "minLength": 30}}});
        let v2 =
            ParamsValidator::new(&params, ParamsOptions { formats: Formats::Airflow2, ..Default::default() }).unwrap();
        let v3 =
            ParamsValidator::new(&params, ParamsOptions { formats: Formats::Airflow3, ..Default::default() }).unwrap();
        let conf = json!({"when": "2024-01-01 10:00"});
        assert!(v2.validate(&conf).valid);
        assert!(!v3.validate(&conf).valid);
    }

    #[test]
    fn unknown_keys() {
        let params = json!({"a": {"value": 1, "schema": {}}});
        let v = ParamsValidator::new(&params, ParamsOptions { unknown_keys: UnknownKeys::Error, ..Default::default() })
            .unwrap();
        let r = v.validate(&json!({"b": 2}));
        assert_eq!(r.errors[0].instance_path, "/b");
        assert_eq!(r.errors[0].keyword, "additionalProperties");
    }

    #[test]
    fn errors_are_validate_without_the_merged_conf() {
        let params = json!({
            "n": {"value": 1, "schema": {"type": "integer", "minimum": 0}},
            "who": {"value": null, "schema": {"type": "string"}},
            "when": {"value": "2024-01-01T00:00:00+00:00", "schema": {"type": "string", "format": "date-time"}},
        });
        for unknown_keys in [UnknownKeys::Ignore, UnknownKeys::Error] {
            for all_errors in [true, false] {
                let options = ParamsOptions { unknown_keys, all_errors, ..Default::default() };
                let v = ParamsValidator::new(&params, options).unwrap();
                for conf in [
                    json!({}),
                    json!({"who": "a"}),
                    json!({"who": 3, "n": -1, "when": "x", "extra": true}),
                    json!([1]),
                    json!(null),
                ] {
                    assert_eq!(v.errors(&conf), v.validate(&conf).errors, "{conf:?}");
                }
            }
        }
    }
}
