#![doc = include_str!("../README.crate.md")]
#![deny(missing_docs)]

mod api;
mod auth;
mod best_match;
mod client;
mod conf;
mod curl;
mod error;
pub mod json;
mod options;
mod params;
mod pendulum;
mod platform;
mod request;
mod response;
mod run_id;
mod schema;
mod text;
mod time;

/// The npm package's JS boundary (feature `js`, wasm32 only): not for Rust dependents.
#[doc(hidden)]
// The npm package is built with the toolchain and wasm-bindgen its lockfile pins: rust-version is
// the promise to Rust dependents, who never turn `js` on.
#[allow(missing_docs, clippy::incompatible_msrv)]
#[cfg(all(target_arch = "wasm32", feature = "js"))]
pub mod wasm;

pub use api::{check_dag_id, check_dag_run_id, encode_path_segment, ApiVersion, BaseUrl};
pub use auth::{Auth, Header, Secret};
#[cfg(all(feature = "gloo-net", target_arch = "wasm32"))]
pub use client::GlooTransport;
#[cfg(all(feature = "reqwest", not(target_arch = "wasm32")))]
pub use client::ReqwestTransport;
pub use client::{
    Action, AirflowClient, Answer, Asset, AssetEvent, AssetRef, BlockingTransport, Call, CancelToken, Client,
    ClientAuth, ClientConfig, Dag, Event, MaybeSend, Output, Page, Progress, ServerVersion, Transport, Trigger,
    TriggeredRun, MAX_ANSWER_BYTES, MAX_CONF_BYTES,
};
pub use curl::to_curl;
pub use error::{Error, ErrorCode, Result};
pub use params::{params_to_schema, ParamsOptions, ParamsResult, ParamsValidator, UnknownKeys};
pub use request::{HttpRequest, TriggerOptions};
pub use response::{error_from_response, parse_dag_run, DagRun};
pub use run_id::generate_dag_run_id;
pub use schema::{
    ConfValidator, FormatCheck, Formats, ValidationError, ValidationResult, ValidatorOptions, MAX_DEPTH_LIMIT,
};

/// For the differential tests (tests/diff_regex.rs) only: not part of the API, and may change.
#[doc(hidden)]
#[cfg(not(target_arch = "wasm32"))]
pub mod __test {
    /// Whether python-jsonschema's `uniqueItems` (as the Airflow modes follow it) finds the
    /// items of the JSON array `text` unique.
    pub fn python_unique(text: &str) -> bool {
        let v = crate::json::Value::parse(text).expect("JSON");
        crate::schema::python::duplicate(v.as_array().expect("an array"), &mut u64::MAX.clone())
            .ok()
            .flatten()
            .is_none()
    }

    /// Whether `s` passes `format` as the mode (`"airflow2"`, `"airflow3"`, `"all"`) asserts it.
    pub fn format_check(mode: &str, format: &str, s: &str) -> bool {
        let mode = crate::Formats::parse(mode).expect("a mode");
        if format == "regex" {
            return !mode.asserts("regex") || crate::schema::compile_regex(mode, s).is_ok();
        }
        !mode.asserts(format) || crate::schema::format::check(mode, format, s)
    }

    /// Whether Airflow 2 keeps `s` as a pendulum datetime (the `format: date-time` fallback).
    pub fn pendulum_datetime(s: &str) -> bool {
        crate::pendulum::is_datetime(s)
    }

    /// The crate's order of two JSON numbers (Python's: integers of any size, floats, compared
    /// exactly), as -1, 0 or 1.
    pub fn compare_numbers(a: &str, b: &str) -> i8 {
        let (a, b) =
            (crate::json::Number::parse(a).expect("a number"), crate::json::Number::parse(b).expect("a number"));
        crate::schema::json::compare(&a, &b) as i8
    }

    /// Whether the crate's own regex engine (ECMA-262, `u` flag) finds `pattern` anywhere in
    /// `text`, as `pattern` in a schema does; `Err` when it refuses the pattern.
    pub fn regex_is_match(pattern: &str, text: &str) -> Result<bool, String> {
        let regex = crate::schema::regex::Regex::new(pattern)?;
        // No budget on the work (it never runs out at u64::MAX steps).
        Ok(regex.is_match_within(text, &mut u64::MAX.clone()).unwrap_or(false))
    }

    #[cfg(feature = "python-re")]
    /// Whether the crate's Python engine (`re` of Python 3.11, the Airflow modes) finds `pattern`
    /// anywhere in `text` (`re.search`) within `budget` steps: `Err` when it refuses the pattern,
    /// `Ok(None)` when the budget ran out.
    pub fn pyregex_is_match(pattern: &str, text: &str, budget: u64) -> Result<Option<bool>, String> {
        let regex = crate::schema::pyregex::PyRegex::new(pattern)?;
        Ok(regex.is_match_within(text, &mut budget.clone()).ok())
    }

    #[cfg(feature = "python-re")]
    /// The code point `\N{name}` names in a Python pattern (`unicodedata.lookup` of Python 3.11).
    pub fn py_name_lookup(name: &str) -> Option<u32> {
        crate::schema::pynames::lookup(name)
    }

    #[cfg(feature = "python-re")]
    /// Every name and alias of the crate's names table, with its code point.
    pub fn py_table_names() -> Vec<(String, u32)> {
        crate::schema::pynames::table_names()
    }

    #[cfg(feature = "python-re")]
    /// Python's `urljoin(base, url)` as the Airflow modes join `$id`s and `$ref`s; None where
    /// Python raises `ValueError`.
    pub fn py_urljoin(base: &str, url: &str) -> Option<String> {
        crate::schema::pyurl::urljoin(base, url).ok()
    }

    #[cfg(feature = "python-re")]
    /// `_sre.unicode_iscased` as the crate computes it (from its lowercase and uppercase tables).
    pub fn py_cased(c: u32) -> bool {
        crate::schema::pyregex::is_cased(c, true)
    }

    #[cfg(feature = "python-re")]
    /// Python's simple lowercase mapping as the crate's tables hold it (`_sre.unicode_tolower`).
    pub fn py_lower(c: u32) -> u32 {
        crate::schema::pyregex::lower(c)
    }
}
