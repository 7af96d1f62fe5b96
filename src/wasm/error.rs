//! `crate::Error` for JS: an `Error` named "AirflowError" whose message is the error as JSON
//! (`code`, `message`, `status`, `detail`, `field`, `dagRunId`, `errors`). The package's JS
//! (js/api.js) makes the `AirflowError` itself from it, on the way out of every export: the module
//! cannot reach that class, and one JSON text is smaller than setting each field through `Reflect`.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::json::{write_string, write_value, Value};

pub(crate) fn to_js(err: &Error) -> JsValue {
    let mut out = String::from("{\"code\":");
    write_string(&mut out, err.code().as_str());
    out.push_str(",\"message\":");
    write_string(&mut out, err.message());
    if let Some(status) = err.status() {
        out.push_str(",\"status\":");
        write_value(&mut out, &Value::from(status as u64));
    }
    for (key, value) in [("detail", err.detail()), ("field", err.field()), ("dagRunId", err.dag_run_id())] {
        if let Some(value) = value {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            write_string(&mut out, value);
        }
    }
    if !err.errors().is_empty() {
        out.push_str(",\"errors\":");
        crate::schema::ValidationError::write_list(err.errors(), &mut out);
    }
    out.push('}');
    let js = js_sys::Error::new(&out);
    js.set_name("AirflowError");
    js.into()
}

pub(crate) fn invalid(field: &str, problem: impl std::fmt::Display) -> JsValue {
    to_js(&Error::invalid_argument(field, problem))
}
