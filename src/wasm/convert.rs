//! JS values to JSON and back, with errors that name the path of the bad value.

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::invalid;

/// Deeper than this is refused: it also stops a cyclic object from overflowing the stack.
const MAX_DEPTH: usize = 128;

/// A JS value as JSON, like `JSON.stringify` but refusing what it would silently change
/// (`NaN`, `undefined` in arrays, functions, `Date`s, `Map`s, cycles) with the value's path.
pub(crate) fn json_from_js(value: &JsValue, path: &str) -> Result<Value, JsValue> {
    to_json(value, path, 0)
}

fn to_json(value: &JsValue, path: &str, depth: usize) -> Result<Value, JsValue> {
    if depth > MAX_DEPTH {
        return Err(invalid(
            path,
            format!("is nested deeper than {MAX_DEPTH} levels (or refers to itself)"),
        ));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(n) = value.as_f64() {
        return number(n).ok_or_else(|| invalid(path, format!("{n} is not a JSON number")));
    }
    if value.is_undefined() {
        return Err(invalid(
            path,
            "is undefined, which JSON cannot carry; use null or leave the key out",
        ));
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut items = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            items.push(to_json(&item, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    if value.is_object() && !value.is_function() {
        let object: &Object = value.unchecked_ref();
        let proto = Object::get_prototype_of(value);
        let plain = proto.is_null()
            || Reflect::get(&proto, &"constructor".into()).is_ok_and(|c| {
                c.dyn_ref::<js_sys::Function>()
                    .is_some_and(|f| f.name() == "Object")
            });
        if !plain {
            let kind = object.constructor().name();
            return Err(invalid(
                path,
                format!("is a {kind}, not a plain object; convert it first (e.g. a Date with toISOString())"),
            ));
        }
        let mut map = Map::new();
        for key in Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            let item = Reflect::get(value, &JsValue::from_str(&key))?;
            if item.is_undefined() {
                continue; // as JSON.stringify does
            }
            let item_path = format!("{path}.{key}");
            map.insert(key, to_json(&item, &item_path, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    let kind = value.js_typeof().as_string().unwrap_or_default();
    Err(invalid(
        path,
        format!("is a {kind}, which JSON cannot carry"),
    ))
}

fn number(n: f64) -> Option<Value> {
    if !n.is_finite() {
        return None;
    }
    // Whole numbers stay integers in the JSON Airflow receives (5, not 5.0).
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        return Some(Value::Number(Number::from(n as i64)));
    }
    Number::from_f64(n).map(Value::Number)
}

/// A Rust value as a plain JS value (objects, not `Map`s).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            super::error::to_js(&crate::Error::new(
                crate::ErrorCode::InvalidArgument,
                e.to_string(),
            ))
        })
}

/// Refuses keys of `value` that are not in `known` (serde-wasm-bindgen reads only the fields it
/// knows, so a misspelt option would be silently ignored).
pub(crate) fn check_keys(value: &JsValue, what: &str, known: &[&str]) -> Result<(), JsValue> {
    let Some(object) = value.dyn_ref::<Object>() else {
        return Err(invalid(what, "must be an object"));
    };
    for key in Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            let hint = match known.iter().find(|k| k.eq_ignore_ascii_case(&key)) {
                Some(k) => format!("; did you mean {k:?}?"),
                None => format!("; known options: {}", known.join(", ")),
            };
            return Err(invalid(
                &format!("{what}.{key}"),
                format!("is not an option{hint}"),
            ));
        }
    }
    Ok(())
}

/// Reads a JS options object into a serde type; errors name the option.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if !value.is_object() {
        return Err(invalid(what, "must be an object"));
    }
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| invalid(what, e.to_string()))
}
