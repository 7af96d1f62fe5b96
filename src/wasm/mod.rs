//! The JS boundary: the only code that knows about JS. Values cross as JSON text (the JS entry
//! `js/api.js` stringifies and parses; one `JSON.parse` is smaller and faster than walking JS
//! objects from wasm). It supplies time and randomness (the JS entry drives `fetch`), and turns [`crate::Error`] into
//! a JS `Error` named `"AirflowError"` with `code`, `status`, `detail` and `field`.

mod alloc;
pub mod client;
mod error;
pub mod exports;
#[cfg(feature = "js-gloo")]
mod gloo_export;
mod shape;
