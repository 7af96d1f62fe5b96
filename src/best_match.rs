//! Which schema python-jsonschema's `best_match` blames when a string fails a Param in Airflow 2:
//! Airflow 2 accepts a value that fails its Param when that error's schema has
//! `format: "date-time"` and pendulum reads the value as a datetime
//! (`Param._warn_if_not_rfc3339_dt`). For a string every error is at the instance itself, so
//! `best_match` keeps, in the order the schema's keywords are written, the first error that is
//! not `anyOf`/`oneOf` and whose schema's `type` does not take the value (`relevance`); for an
//! `anyOf`/`oneOf` error it descends to the least relevant error of its branches unless the two
//! least relevant tie. The errors come from the crate's own validation (their schema paths).

use crate::json::Value;
use crate::schema::uri::escape_token;
use crate::schema::ValidationError;

/// An error as python-jsonschema's `iter_errors` yields it for a string.
struct PyError<'a> {
    schema: &'a Value,
    /// `(not weak, not _matches_type())`: greater is more relevant.
    key: (bool, bool),
    context: Vec<PyError<'a>>,
}

fn type_takes_string(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some("string")),
        _ => false, // no `type`: `_matches_type()` is False
    }
}

/// A local `$ref` ("#" or "#/json/pointer") as the location and the schema it points to.
fn local_ref<'a>(root: &'a Value, r: &str) -> Option<(String, &'a Value)> {
    let tokens = crate::schema::uri::pointer_tokens(r.strip_prefix('#')?)?;
    let mut at = root;
    for t in &tokens {
        at = match at {
            Value::Object(_) => at.get(t.as_str())?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some((r.to_string(), at))
}

fn collect<'a>(
    root: &'a Value,
    schema: &'a Value,
    loc: &str,
    errors: &[ValidationError],
    out: &mut Vec<PyError<'a>>,
    depth: usize,
) {
    let Value::Object(members) = schema else { return };
    if depth > 64 {
        return;
    }
    let failed = |at: &str| errors.iter().any(|e| e.schema_path == at);
    let key = |weak: bool| (!weak, !type_takes_string(schema));
    for (k, sub) in members.iter() {
        let here = format!("{loc}/{}", escape_token(k));
        match k.as_str() {
            "allOf" => {
                for (i, branch) in sub.as_array().into_iter().flatten().enumerate() {
                    collect(root, branch, &format!("{here}/{i}"), errors, out, depth + 1);
                }
            }
            "anyOf" | "oneOf" if failed(&here) => {
                let mut context = Vec::new();
                for (i, branch) in sub.as_array().into_iter().flatten().enumerate() {
                    collect(root, branch, &format!("{here}/{i}"), errors, &mut context, depth + 1);
                }
                out.push(PyError { schema, key: key(true), context });
            }
            "then" | "else" => collect(root, sub, &here, errors, out, depth + 1),
            "$ref" => {
                if let Some((target_loc, target)) = sub.as_str().and_then(|r| local_ref(root, r)) {
                    collect(root, target, &target_loc, errors, out, depth + 1);
                }
            }
            "if" | "anyOf" | "oneOf" => {}
            _ if failed(&here) => out.push(PyError { schema, key: key(false), context: Vec::new() }),
            _ => {}
        }
    }
}

/// The index of the first least relevant error.
fn least(errors: &[PyError]) -> Option<usize> {
    let mut at: Option<usize> = None;
    for (i, e) in errors.iter().enumerate() {
        if at.map_or(true, |j| e.key < errors[j].key) {
            at = Some(i);
        }
    }
    at
}

/// Whether `best_match`'s error, for the string that failed `schema` with `errors`, has
/// `format: "date-time"` in its schema.
pub(crate) fn blames_date_time(schema: &Value, errors: &[ValidationError]) -> bool {
    let mut top = Vec::new();
    collect(schema, schema, "#", errors, &mut top, 0);
    // max() keeps the first of the most relevant.
    let mut best = match top.iter().max_by(|a, b| a.key.cmp(&b.key).then(std::cmp::Ordering::Greater)) {
        Some(b) => b,
        None => return false,
    };
    while let Some(first) = least(&best.context) {
        // nsmallest(2): the first least relevant, and the first least relevant of the others.
        let second = best.context.iter().enumerate().filter(|(i, _)| *i != first).map(|(_, e)| e.key).min();
        if second == Some(best.context[first].key) {
            break;
        }
        best = &best.context[first];
    }
    best.schema.get("format").and_then(Value::as_str) == Some("date-time")
}

#[cfg(test)]
mod tests {
    use crate::json;
    use crate::{Formats, ParamsOptions, ParamsValidator};

    /// Airflow 2.11.2's verdicts (tests/agreement.rs checks many more).
    #[test]
    fn blames_as_python_jsonschema() {
        let v = |schema, value| {
            let params = json!({"p": {"value": null, "schema": schema}});
            let v = ParamsValidator::new(&params, ParamsOptions { formats: Formats::Airflow2, ..Default::default() });
            v.unwrap().validate(&json!({ "p": value })).valid
        };
        assert!(v(json!({"type": "string", "format": "date-time"}), json!("2024-001T10:00")));
        assert!(v(json!({"type": "string", "format": "date-time", "minLength": 30}), json!("2024-01-01T10:00:00Z")));
        assert!(v(
            json!({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}),
            json!("2024-001T10:00")
        ));
        assert!(!v(
            json!({"oneOf": [{"format": "date-time"}, {"type": "string", "maxLength": 3}]}),
            json!("2024-01T10:00")
        ));
        assert!(!v(json!({"allOf": [{"format": "date-time"}], "minLength": 30}), json!("2024-01-01T10:00:00Z")));
        assert!(!v(json!({"anyOf": [{"format": "date-time"}, {"maxLength": 3}]}), json!("2024-01-01T10:00:00")));
        assert!(v(
            json!({"$defs": {"d": {"type": "string", "format": "date-time"}}, "$ref": "#/$defs/d"}),
            json!("2024-W01T10")
        ));
    }
}
