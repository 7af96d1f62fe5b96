//! Time, randomness and float reading, from where the build runs: the standard library natively
//! (and on WASI); the JS host when a JS feature brings `js-sys` (`js`, `gloo-net`); nothing on a
//! bare `wasm32-unknown-unknown`, where a caller gives the time (the client's calls take `now`
//! from their driver) and generated run ids are refused.

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod imp {
    pub(crate) fn now_millis() -> Option<u64> {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).ok().map(|d| d.as_millis() as u64)
    }

    /// Not cryptographic: run ids and hash seeds only need to be unpredictable enough to be
    /// unique. `RandomState` is seeded from the OS.
    pub(crate) fn random_u64() -> u64 {
        use std::hash::{BuildHasher, Hasher};
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u64(now_millis().unwrap_or(0));
        hasher.finish()
    }

    /// A seed that differs between processes.
    pub(crate) fn entropy() -> Option<u64> {
        Some(random_u64())
    }

    /// JSON number text as the nearest `f64` (ties to even), by core's parser. JSON's number
    /// grammar is a subset of what `f64::from_str` accepts.
    pub(crate) fn parse_f64(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown", any(feature = "js", feature = "gloo-net")))]
mod imp {
    pub(crate) fn now_millis() -> Option<u64> {
        Some(js_sys::Date::now() as u64)
    }

    /// 64 random bits for run ids and retry jitter, which only need to be unique, not secret:
    /// `Math.random` (seeded from the OS per isolate in V8, JavaScriptCore and SpiderMonkey)
    /// instead of `crypto.getRandomValues`, whose first call loads Node's webcrypto (~2 ms of a
    /// cold start).
    pub(crate) fn random_u64() -> u64 {
        let word = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        (word() << 32) | word()
    }

    /// A seed that differs between isolates.
    pub(crate) fn entropy() -> Option<u64> {
        Some(random_u64())
    }

    /// JSON number text as the nearest `f64`, by the host's `parseFloat` (correctly rounded in
    /// V8, JavaScriptCore and SpiderMonkey, as `JSON.parse` is): core's parser would add ~15 KB
    /// gzip of tables to the npm module (measured: 131.5 against 117.0 KB for the whole payload).
    pub(crate) fn parse_f64(text: &str) -> f64 {
        js_sys::parse_float(text)
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown", not(any(feature = "js", feature = "gloo-net"))))]
mod imp {
    /// No clock without a host to ask.
    pub(crate) fn now_millis() -> Option<u64> {
        None
    }

    /// No entropy source either: a counter through splitmix64, the same in every instance.
    /// Enough for the validator's hash seeds (whose worst case is bounded by `maxSteps` anyway);
    /// never for run ids, which need [`entropy`].
    pub(crate) fn random_u64() -> u64 {
        use core::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
        let mut z = COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// None: see [`random_u64`].
    pub(crate) fn entropy() -> Option<u64> {
        None
    }

    pub(crate) fn parse_f64(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }
}

pub(crate) use imp::{entropy, now_millis, parse_f64, random_u64};

/// Whether [`entropy`] can ever be `None` (a bare wasm32): only then is an unseeded client
/// possible, and its refusal worth the bytes (and in unit tests, which make one).
pub(crate) const MAY_LACK_ENTROPY: bool =
    cfg!(any(test, all(target_arch = "wasm32", target_os = "unknown", not(any(feature = "js", feature = "gloo-net")))));
