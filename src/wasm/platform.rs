//! Time, randomness and float reading from the JS host (`Date.now`, `Math.random`, `parseFloat`).

pub(crate) fn now_millis() -> u64 {
    js_sys::Date::now() as u64
}

/// 64 random bits for run ids and retry jitter, which only need to be unique, not secret:
/// `Math.random` (seeded from the OS per isolate in V8, JavaScriptCore and SpiderMonkey) instead
/// of `crypto.getRandomValues`, whose first call loads Node's webcrypto (~2 ms of a cold start).
pub(crate) fn random_u64() -> u64 {
    let word = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (word() << 32) | word()
}

/// JSON number text as the nearest `f64`, by the host's `parseFloat` (correctly rounded in V8,
/// JavaScriptCore and SpiderMonkey, as `JSON.parse` is): core's parser would add ~15 KB gzip of
/// tables to the module (measured: 131.5 against 117.0 KB for the whole payload).
pub(crate) fn parse_f64(text: &str) -> f64 {
    js_sys::parse_float(text)
}
