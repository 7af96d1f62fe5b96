//! Whether `referencing`'s registry crawl raises on a schema (the Airflow modes): the crawl that
//! python-jsonschema's resolver runs on the first lookup its registry cannot answer (an anchor,
//! or a URI other than the root's and the metaschemas'). It walks each resource's subresources
//! by the resource's own specification and calls Python methods on whatever it finds there, so
//! a list where it expects a schema (draft 7's `dependencies` mixing schemas and names), a
//! boolean in draft 3 or 4, or an object where it expects a list raises `AttributeError` or
//! `TypeError`, and the validation with it.

use super::compile::Draft;
use super::pymalformed::py_type;
use super::uri::escape_token;
use crate::json::{Map, Value};

/// The six specifications, and which keywords hold subresources in each.
fn lists(d: Draft) -> (&'static [&'static str], &'static [&'static str], &'static [&'static str]) {
    const SUBVALUES_OLD: &[&str] = &["definitions", "patternProperties", "properties"];
    const SUBVALUES: &[&str] = &["$defs", "definitions", "dependentSchemas", "patternProperties", "properties"];
    const ARRAY: &[&str] = &["allOf", "anyOf", "oneOf"];
    match d {
        Draft::Draft2020 => (
            &[
                "additionalProperties",
                "contains",
                "contentSchema",
                "else",
                "if",
                "items",
                "not",
                "propertyNames",
                "then",
                "unevaluatedItems",
                "unevaluatedProperties",
            ],
            &["allOf", "anyOf", "oneOf", "prefixItems"],
            SUBVALUES,
        ),
        Draft::Draft2019 => (
            &[
                "additionalItems",
                "additionalProperties",
                "contains",
                "contentSchema",
                "else",
                "if",
                "not",
                "propertyNames",
                "then",
                "unevaluatedItems",
                "unevaluatedProperties",
            ],
            ARRAY,
            SUBVALUES,
        ),
        Draft::Draft7 => (
            &["additionalItems", "additionalProperties", "contains", "else", "if", "not", "propertyNames", "then"],
            ARRAY,
            SUBVALUES_OLD,
        ),
        Draft::Draft6 => {
            (&["additionalItems", "additionalProperties", "contains", "not", "propertyNames"], ARRAY, SUBVALUES_OLD)
        }
        Draft::Draft4 => (&["not"], ARRAY, SUBVALUES_OLD),
        Draft::Draft3 => (&[], &["extends"], SUBVALUES_OLD),
    }
}

fn no_attr(v: &Value, attr: &str) -> String {
    format!("AttributeError: '{}' object has no attribute '{attr}'", py_type(v))
}

/// `"$ref" in contents`: Err where Python's `in` raises.
fn contains_ref(v: &Value) -> Result<bool, String> {
    match v {
        Value::Object(m) => Ok(m.contains_key("$ref")),
        Value::Array(a) => Ok(a.iter().any(|x| x.as_str() == Some("$ref"))),
        Value::String(s) => Ok(s.contains("$ref")),
        other => Err(format!("TypeError: argument of type '{}' is not iterable", py_type(other))),
    }
}

/// A string's `.rstrip`/`.startswith`, Err for any other value.
fn as_py_str<'a>(v: &'a Value, attr: &str) -> Result<&'a str, String> {
    v.as_str().ok_or_else(|| no_attr(v, attr))
}

/// The resource's id (`Resource.id()`: `id_of`, then `.rstrip("#")`).
pub(crate) fn id_of(d: Draft, v: &Value) -> Result<Option<String>, String> {
    let id = match d {
        Draft::Draft2020 | Draft::Draft2019 => match v {
            Value::Bool(_) => return Ok(None),
            Value::Object(m) => m.get("$id"),
            other => return Err(no_attr(other, "get")),
        },
        Draft::Draft7 | Draft::Draft6 | Draft::Draft4 | Draft::Draft3 => {
            let old = matches!(d, Draft::Draft4 | Draft::Draft3);
            if !old && matches!(v, Value::Bool(_)) {
                return Ok(None);
            }
            if contains_ref(v)? {
                return Ok(None);
            }
            let Value::Object(m) = v else { return Err(no_attr(v, "get")) };
            match m.get(if old { "id" } else { "$id" }) {
                Some(Value::Null) | None => None,
                Some(id) if as_py_str(id, "startswith")?.starts_with('#') => return Ok(None),
                Some(id) => Some(id),
            }
        }
    };
    match id {
        None | Some(Value::Null) => Ok(None),
        Some(id) => Ok(Some(as_py_str(id, "rstrip")?.trim_end_matches('#').to_owned())),
    }
}

/// `anchors_in`: Err where building or filing an anchor raises (a name Python cannot hash, an
/// id that is not a string).
fn anchors(d: Draft, v: &Value) -> Result<(), String> {
    let Value::Object(m) = v else { return Ok(()) };
    let hashable = |name: Option<&Value>| match name {
        Some(n @ (Value::Array(_) | Value::Object(_))) => Err(format!("TypeError: unhashable type: '{}'", py_type(n))),
        _ => Ok(()),
    };
    match d {
        Draft::Draft2020 => {
            hashable(m.get("$anchor").filter(|a| !a.is_null()))?;
            hashable(m.get("$dynamicAnchor").filter(|a| !a.is_null()))
        }
        Draft::Draft2019 => hashable(m.get("$anchor").filter(|a| !a.is_null())),
        Draft::Draft7 | Draft::Draft6 => m.get("$id").map_or(Ok(()), |id| as_py_str(id, "startswith").map(drop)),
        Draft::Draft4 | Draft::Draft3 => m.get("id").map_or(Ok(()), |id| as_py_str(id, "startswith").map(drop)),
    }
}

/// `yield from value`: a list's items; a string's characters and an object's keys are strings,
/// on which the crawl's next step (`.get`) raises.
fn iterate<'a>(k: &str, v: &'a Value, out: &mut Vec<(String, &'a Value)>) -> Result<(), String> {
    match v {
        Value::Array(a) => out.extend(a.iter().enumerate().map(|(i, x)| (format!("/{k}/{i}"), x))),
        Value::String(s) if s.is_empty() => {}
        Value::Object(m) if m.is_empty() => {}
        Value::String(_) | Value::Object(_) => return Err("AttributeError: 'str' object has no attribute 'get'".into()),
        other => return Err(format!("TypeError: '{}' object is not iterable", py_type(other))),
    }
    Ok(())
}

/// An object's values, and their pointers.
fn values<'a>(k: &'a str, o: &'a Map) -> impl Iterator<Item = (String, &'a Value)> + 'a {
    o.iter().map(move |(key, x)| (format!("/{k}/{}", escape_token(key)), x))
}

/// `subresources_of`: the values the crawl goes on with, and their pointers from `v`.
fn subresources(d: Draft, v: &Value) -> Result<Vec<(String, &Value)>, String> {
    let Value::Object(m) = v else { return Ok(Vec::new()) };
    let (in_value, in_subarray, in_subvalues) = lists(d);
    let mut out = Vec::new();
    for k in in_value {
        if let Some(x) = m.get(k) {
            out.push((format!("/{k}"), x));
        }
    }
    for k in in_subarray {
        if let Some(x) = m.get(k) {
            iterate(k, x, &mut out)?;
        }
    }
    for k in in_subvalues {
        match m.get(k) {
            Some(Value::Object(o)) => out.extend(values(k, o)),
            Some(other) => return Err(no_attr(other, "values")),
            None => {}
        }
    }
    if d == Draft::Draft2020 {
        return Ok(out);
    }
    match m.get("items") {
        None | Some(Value::Null) => {}
        Some(items @ (Value::Array(_) | Value::String(_))) => iterate("items", items, &mut out)?,
        Some(items) => out.push(("/items".into(), items)),
    }
    if d == Draft::Draft2019 {
        return Ok(out);
    }
    match m.get("dependencies") {
        None | Some(Value::Null) => {}
        Some(Value::Object(deps)) => {
            if let Some((_, Value::Object(_))) = deps.iter().next() {
                out.extend(values("dependencies", deps));
            }
        }
        Some(other) => return Err(no_attr(other, "values")),
    }
    if matches!(d, Draft::Draft4 | Draft::Draft3) {
        for k in ["additionalItems", "additionalProperties"] {
            if let Some(x @ Value::Object(_)) = m.get(k) {
                out.push((format!("/{k}"), x));
            }
        }
    }
    Ok(out)
}

/// `Resource.from_contents(v, default_specification=d)`: a `$schema` names the specification
/// (looked up exactly, without a trailing `#`), else the parent's.
fn detect(d: Draft, v: &Value) -> Result<Draft, String> {
    let Some(s) = v.get("$schema").filter(|s| !s.is_null()) else { return Ok(d) };
    Ok(match as_py_str(s, "rstrip")?.trim_end_matches('#') {
        "https://json-schema.org/draft/2020-12/schema" => Draft::Draft2020,
        "https://json-schema.org/draft/2019-09/schema" => Draft::Draft2019,
        "http://json-schema.org/draft-07/schema" => Draft::Draft7,
        "http://json-schema.org/draft-06/schema" => Draft::Draft6,
        "http://json-schema.org/draft-04/schema" => Draft::Draft4,
        "http://json-schema.org/draft-03/schema" => Draft::Draft3,
        _ => d,
    })
}

/// The registry `referencing`'s crawl builds from `root` (registered under `uri`, read as
/// `draft`): every resource and anchor in the order the crawl files them, so where two share a
/// URI the later one is what a lookup finds. Err: why the crawl raises.
pub(crate) struct Registry {
    /// (URI, JSON Pointer of the resource, the specification it is read by).
    pub(crate) resources: Vec<(String, String, Draft)>,
    /// (URI, anchor name, JSON Pointer, whether a `$dynamicAnchor`).
    pub(crate) anchors: Vec<(String, String, String, bool)>,
}

/// Crawls `root` as `Registry.crawl` does: a stack, so a resource's subresources are filed
/// last-listed first, each with everything below it before the next.
pub(crate) fn crawl(root: &Value, draft: Draft, uri: &str) -> Result<Registry, String> {
    let mut reg = Registry { resources: Vec::new(), anchors: Vec::new() };
    let mut stack: Vec<(String, String, &Value, Draft)> = vec![(uri.to_owned(), String::new(), root, draft)];
    while let Some((uri, ptr, v, d)) = stack.pop() {
        let uri = match id_of(d, v)? {
            Some(id) => {
                let uri = super::pyurl::urljoin(&uri, &id).map_err(|why| format!("ValueError: {why}"))?;
                reg.resources.push((uri.clone(), ptr.clone(), d));
                uri
            }
            None => uri,
        };
        anchors(d, v)?;
        for (name, dynamic) in anchor_names(d, v) {
            reg.anchors.push((uri.clone(), name, ptr.clone(), dynamic));
        }
        for (suffix, s) in subresources(d, v)? {
            stack.push((uri.clone(), format!("{ptr}{suffix}"), s, detect(d, s)?));
        }
    }
    Ok(reg)
}

/// The anchors `anchors_in` finds in a subschema (once `anchors` has let it by).
fn anchor_names(d: Draft, v: &Value) -> Vec<(String, bool)> {
    let Value::Object(m) = v else { return Vec::new() };
    let named = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    match d {
        Draft::Draft2020 => {
            named("$anchor").map(|a| (a, false)).into_iter().chain(named("$dynamicAnchor").map(|a| (a, true))).collect()
        }
        Draft::Draft2019 => named("$anchor").map(|a| (a, false)).into_iter().collect(),
        Draft::Draft7 | Draft::Draft6 => {
            named("$id").and_then(|id| Some((id.strip_prefix('#')?.to_owned(), false))).into_iter().collect()
        }
        Draft::Draft4 | Draft::Draft3 => {
            named("id").and_then(|id| Some((id.strip_prefix('#')?.to_owned(), false))).into_iter().collect()
        }
    }
}

/// The base URI `referencing`'s resolver has after a lookup of `uri#pointer` into `resource`
/// (read as `d`): the pointer walk (`Resource.pointer`) moves it by the id of each subschema it
/// reaches through a keyword that holds schemas (`maybe_in_subresource`). None where the walk
/// raises (the lookup raises there, and the compiler says so).
pub(crate) fn pointer_base(d: Draft, resource: &Value, uri: &str, pointer: &str) -> Option<String> {
    let (mut in_value, in_subarray, in_subvalues) = (lists(d).0.to_vec(), lists(d).1, lists(d).2);
    match d {
        Draft::Draft4 => in_value.extend(["additionalItems", "additionalProperties"]),
        Draft::Draft3 => in_value.extend(["additionalItems", "additionalProperties"]),
        _ => {}
    }
    let crazy: &[&str] = match d {
        Draft::Draft2020 => &[],
        Draft::Draft2019 => &["items"],
        _ => &["items", "dependencies"],
    };
    let pointer = pointer.strip_prefix('/')?;
    let decoded = super::uri::percent_decode(pointer);
    let mut base = uri.to_owned();
    let mut contents = resource;
    let mut segments: Vec<String> = Vec::new();
    for segment in decoded.split('/') {
        contents = match contents {
            Value::Array(a) => a.get(super::compile::py_index(segment, a.len())?)?,
            Value::Object(m) => m.get(&segment.replace("~1", "/").replace("~0", "~"))?,
            _ => return None,
        };
        segments.push(segment.replace("~1", "/").replace("~0", "~"));
        let mut moves = true;
        let mut it = segments.iter();
        while let Some(s) = it.next() {
            if crazy.contains(&s.as_str()) && matches!(contents, Value::Object(_)) {
                break;
            }
            let child = in_subarray.contains(&s.as_str()) || in_subvalues.contains(&s.as_str());
            if !in_value.contains(&s.as_str()) && (!child || it.next().is_none()) {
                moves = false;
                break;
            }
        }
        if moves {
            if let Some(id) = id_of(d, contents).ok()? {
                base = super::pyurl::urljoin(&base, &id).ok()?;
                segments.clear();
            }
        }
    }
    Some(base)
}
