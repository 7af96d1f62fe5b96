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

thread_local! {
    // Random bytes fetched 256 at a time: one host call per 32 run ids instead of one each.
    static POOL: std::cell::RefCell<(usize, [u8; 256])> = const { std::cell::RefCell::new((256, [0; 256])) };
}

pub(crate) fn random_u64() -> u64 {
    let pooled = POOL.with(|pool| {
        let (used, bytes) = &mut *pool.borrow_mut();
        if *used + 8 > bytes.len() {
            get_random_values(bytes).ok()?;
            *used = 0;
        }
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[*used..*used + 8]);
        *used += 8;
        Some(u64::from_le_bytes(word))
    });
    // Run ids only need to be unique, not secret.
    pooled.unwrap_or_else(|| {
        (js_sys::Math::random() * 2f64.powi(53)) as u64 ^ (js_sys::Math::random() * 2f64.powi(11)) as u64
    })
}
