//! The conf a command sends or checks: `--conf`, `--conf-file` (`-`: standard input), then each
//! `--param NAME=VALUE` converted by its Param's schema type.

use std::io::Read;

use airflow_trigger::json::{Map, Value};
use airflow_trigger::{ConfValidator, Error, ErrorCode};

use crate::args::ConfArgs;
use crate::exit::{Exit, Failure};

/// The largest conf the command sends, as JSON text: the library's limit for every trigger.
pub use airflow_trigger::MAX_CONF_BYTES;

/// How much text a conf may take before it is read as JSON: its compact form is what counts
/// ([`MAX_CONF_BYTES`]), and a pretty-printed file is larger.
const MAX_CONF_TEXT: usize = 4 * MAX_CONF_BYTES;

/// The conf of `--conf` or `--conf-file` (`None` when neither was given). `stdin` reads `-`;
/// a file or stream is read up to [`MAX_CONF_TEXT`] and no further; the conf, as compact JSON,
/// may be [`MAX_CONF_BYTES`].
pub fn base_conf(args: &ConfArgs, stdin: &mut dyn Read) -> Result<Option<Value>, Failure> {
    let read = |from: &str, input: &mut dyn Read| {
        let mut bytes = Vec::new();
        input
            .take(MAX_CONF_TEXT as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::new(Exit::Usage, format!("{from}: cannot read it ({e})")))?;
        String::from_utf8(bytes).map_err(|e| {
            conf_refused(format!("{from}: not valid JSON (not UTF-8 text: byte {})", e.utf8_error().valid_up_to()))
        })
    };
    let (text, from) = match (&args.conf, &args.conf_file) {
        (Some(text), _) => (text.clone(), "--conf".to_string()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let from = "--conf-file - (standard input)".to_string();
            (read(&from, stdin)?, from)
        }
        (None, Some(path)) => {
            let from = format!("--conf-file {}", path.display());
            let mut file = std::fs::File::open(path)
                .map_err(|e| Failure::new(Exit::Usage, format!("{from}: cannot read it ({e})")))?;
            (read(&from, &mut file)?, from)
        }
        (None, None) => return Ok(None),
    };
    if text.len() > MAX_CONF_TEXT {
        return Err(conf_refused(format!(
            "{from}: more than {} MiB of text, read no further (a conf may be {} MiB of compact JSON)",
            MAX_CONF_TEXT >> 20,
            MAX_CONF_BYTES >> 20
        )));
    }
    match Value::parse(&text) {
        Ok(conf) if conf.is_object() && conf.to_string().len() > MAX_CONF_BYTES => Err(too_large(&from)),
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
            crate::output::stderr_line(&format!(
                "warning: --param {name}: not a Param of this DAG, sent as the string {text:?} (its Params: {})",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ));
        }
        map.insert(name.clone(), convert(name, text, param)?);
    }
    if conf.to_string().len() > MAX_CONF_BYTES {
        return Err(too_large("the conf with its --params"));
    }
    Ok(conf)
}

fn too_large(from: &str) -> Failure {
    conf_refused(format!(
        "{from}: the conf is larger than {} MiB; Airflow echoes it in its answer, which would be too large to read. Pass large data by reference (a path or URL in the conf) instead",
        MAX_CONF_BYTES >> 20
    ))
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
        if let Some(t) = types.iter().filter(|t| *t != "string").find(|t| fits(t, value)) {
            return number(name, text, t, value.clone());
        }
    }
    if types.iter().any(|t| t == "string") {
        return Ok(Value::String(text.to_string()));
    }
    let wanted = types.iter().map(|t| article(t)).collect::<Vec<_>>().join(" or ");
    Err(conf_refused(format!("--param {name}={text}: the Param `{name}` takes {wanted}, and `{text}` is not one")))
}

/// A number read for a Param of type `t`, as Python would hold it: an `integer` Param gets the
/// integer itself (`1.0` and `1e3` are sent as `1` and `1000`, so the DAG gets an `int`), and a
/// number Python reads as infinity (`1e400`) or an integer beyond its 4300 digits is refused.
fn number(name: &str, text: &str, t: &str, value: Value) -> Result<Value, Failure> {
    let Value::Number(n) = &value else { return Ok(value) };
    let refused = |why: String| conf_refused(format!("--param {name}={text}: {why}"));
    let literal = n.to_string();
    // Python's json reads a literal with a fraction or an exponent as a float, any other as an int.
    let float = literal.contains(['.', 'e', 'E']);
    if float && !n.as_f64().is_finite() {
        return Err(refused("beyond what a 64-bit float holds (Python would read infinity)".into()));
    }
    let digits = if t == "integer" {
        match integer_text(&literal) {
            Some(digits) => digits,
            // 1e-400: the validator sees Python's 0.0, an integer, but the text is not one.
            None => return Err(refused(format!("not an integer (Python would read the float {})", n.as_f64()))),
        }
    } else if float {
        return Ok(value);
    } else {
        literal
    };
    if digits.trim_start_matches('-').len() > PYTHON_MAX_DIGITS {
        return Err(refused(format!("Python reads integers of at most {PYTHON_MAX_DIGITS} digits")));
    }
    Ok(Value::parse(&digits).expect("an integer literal"))
}

/// Python's default limit on the digits of an integer read from text (`sys.int_info`).
const PYTHON_MAX_DIGITS: usize = 4300;

/// The integer a JSON number literal stands for, as decimal digits, when it has no fraction
/// (`1.50e1` is `15`); `None` otherwise. Exact (no float), and bounded: an exponent that would
/// write more than `PYTHON_MAX_DIGITS` digits gives a string just over that length.
fn integer_text(literal: &str) -> Option<String> {
    let (negative, unsigned) = literal.strip_prefix('-').map_or((false, literal), |rest| (true, rest));
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        // An exponent beyond i64 is as good as ±(i64::MAX / 2): the digits end up 0 or too many.
        Some(i) => (&unsigned[..i], saturating_exponent(&unsigned[i + 1..])?),
        None => (unsigned, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let shift = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = if shift >= 0 {
        let zeros = usize::try_from(shift).ok()?.min(PYTHON_MAX_DIGITS + 1);
        format!("{digits}{}", "0".repeat(zeros))
    } else {
        let cut = usize::try_from(shift.unsigned_abs()).ok()?;
        let keep = digits.len().saturating_sub(cut);
        if digits[keep..].bytes().any(|b| b != b'0') {
            return None;
        }
        digits[..keep].to_string()
    };
    let digits = digits.trim_start_matches('0');
    Some(match (digits.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits.to_string(),
    })
}

fn saturating_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX).min(i64::MAX / 2);
    Some(if negative { -magnitude } else { magnitude })
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
    fn integer_params_get_integers_and_numbers_stay_finite() {
        assert_eq!(one("count", "3.0").unwrap().to_string(), "3");
        assert_eq!(one("count", "-2.50e1").unwrap().to_string(), "-25"); // minimum is the validator's
        assert_eq!(one("count", "1e3").unwrap().to_string(), "1000");
        assert_eq!(one("count", "12345678901234567890123.000").unwrap().to_string(), "12345678901234567890123");
        assert_eq!(one("count", "0.0e5").unwrap().to_string(), "0");
        assert_eq!(one("ratio", "1.0").unwrap().to_string(), "1.0"); // a number Param keeps its text
        for (name, text) in [
            ("ratio", "1e400"),
            ("ratio", "-1e400"),
            ("count", "1e5000"),
            ("plain", "1e400"),
            ("count", "1e-400"),
            ("count", "1e309"),
        ] {
            let f = one(name, text).unwrap_err();
            assert_eq!(f.exit, Exit::ConfRefused, "{name}={text}");
        }
        assert!(one("count", &"9".repeat(4300)).is_ok());
        // A number Param takes a long integer (Python reads an int), up to Python's digits.
        assert!(one("ratio", &format!("1{}", "0".repeat(400))).is_ok());
        assert!(one("ratio", &"9".repeat(4301)).is_err());
        assert_eq!(one("count", "0e999999999999999999999").unwrap().to_string(), "0");
        assert!(one("count", &"9".repeat(4301)).unwrap_err().error.message().contains("4300 digits"));
        assert_eq!(integer_text("1.5"), None);
        assert_eq!(integer_text("15e-1"), None);
        assert_eq!(integer_text("150e-1").as_deref(), Some("15"));
        assert_eq!(integer_text("0.000"), Some("0".into()));
        assert_eq!(integer_text("5e-9999999999"), None);
        assert_eq!(integer_text("0e-9999999999"), Some("0".into()));
        assert_eq!(integer_text("-0.0").as_deref(), Some("0"));
        assert_eq!(integer_text("1e9223372036854775807").map(|d| d.len()), Some(4302));
    }

    #[test]
    fn a_conf_over_the_limit_is_refused_before_sending() {
        let big = format!("{{\"a\": \"{}\"}}", "x".repeat(MAX_CONF_BYTES));
        let from = ConfArgs { conf: None, conf_file: Some("-".into()), params: vec![] };
        let f = base_conf(&from, &mut big.as_bytes()).unwrap_err();
        assert_eq!(f.exit, Exit::ConfRefused);
        assert!(f.error.message().contains("larger than 4 MiB"), "{}", f.error.message());
        // Read no further than the limit: an endless stream ends.
        let f = base_conf(&from, &mut std::io::repeat(b' ')).unwrap_err();
        assert_eq!(f.exit, Exit::ConfRefused);
        let f = base_conf(&from, &mut &b"{\"a\": \"\xff\"}"[..]).unwrap_err();
        assert!(f.error.message().contains("not UTF-8"), "{}", f.error.message());
        // What counts is the compact JSON: a pretty-printed file of 7 MB holding 2 MB is read.
        let pretty = format!("{{\n{}\"a\": \"{}\"\n}}", " ".repeat(5 << 20), "x".repeat(2 << 20));
        assert!(base_conf(&from, &mut pretty.as_bytes()).unwrap().unwrap().to_string().len() < MAX_CONF_BYTES);
        let near = format!("{{\"a\": \"{}\"}}", "x".repeat(MAX_CONF_BYTES - 20));
        let base = base_conf(&from, &mut near.as_bytes()).unwrap();
        let pairs = [("b".to_string(), "y".repeat(100))];
        assert!(with_params(base, &pairs, None).unwrap_err().error.message().contains("with its --params"));
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
