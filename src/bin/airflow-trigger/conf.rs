//! The conf a command sends or checks: `--conf`, `--conf-file` (`-`: standard input), then each
//! `--param NAME=VALUE` converted by its Param's schema type.

use std::io::Read;

use airflow_trigger::json::{Map, Value};
use airflow_trigger::{ConfValidator, Error, ErrorCode};

use crate::args::ConfArgs;
use crate::exit::{Exit, Failure};

/// The conf of `--conf` or `--conf-file` (`None` when neither was given). `stdin` reads `-`.
pub fn base_conf(args: &ConfArgs, stdin: &mut dyn Read) -> Result<Option<Value>, Failure> {
    let (text, from) = match (&args.conf, &args.conf_file) {
        (Some(text), _) => (text.clone(), "--conf".to_string()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| Failure::new(Exit::Usage, format!("--conf-file -: cannot read standard input ({e})")))?;
            (text, "--conf-file - (standard input)".to_string())
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::new(Exit::Usage, format!("--conf-file {}: cannot read it ({e})", path.display()))
            })?;
            (text, format!("--conf-file {}", path.display()))
        }
        (None, None) => return Ok(None),
    };
    match Value::parse(&text) {
        Ok(conf) if conf.is_object() => Ok(Some(conf)),
        Ok(other) => Err(conf_refused(format!("{from}: the conf must be a JSON object, got {}", kind(&other)))),
        Err(e) => Err(conf_refused(format!("{from}: not valid JSON ({e})"))),
    }
}

/// `base` with each `--param` set on it, converted by `params` (the DAG's Params as Airflow
/// serves them; `None` when there are no `--param`s to convert).
pub fn with_params(base: Option<Value>, pairs: &[(String, String)], params: Option<&Value>) -> Result<Value, Failure> {
    let mut conf = base.unwrap_or_else(|| Value::Object(Map::new()));
    let map = conf.as_object_mut().expect("base_conf gives objects only");
    for (name, text) in pairs {
        let param = params.and_then(|p| p.get(name.as_str()));
        if let (Some(Value::Object(all)), None) = (params, param) {
            // Airflow accepts keys that are not Params, but a misspelt name is the likelier case.
            let names: Vec<&str> = all.keys().map(String::as_str).collect();
            eprintln!(
                "warning: --param {name}: not a Param of this DAG, sent as the string {text:?} (its Params: {})",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            );
        }
        map.insert(name.clone(), convert(name, text, param)?);
    }
    Ok(conf)
}

/// One `--param` value, as its Param's schema reads it:
/// - `type` (a name or a list): the first non-string type whose JSON reading fits the value
///   (`integer`, `number`, `boolean`, `null`, `array`, `object`), else the text itself when
///   `string` is allowed, else an error;
/// - no `type` but an `enum` or `const`: the JSON reading when it is one of the values, else
///   the text;
/// - no `type` at all: the type of the Param's default (`"plain": 42` takes integers); the text
///   when the default is a string or null;
/// - a name that is not a Param (Airflow accepts those): the text.
pub fn convert(name: &str, text: &str, param: Option<&Value>) -> Result<Value, Failure> {
    let Some(param) = param else { return Ok(Value::String(text.to_string())) };
    let null = Value::Null;
    let schema = param.get("schema").unwrap_or(&null);
    let parsed = Value::parse(text).ok();
    let mut types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(String::from).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        let allowed: Option<Vec<&Value>> = match (schema.get("enum"), schema.get("const")) {
            (Some(Value::Array(values)), _) => Some(values.iter().collect()),
            (_, Some(value)) => Some(vec![value]),
            _ => None,
        };
        if let Some(allowed) = allowed {
            return Ok(match parsed {
                Some(p) if allowed.contains(&&p) => p,
                _ => Value::String(text.to_string()),
            });
        }
        match param.get("value") {
            Some(default) if !default.is_null() && !default.is_string() => types.push(kind_name(default).to_string()),
            _ => return Ok(Value::String(text.to_string())),
        }
    }
    if let Some(value) = &parsed {
        if types.iter().filter(|t| *t != "string").any(|t| fits(t, value)) {
            return Ok(value.clone());
        }
    }
    if types.iter().any(|t| t == "string") {
        return Ok(Value::String(text.to_string()));
    }
    let wanted = types.iter().map(|t| article(t)).collect::<Vec<_>>().join(" or ");
    Err(conf_refused(format!("--param {name}={text}: the Param `{name}` takes {wanted}, and `{text}` is not one")))
}

/// Whether `value` is of JSON Schema type `t` (as the crate's validator decides: `1.0` is an integer).
fn fits(t: &str, value: &Value) -> bool {
    let schema = Value::parse(&format!("{{\"type\": {}}}", Value::String(t.to_string()))).expect("a JSON object");
    ConfValidator::new(&schema, Default::default()).map(|v| v.validate(value).valid).unwrap_or(false)
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) if fits("integer", v) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn kind(v: &Value) -> String {
    article(kind_name(v))
}

fn article(t: &str) -> String {
    match t {
        "null" => "null".into(),
        "integer" | "object" | "array" => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

fn conf_refused(message: String) -> Failure {
    Failure::from_error(Exit::ConfRefused, Error::new(ErrorCode::InvalidConf, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use airflow_trigger::json;

    /// The Params of tests/airflow/dags' `trigger_params`, as Airflow 3 serves them.
    fn params() -> Value {
        json!({
            "count": {"value": 5, "schema": {"type": "integer", "minimum": 1}},
            "mode": {"value": "fast", "schema": {"enum": ["fast", "safe"]}},
            "day": {"value": "2024-01-01", "schema": {"type": "string", "format": "date"}},
            "options": {"value": {"retries": 1}, "schema": {"type": "object"}},
            "label": {"value": null, "schema": {"type": ["null", "string"]}},
            "target": {"value": null, "schema": {"type": "string", "minLength": 1}},
            "plain": {"value": 42, "schema": {}},
            "ratio": {"value": 0.5, "schema": {"type": "number"}},
            "flag": {"value": false, "schema": {"type": "boolean"}},
            "tags": {"value": [], "schema": {"type": "array"}},
            "level": {"value": 1, "schema": {"enum": [1, 2, "high"]}}
        })
    }

    fn one(name: &str, text: &str) -> Result<Value, Failure> {
        convert(name, text, params().get(name))
    }

    #[test]
    fn values_follow_the_schema_type() {
        assert_eq!(one("count", "3").unwrap(), json!(3));
        assert_eq!(one("count", "3.0").unwrap().to_string(), "3.0"); // an integer to Python too
        assert_eq!(one("ratio", "0.25").unwrap(), json!(0.25));
        assert_eq!(one("ratio", "2").unwrap(), json!(2));
        assert_eq!(one("flag", "true").unwrap(), json!(true));
        assert_eq!(one("tags", r#"["a", 1]"#).unwrap(), json!(["a", 1]));
        assert_eq!(one("options", r#"{"retries": 3}"#).unwrap(), json!({"retries": 3}));
        assert_eq!(one("day", "2024-01-31").unwrap(), json!("2024-01-31"));
        assert_eq!(one("target", "42").unwrap(), json!("42")); // a string Param keeps the text
        assert_eq!(one("target", "").unwrap(), json!("")); // the validator decides about minLength
    }

    #[test]
    fn a_type_list_tries_the_non_string_types_first() {
        assert_eq!(one("label", "null").unwrap(), Value::Null);
        assert_eq!(one("label", "nightly").unwrap(), json!("nightly"));
    }

    #[test]
    fn without_a_type_the_enum_or_the_default_decides() {
        assert_eq!(one("mode", "safe").unwrap(), json!("safe"));
        assert_eq!(one("mode", "slow").unwrap(), json!("slow")); // the validator refuses it later
        assert_eq!(one("level", "2").unwrap(), json!(2));
        assert_eq!(one("level", "high").unwrap(), json!("high"));
        assert_eq!(one("plain", "7").unwrap(), json!(7));
        assert!(one("plain", "seven").is_err());
    }

    #[test]
    fn a_value_that_fits_no_type_is_refused() {
        for (name, text) in [("count", "abc"), ("count", "1.5"), ("flag", "yes"), ("tags", "a,b"), ("options", "[]")] {
            let f = one(name, text).unwrap_err();
            assert_eq!(f.exit, Exit::ConfRefused, "{name}={text}");
            assert!(f.error.message().contains(&format!("--param {name}={text}")), "{}", f.error.message());
        }
        assert!(one("count", "abc").unwrap_err().error.message().contains("takes an integer"));
    }

    #[test]
    fn names_that_are_not_params_stay_text() {
        assert_eq!(one("extra", "12").unwrap(), json!("12"));
    }

    #[test]
    fn params_go_on_top_of_the_conf() {
        let args = ConfArgs { conf: Some(r#"{"count": 1, "target": "a"}"#.into()), conf_file: None, params: vec![] };
        let base = base_conf(&args, &mut std::io::empty()).unwrap();
        let conf = with_params(base, &[("count".into(), "9".into())], Some(&params())).unwrap();
        assert_eq!(conf, json!({"count": 9, "target": "a"}));
    }

    #[test]
    fn the_conf_must_be_a_json_object() {
        let from = |text: &str| ConfArgs { conf: Some(text.into()), conf_file: None, params: vec![] };
        let f = base_conf(&from("[1]"), &mut std::io::empty()).unwrap_err();
        assert_eq!(
            (f.exit, f.error.message()),
            (Exit::ConfRefused, "--conf: the conf must be a JSON object, got an array")
        );
        let f = base_conf(&from("{\"a\": }"), &mut std::io::empty()).unwrap_err();
        assert_eq!(f.exit, Exit::ConfRefused);
        assert!(f.error.message().starts_with("--conf: not valid JSON"), "{}", f.error.message());
    }

    #[test]
    fn conf_file_dash_reads_stdin() {
        let args = ConfArgs { conf: None, conf_file: Some("-".into()), params: vec![] };
        let conf = base_conf(&args, &mut &b"{\"target\": \"x\"}"[..]).unwrap();
        assert_eq!(conf.unwrap(), json!({"target": "x"}));
        let missing = ConfArgs { conf: None, conf_file: Some("/nonexistent/conf.json".into()), params: vec![] };
        assert_eq!(base_conf(&missing, &mut std::io::empty()).unwrap_err().exit, Exit::Usage);
    }
}
