//! A keyword value the spec calls malformed, where python-jsonschema's `check_schema` does not
//! look (under an unknown keyword reached by a `$ref` pointer, in a subschema with another
//! draft's `$schema`): Python does not refuse the schema, it runs the keyword's function on it.
//! That compares as Python compares (`len(s) < 1.5`, `True` as 1), iterates what it is given
//! (`required: "ab"` requires `a` and `b`; `enum: "abc"` is its characters), or raises for the
//! instances the keyword looks at. The Airflow modes compile that, not a refusal.

use super::compile::{Draft, Kw, Type3};
use super::json::{type_bit, INTEGER, STRICT_INTEGER};
use crate::json::{Number, Value};

const OBJECT: u8 = 4;
const ARRAY: u8 = 8;
const NUMBER: u8 = 16;
const STRING: u8 = 32;

/// Python's name for a JSON value's type, as its exceptions print it.
pub(crate) fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_integer_text() => "int",
        Value::Number(_) => "float",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// A number as Python compares it with an `int` (`True` is 1); None where `<` raises.
fn py_number(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => Some(n.as_f64()),
        _ => None,
    }
}

fn raise(bits: u8, key: &str, v: &Value, what: &str) -> Kw {
    Kw::Raise(bits, format!("{key}: {what} ({} {})", py_type(v), v.to_json_string()))
}

trait Empty {
    fn is_empty_container(&self) -> bool;
}

impl Empty for Value {
    /// An empty list, string or object: Python iterates nothing in it.
    fn is_empty_container(&self) -> bool {
        match self {
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.is_empty(),
            Value::Object(m) => m.is_empty(),
            _ => false,
        }
    }
}

/// Python's truth value of a JSON value.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// What python-jsonschema does with `key: v` where the spec's rule for `v` fails; None where the
/// value is well formed (or the keyword is not one read here).
#[allow(clippy::redundant_guards)]
pub(crate) fn python_malformed(key: &str, v: &Value, draft: Draft) -> Option<Kw> {
    let lengths: [(&str, u8, bool); 6] = [
        ("minLength", STRING, true),
        ("maxLength", STRING, false),
        ("minItems", ARRAY, true),
        ("maxItems", ARRAY, false),
        ("minProperties", OBJECT, true),
        ("maxProperties", OBJECT, false),
    ];
    if let Some(&(_, bits, min)) = lengths.iter().find(|(k, _, _)| *k == key) {
        if let Value::Number(n) = v {
            if n.as_u64().is_some() || (n.as_f64().fract() == 0.0 && n.as_f64() >= 0.0) {
                return None;
            }
        }
        let Some(f) = py_number(v) else {
            return Some(raise(bits, key, v, "TypeError: '<' not supported between int and this value"));
        };
        // `len(x) < f` is `len(x) < ceil(f)`; `len(x) > f` is `len(x) > floor(f)`.
        let n = if min { f.ceil() } else { f.floor() };
        if !min && n < 0.0 {
            // Every instance of the type is longer than a negative limit.
            return Some(Kw::Type3(vec![Type3::Bits(!bits)], false));
        }
        let n = if n <= 0.0 {
            0
        } else if n >= u64::MAX as f64 {
            u64::MAX
        } else {
            n as u64
        };
        return Some(match key {
            "minLength" => Kw::MinLength(n),
            "maxLength" => Kw::MaxLength(n),
            "minItems" => Kw::MinItems(n),
            "maxItems" => Kw::MaxItems(n),
            "minProperties" => Kw::MinProperties(n),
            _ => Kw::MaxProperties(n),
        });
    }
    match key {
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
            if matches!(v, Value::Number(_)) || (draft.old() && key.starts_with("exclusive")) {
                return None;
            }
            let f = match py_number(v) {
                Some(f) => Number::from_f64(f)?,
                None => {
                    return Some(raise(
                        NUMBER | INTEGER,
                        key,
                        v,
                        "TypeError: '<' not supported between a number and this value",
                    ))
                }
            };
            Some(match key {
                "minimum" => Kw::Minimum(f),
                "maximum" => Kw::Maximum(f),
                "exclusiveMinimum" => Kw::ExclusiveMinimum(f),
                _ => Kw::ExclusiveMaximum(f),
            })
        }
        "multipleOf" | "divisibleBy" if (key == "divisibleBy") == (draft == Draft::Draft3) => match py_number(v) {
            Some(f) if f > 0.0 && matches!(v, Value::Number(_)) => None,
            // (A guard, not a float pattern, which older compilers warn about.)
            Some(f) if f == 0.0 => Some(raise(NUMBER | INTEGER, key, v, "ZeroDivisionError")),
            // `instance % -n` is 0 exactly where `instance % n` is.
            Some(f) => Some(Kw::MultipleOf(Number::from_f64(f.abs())?)),
            None => Some(raise(NUMBER | INTEGER, key, v, "TypeError: unsupported operand type(s) for %")),
        },
        "pattern" if !v.is_string() => {
            Some(raise(STRING, key, v, "TypeError: first argument must be string or compiled pattern"))
        }
        "required" if draft != Draft::Draft3 => {
            let names: Vec<String> = match v {
                Value::Array(a) if a.iter().all(Value::is_string) => return None,
                Value::Array(a) if a.iter().any(|x| matches!(x, Value::Array(_) | Value::Object(_))) => {
                    return Some(raise(OBJECT, key, v, "TypeError: unhashable type"));
                }
                // (A name that is not a string is never a key of the instance.)
                Value::Array(_) => return Some(Kw::Type3(vec![Type3::Bits(!OBJECT)], false)),
                Value::String(s) => s.chars().map(String::from).collect(),
                Value::Object(m) => m.keys().cloned().collect(),
                other => return Some(raise(OBJECT, key, other, "TypeError: object is not iterable")),
            };
            Some(Kw::Required(names))
        }
        // Lists of subschemas: iterated as Python iterates (nothing in an empty string or
        // object; `anyOf` and `oneOf` of nothing fail, `allOf` of nothing passes); a string's
        // characters or an object's keys are no schemas, and the first one raises.
        "allOf" | "anyOf" | "oneOf" => match v {
            Value::Array(a) if !a.is_empty() => None,
            Value::Array(_) | Value::String(_) | Value::Object(_) if v.is_empty_container() => Some(match key {
                "allOf" => Kw::AllOf(Vec::new()),
                "anyOf" => Kw::AnyOf(Vec::new()),
                _ => Kw::OneOf(Vec::new()),
            }),
            other => Some(raise(u8::MAX, key, other, "TypeError or AttributeError: no list of schemas")),
        },
        "prefixItems" if draft == Draft::Draft2020 => match v {
            Value::Array(_) => None,
            Value::String(_) | Value::Object(_) if v.is_empty_container() => Some(Kw::AllOf(Vec::new())),
            // (Zipped with the items: a character or key is no schema, for a non-empty array.)
            Value::String(_) | Value::Object(_) => Some(Kw::RaiseItems(format!("prefixItems: {v} holds no schemas"))),
            other => Some(raise(ARRAY, key, other, "TypeError: object is not iterable")),
        },
        // Draft 3 reads `required` in each property's schema, present or not: a value that is
        // no object raises, for objects.
        "properties" if draft == Draft::Draft3 && v.as_object().is_some_and(|m| m.values().any(|s| !s.is_object())) => {
            Some(raise(OBJECT, key, v, "AttributeError: a property's schema has no attribute 'get'"))
        }
        "properties" | "patternProperties" if !v.is_object() => {
            Some(raise(OBJECT, key, v, "AttributeError: object has no attribute 'items'"))
        }
        "dependentSchemas" if matches!(draft, Draft::Draft2019 | Draft::Draft2020) && !v.is_object() => {
            Some(raise(OBJECT, key, v, "AttributeError: object has no attribute 'items'"))
        }
        // (A `dependentRequired` or `dependencies` that is no object: `.items()` raises, for
        // objects.)
        "dependentRequired" if matches!(draft, Draft::Draft2019 | Draft::Draft2020) && !v.is_object() => {
            Some(raise(OBJECT, key, v, "AttributeError: object has no attribute 'items'"))
        }
        "dependencies" if !matches!(draft, Draft::Draft2019 | Draft::Draft2020) && !v.is_object() => {
            Some(raise(OBJECT, key, v, "AttributeError: object has no attribute 'items'"))
        }
        // A list or object is no key of the format checkers' dict: Python cannot hash it.
        "format" if matches!(v, Value::Array(_) | Value::Object(_)) => {
            Some(raise(u8::MAX, key, v, "TypeError: unhashable type"))
        }
        // Python reads its truth value.
        "uniqueItems" if !matches!(v, Value::Bool(_)) => truthy(v).then_some(Kw::UniqueItems),
        // Draft 3's `extends` that is neither a schema nor a list: iterated (a string's
        // characters are no schemas), or not iterable.
        "extends" if draft == Draft::Draft3 && !matches!(v, Value::Array(_) | Value::Object(_)) => match v {
            Value::String(s) if s.is_empty() => Some(Kw::AllOf(Vec::new())),
            other => Some(raise(u8::MAX, key, other, "TypeError or AttributeError: no schema and no list of schemas")),
        },
        "enum" => match v {
            Value::Array(_) => None,
            Value::String(s) => Some(Kw::Enum(s.chars().map(|c| Value::String(c.to_string())).collect())),
            Value::Object(m) => Some(Kw::Enum(m.keys().map(|k| Value::String(k.clone())).collect())),
            other => Some(raise(u8::MAX, key, other, "TypeError: object is not iterable")),
        },
        "type" if draft != Draft::Draft3 => {
            let names: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                one => vec![one],
            };
            if names.iter().all(|n| n.as_str().and_then(type_bit).is_some()) {
                return None;
            }
            let strict = draft.old();
            Some(Kw::Type3(
                names
                    .into_iter()
                    .map(|n| match n.as_str().and_then(type_bit) {
                        Some(INTEGER) if strict => Type3::Bits(STRICT_INTEGER),
                        Some(bit) => Type3::Bits(bit),
                        None => Type3::Unknown(n.to_json_string()),
                    })
                    .collect(),
                false,
            ))
        }
        _ => None,
    }
}
