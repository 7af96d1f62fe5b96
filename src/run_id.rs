//! Generated DAG run ids: unique, valid for Airflow, never like a scheduled or manual run's id.

use crate::platform;
use crate::time::format_utc_millis;

/// The prefix of every generated run id; Airflow's own are `manual__`, `scheduled__`, ...
pub(crate) const GENERATED_PREFIX: &str = "trigger__";

/// A fresh run id, `trigger__<UTC time>_<13 random base-36 digits>`, e.g.
/// `trigger__2026-11-24T01:03:21.123Z_0k3j9x2m7q8p1`: what a trigger without one gets. It
/// matches `^[A-Za-z0-9_.~:+-]+$` and never looks like a scheduled or manual run's id. Make one
/// yourself to know a run's id before anything is sent (to log it, or to look for the run after
/// an interrupted trigger).
///
/// # Errors
/// `INVALID_ARGUMENT` on a bare wasm32, which has no clock.
///
/// # Examples
/// ```
/// let id = airflow_trigger::generate_dag_run_id().unwrap();
/// assert!(id.starts_with("trigger__"));
/// assert!(airflow_trigger::check_dag_run_id(&id).is_ok());
/// ```
pub fn generate_dag_run_id() -> crate::Result<String> {
    match platform::now_millis() {
        Some(now) => Ok(format_run_id(now, platform::random_u64())),
        None => Err(crate::Error::invalid_argument(
            "dagRunId",
            "is needed: this build has no clock to generate one with (wasm32 without the `gloo-net` feature); give a dag_run_id, or trigger through a Client, whose driver gives the time",
        )),
    }
}

pub(crate) fn format_run_id(millis: u64, random: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut suffix = [b'0'; 13];
    let mut n = random;
    for slot in suffix.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    let suffix = std::str::from_utf8(&suffix).unwrap_or("0");
    format!("{GENERATED_PREFIX}{}_{suffix}", format_utc_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::check_dag_run_id;

    #[test]
    fn generated_ids_are_valid_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = generate_dag_run_id().unwrap();
            assert!(check_dag_run_id(&id).is_ok(), "{id}");
            assert!(id.starts_with("trigger__") && !id.starts_with("scheduled__") && !id.starts_with("manual__"));
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn format_is_fixed() {
        assert_eq!(format_run_id(0, 0), "trigger__1970-01-01T00:00:00.000Z_0000000000000");
        assert_eq!(format_run_id(1_795_482_201_009, u64::MAX), "trigger__2026-11-24T01:03:21.009Z_3w5e11264sgsf");
    }
}
