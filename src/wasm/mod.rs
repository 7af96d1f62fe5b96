//! The JS boundary: the only code that knows about JS. It converts between JS values and the
//! pure core, supplies `fetch`, time and randomness, and turns [`crate::Error`] into a JS
//! `Error` whose `name` is `"AirflowError"`, with `code`, `status`, `detail` and `field`.

mod convert;
mod error;
pub mod exports;
mod fetch;
pub(crate) mod platform;
mod types;
