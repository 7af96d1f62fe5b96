//! `crate::Error` as a JS `Error` with `name: "AirflowError"`, `code`, `status`, `detail`, `field`,
//! `dagRunId`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::Error;

pub(crate) fn to_js(err: &Error) -> JsValue {
    let js = js_sys::Error::new(err.message());
    js.set_name("AirflowError");
    let obj: &JsValue = js.as_ref();
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error cannot fail.
        let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(err.code().as_str()));
    set("status", err.status().map(|s| JsValue::from(s as f64)).unwrap_or(JsValue::UNDEFINED));
    set("detail", err.detail().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED));
    set("field", err.field().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED));
    set("dagRunId", err.dag_run_id().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED));
    if !err.errors().is_empty() {
        let mut list = String::new();
        crate::schema::ValidationError::write_list(err.errors(), &mut list);
        set("errors", js_sys::JSON::parse(&list).unwrap_or(JsValue::UNDEFINED));
    }
    js.into()
}

pub(crate) fn invalid(field: &str, problem: impl std::fmt::Display) -> JsValue {
    to_js(&Error::invalid_argument(field, problem))
}
