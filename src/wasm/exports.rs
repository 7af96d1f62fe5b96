//! The functions the JS entry calls. Each parses its JSON argument, calls the core, and returns
//! JSON text or throws an `AirflowError`.

use crate::json::Value;
use wasm_bindgen::prelude::*;

use super::error::{invalid, to_js};
use crate::api::ApiVersion;
use crate::error::Error;
use crate::options::Fields;
use crate::params::{ParamsOptions, ParamsValidator, UnknownKeys};
use crate::request::{HttpRequest, TriggerOptions};
use crate::response::{error_from_response, parse_dag_run};
use crate::schema::{ConfValidator, Formats, ValidatorOptions};

fn parse(json: &str, what: &str) -> Result<Value, JsValue> {
    crate::json::Value::parse(json)
        .map_err(|e| to_js(&Error::invalid_argument(what, format!("is not valid JSON ({e})"))))
}

/// The package's free functions, one export for all (each export costs its own glue in the
/// payload); JSON or text in, JSON or text out, or an `AirflowError` thrown:
/// - 0 `buildTriggerRequest(options)`: `a` the options, out the request;
/// - 1 `toCurl(request, { revealSecrets })`: `a` the request, `flag` revealSecrets, out a command;
/// - 2 `parseTriggerResponse(apiVersion, status, contentType, body)`: `a`, `status`, `b`, `c`,
///   out a DAG run for a 2xx status;
/// - 3 `paramsToSchema(params)`: `a` the Params, out the schema.
#[wasm_bindgen(js_name = jsonOp)]
pub fn json_op(kind: u8, a: &str, b: &str, c: &str, status: u16, flag: bool) -> Result<String, JsValue> {
    match kind {
        0 => {
            let opts = TriggerOptions::from_json(&super::client::parse_options(a)?).map_err(|e| to_js(&e))?;
            let req = opts.build().map_err(|e| to_js(&e))?;
            Ok(req.to_json().to_json_string())
        }
        1 => {
            let req = HttpRequest::from_json(&parse(a, "request")?).map_err(|e| to_js(&e))?;
            Ok(crate::curl::to_curl(&req, flag))
        }
        2 => {
            let version = ApiVersion::parse(a).map_err(|e| to_js(&e))?;
            read_run(version, status, b, c)
        }
        _ => crate::params::params_to_schema(&parse(a, "params")?)
            .map(|s| s.to_json_string())
            .map_err(|e| crate::wasm::error::to_js(&e)),
    }
}

fn read_run(version: ApiVersion, status: u16, content_type: &str, body: &str) -> Result<String, JsValue> {
    if !(200..300).contains(&status) {
        return Err(to_js(&error_from_response(version, status, content_type, body)));
    }
    let run = parse_dag_run(body).map_err(|e| to_js(&e))?;
    Ok(super::shape::run_json(run).to_json_string())
}

fn validator_options(options: &str) -> Result<ValidatorOptions, JsValue> {
    let value = parse(options, "options")?;
    let f = Fields::new(&value, "options", "options.").map_err(|e| to_js(&e))?;
    f.only(&[
        "formats",
        "allErrors",
        "resources",
        "maxDepth",
        "maxSteps",
        "maxInputBytes",
        "maxErrors",
        "maxErrorBytes",
        "strict",
        "useDefaults",
        "addFormats",
    ])
    .map_err(|e| to_js(&e))?;
    // Strict by default in JS, as ajv 8 is: a typo in a schema is an error, not ignored.
    let mut opts = ValidatorOptions { strict: true, ..Default::default() };
    read_common(&f, &mut opts.formats, &mut opts.all_errors)?;
    if let Some(v) = f.value("strict") {
        opts.strict = v.as_bool().ok_or_else(|| invalid("options.strict", "must be true or false"))?;
    }
    if let Some(v) = f.value("useDefaults") {
        opts.use_defaults = v.as_bool().ok_or_else(|| invalid("options.useDefaults", "must be true or false"))?;
    }
    // Names only: the JS side checks them (`ValidatorHandle::new`'s `formats`).
    if let Some(Value::Array(names)) = f.value("addFormats") {
        fn by_host(_: &str) -> bool {
            false
        }
        opts.added_formats =
            names.iter().filter_map(Value::as_str).map(|n| (n.to_string(), by_host as crate::FormatCheck)).collect();
    }
    if let Some(res) = f.value("resources") {
        let Value::Object(map) = res else { return Err(invalid("options.resources", "must map URIs to schemas")) };
        opts.resources = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    }
    if let Some(n) = f.value("maxDepth") {
        opts.max_depth =
            n.as_u64().filter(|n| (1..=crate::schema::MAX_DEPTH_LIMIT as u64).contains(n)).ok_or_else(|| {
                invalid("options.maxDepth", format!("must be an integer from 1 to {}", crate::schema::MAX_DEPTH_LIMIT))
            })? as usize;
    }
    if let Some(n) = f.value("maxInputBytes") {
        opts.max_input_bytes =
            n.as_u64()
                .filter(|n| *n >= 1)
                .ok_or_else(|| invalid("options.maxInputBytes", "must be a positive integer"))? as usize;
    }
    if let Some(n) = f.value("maxErrors") {
        opts.max_errors = max_errors(n)?;
    }
    if let Some(n) = f.value("maxErrorBytes") {
        opts.max_error_bytes =
            n.as_u64()
                .filter(|n| *n >= 1)
                .ok_or_else(|| invalid("options.maxErrorBytes", "must be a positive integer"))? as usize;
    }
    if let Some(n) = f.value("maxSteps") {
        opts.max_steps =
            n.as_u64().filter(|n| *n >= 1).ok_or_else(|| invalid("options.maxSteps", "must be a positive integer"))?;
    }
    Ok(opts)
}

fn max_errors(n: &Value) -> Result<usize, JsValue> {
    n.as_u64()
        .filter(|n| (1..=1_000_000).contains(n))
        .map(|n| n as usize)
        .ok_or_else(|| invalid("options.maxErrors", "must be an integer from 1 to 1000000"))
}

fn read_common(f: &Fields, formats: &mut Formats, all_errors: &mut bool) -> Result<(), JsValue> {
    if let Some(m) = f.string("formats").map_err(|e| to_js(&e))? {
        *formats = Formats::from_name(&m).map_err(|e| invalid("options.formats", e))?;
    }
    if let Some(v) = f.value("allErrors") {
        *all_errors = v.as_bool().ok_or_else(|| invalid("options.allErrors", "must be true or false"))?;
    }
    Ok(())
}

/// Reads `bytes` (JSON as UTF-8, at most `max` bytes) and hands the value to `validate`. The
/// values to validate arrive as bytes (`TextEncoder` in JS) because wasm-bindgen copies a string
/// char by char in a JS loop, which took a seventh of a 1 MB validation.
#[cfg_attr(feature = "js-swb", allow(dead_code))]
fn validate_json<T>(
    bytes: &[u8],
    what: &str,
    max: usize,
    validate: impl FnOnce(Value) -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    if bytes.len() > max {
        return Err(if max == crate::MAX_CONF_BYTES {
            to_js(&crate::request::too_large(what, bytes.len()))
        } else {
            invalid(what, format!("is {} bytes of JSON; the limit is {max} (maxInputBytes)", bytes.len()))
        });
    }
    let text = core::str::from_utf8(bytes).map_err(|_| invalid(what, "is not valid UTF-8"))?;
    validate(parse(text, what)?)
}

#[cfg_attr(feature = "js-swb", allow(dead_code))]
fn result_json(valid: bool, errors: &[crate::schema::ValidationError], conf: Option<&Value>) -> String {
    let mut out = String::from(if valid { "{\"valid\":true,\"errors\":" } else { "{\"valid\":false,\"errors\":" });
    crate::schema::ValidationError::write_list(errors, &mut out);
    if let Some(conf) = conf {
        out.push_str(",\"conf\":");
        crate::json::write_value(&mut out, conf);
    }
    out.push('}');
    out
}

/// `new ConfValidator(schema, options)` and `new ParamsValidator(params, options)`: compiled
/// once, validates many. One class for both (each class costs its own glue in the payload).
#[wasm_bindgen(js_name = ValidatorHandle)]
pub struct ValidatorHandle(Compiled);

enum Compiled {
    /// With the JS check of the caller's own formats (`addFormat`), when there are any.
    Conf(ConfValidator, Option<js_sys::Function>),
    Params(ParamsValidator),
}

#[wasm_bindgen(js_class = ValidatorHandle)]
impl ValidatorHandle {
    /// Compiles `doc` (JSON text: a schema, or with `params` the DAG's Params) with `options`
    /// (JSON text). `formats(name, string) -> boolean` checks the formats `options.addFormats` names.
    #[wasm_bindgen(constructor)]
    pub fn new(
        params: bool,
        doc: &str,
        options: &str,
        formats: Option<js_sys::Function>,
    ) -> Result<ValidatorHandle, JsValue> {
        if params {
            return params_validator(doc, options).map(|v| ValidatorHandle(Compiled::Params(v)));
        }
        let schema = parse(doc, "schema")?;
        let opts = validator_options(options)?;
        ConfValidator::new(&schema, opts)
            .map(|v| ValidatorHandle(Compiled::Conf(v, formats)))
            .map_err(|e| crate::wasm::error::to_js(&e))
    }

    /// Validates one value (JSON text, UTF-8). A schema's: `{ valid, errors }` as JSON text, or
    /// nothing when it is valid (the common case costs no text to decode and parse in JS).
    /// Params': `{ valid, errors, conf }` always.
    #[cfg(not(feature = "js-swb"))]
    pub fn validate(&self, value: &[u8]) -> Result<Option<String>, JsValue> {
        match &self.0 {
            Compiled::Conf(v, formats) => {
                validate_json(value, "instance", v.options().max_input_bytes, |mut instance| {
                    // useDefaults: JS sets each filled default on the caller's value, as ajv does.
                    let filled =
                        v.fill(&mut instance, value.len()).ok_or_else(|| to_js(&v.too_large_with_defaults()))?;
                    let value = instance;
                    let r = match formats {
                        // The JS side catches what a check throws (and rethrows it after): false here.
                        Some(f) => v.validate_hosted(&value, &|name, s| {
                            f.call2(&JsValue::NULL, &JsValue::from_str(name), &JsValue::from_str(s))
                                .is_ok_and(|r| r.is_truthy())
                        }),
                        None => v.validate(&value),
                    };
                    if r.valid && r.errors.is_empty() && filled.is_empty() {
                        return Ok(None);
                    }
                    let mut out = result_json(r.valid, &r.errors, None);
                    if !filled.is_empty() {
                        out.pop();
                        out.push_str(",\"defaults\":[");
                        for (i, (path, d)) in filled.iter().enumerate() {
                            out.push_str(if i == 0 { "[" } else { ",[" });
                            crate::json::write_string(&mut out, path);
                            out.push(',');
                            crate::json::write_value(&mut out, d);
                            out.push(']');
                        }
                        out.push_str("]}");
                    }
                    Ok(Some(out))
                })
            }
            Compiled::Params(v) => validate_json(value, "conf", crate::MAX_CONF_BYTES, |value| {
                let r = v.validate(&value);
                Ok(Some(result_json(r.valid, &r.errors, Some(&r.conf))))
            }),
        }
    }
}

/// Compiles every Param of `params` (JSON text) with `options` (JSON text).
fn params_validator(params: &str, options: &str) -> Result<ParamsValidator, JsValue> {
    let params = parse(params, "params")?;
    let value = parse(options, "options")?;
    let f = Fields::new(&value, "options", "options.").map_err(|e| to_js(&e))?;
    f.only(&["formats", "allErrors", "unknownKeys", "maxErrors"]).map_err(|e| to_js(&e))?;
    let mut opts = ParamsOptions::default();
    read_common(&f, &mut opts.formats, &mut opts.all_errors)?;
    if let Some(n) = f.value("maxErrors") {
        opts.max_errors = max_errors(n)?;
    }
    match f.string("unknownKeys").map_err(|e| to_js(&e))?.as_deref() {
        None | Some("ignore") => {}
        Some("error") => opts.unknown_keys = UnknownKeys::Error,
        Some(other) => {
            return Err(invalid("options.unknownKeys", format!("\"{other}\" must be \"ignore\" or \"error\"")))
        }
    }
    ParamsValidator::new(&params, opts).map_err(|e| crate::wasm::error::to_js(&e))
}

// ---- Branch `measure` (issue 15): the validators with JS values through serde-wasm-bindgen ----

#[cfg(feature = "js-swb")]
fn from_js(value: JsValue, what: &str) -> Result<Value, JsValue> {
    serde_wasm_bindgen::from_value::<Value>(value).map_err(|e| invalid(what, format!("cannot be read ({e})")))
}

#[cfg(feature = "js-swb")]
fn result_js(valid: bool, errors: &[crate::schema::ValidationError], conf: Option<Value>) -> Result<JsValue, JsValue> {
    use serde::Serialize;
    let mut m = crate::json::Map::new();
    m.insert("valid".into(), Value::Bool(valid));
    m.insert("errors".into(), Value::Array(errors.iter().map(|e| e.to_json()).collect()));
    if let Some(conf) = conf {
        m.insert("conf".into(), conf);
    }
    Value::Object(m)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid("result", format!("cannot be written as a JS value ({e})")))
}

#[cfg(feature = "js-swb")]
#[wasm_bindgen(js_class = ValidatorHandle)]
impl ValidatorHandle {
    /// Validates one value (a JS value): a schema's `{ valid, errors }`, or undefined when
    /// valid; Params' `{ valid, errors, conf }`.
    #[wasm_bindgen(js_name = validateValue)]
    pub fn validate_value(&self, value: JsValue) -> Result<JsValue, JsValue> {
        match &self.0 {
            Compiled::Conf(v, formats) => {
                let value = from_js(value, "instance")?;
                let r = match formats {
                    Some(f) => v.validate_hosted(&value, &|name, s| {
                        f.call2(&JsValue::NULL, &JsValue::from_str(name), &JsValue::from_str(s))
                            .is_ok_and(|r| r.is_truthy())
                    }),
                    None => v.validate(&value),
                };
                if r.valid && r.errors.is_empty() {
                    return Ok(JsValue::UNDEFINED);
                }
                result_js(r.valid, &r.errors, None)
            }
            Compiled::Params(v) => {
                let r = v.validate(&from_js(value, "conf")?);
                result_js(r.valid, &r.errors, Some(r.conf))
            }
        }
    }
}
