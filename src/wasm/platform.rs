//! Time and randomness from the JS host (`Date.now`, `Math.random`).

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
