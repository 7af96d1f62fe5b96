//! Time and randomness for generated run ids, and reading floats, natively. The wasm build takes them from the JS
//! host instead (`src/wasm/platform.rs`).

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now_millis() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Not cryptographic: run ids only need to be unique. `RandomState` is seeded from the OS.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u64(now_millis());
    hasher.finish()
}

/// JSON number text as the nearest `f64` (ties to even), by core's parser. JSON's number grammar
/// is a subset of what `f64::from_str` accepts.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn parse_f64(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

#[cfg(target_arch = "wasm32")]
pub(crate) use crate::wasm::platform::{now_millis, parse_f64, random_u64};
