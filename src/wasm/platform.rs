//! Time and randomness from the JS host (`Date.now`, `crypto.getRandomValues`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `crypto` is global in browsers, workers, Node 20+, Deno and Bun; caught where it is not.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<(), JsValue>;
}

pub(crate) fn now_millis() -> u64 {
    js_sys::Date::now() as u64
}

pub(crate) fn random_u64() -> u64 {
    let mut buf = [0u8; 8];
    if get_random_values(&mut buf).is_ok() {
        return u64::from_le_bytes(buf);
    }
    // Run ids only need to be unique, not secret.
    (js_sys::Math::random() * 2f64.powi(53)) as u64 ^ (js_sys::Math::random() * 2f64.powi(11)) as u64
}
