//! `pattern` in wasm: the host's `RegExp` with the `u` flag, as the spec asks — except patterns
//! with nested quantifiers, which run on the crate's linear-time engine so that a
//! pathological pattern cannot hang a backtracking host engine.

use wasm_bindgen::prelude::*;

use crate::schema::regex::Regex;
use crate::schema::{Pattern, PatternImpl};

#[wasm_bindgen]
extern "C" {
    // Called without `new`, RegExp(p, f) still constructs; `catch` turns a SyntaxError into Err.
    #[wasm_bindgen(catch, js_name = RegExp)]
    fn new_regexp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, JsValue>;
}

pub(crate) struct HostRegex(js_sys::RegExp);

impl HostRegex {
    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.0.test(s)
    }
}

pub(crate) fn compile(p: &str) -> Result<Pattern, String> {
    let host = new_regexp(p, "u").map_err(|e| {
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "invalid pattern".into())
    })?;
    let regex = match Regex::new(p) {
        Ok(native) if native.nested_quantifiers => PatternImpl::Native(native),
        _ => PatternImpl::Host(HostRegex(host)),
    };
    Ok(Pattern { source: p.to_string(), regex })
}
