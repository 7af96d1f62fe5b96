//! What the command prints: results on stdout (text, or one JSON object with `--output json`),
//! human messages and `--wait`'s progress on stderr.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant, SystemTime};

use airflow_trigger::DagRun;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value as Json};

use crate::args::OutputFormat;
use crate::exit::Failure;

pub struct Printer {
    pub format: OutputFormat,
}

impl Printer {
    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// The command's result: `value` as one line of JSON, or `text` (already formatted).
    pub fn result(&self, value: &Json, text: impl FnOnce() -> String) {
        let out = if self.json() { value.to_string() } else { text() };
        write_stdout(&out);
    }

    /// A message for the person at the terminal (stderr, in either format).
    pub fn note(&self, message: impl AsRef<str>) {
        eprintln!("{}", message.as_ref());
    }

    /// A failure: `{"error": ..., "exit_code": n, "run": ...}` on stdout with `--output json`;
    /// the message (and each conf error with its path) on stderr in either format.
    pub fn failure(&self, failure: &Failure) {
        let e = &failure.error;
        let mut text = format!("error: {}", e.message());
        if let Some(detail) = e.detail().filter(|d| !e.message().contains(d)) {
            text.push_str(&format!("\n  Airflow said: {detail}"));
        }
        for v in e.errors() {
            let path = if v.instance_path.is_empty() { "(conf)" } else { &v.instance_path };
            text.push_str(&format!("\n  {path}: {}", v.message));
        }
        if let Some(hint) = &failure.hint {
            text.push_str(&format!("\n  hint: {hint}"));
        }
        eprintln!("{text}");
        if self.json() {
            let mut out = json!({
                "error": serde_json::to_value(e).unwrap_or_else(|_| json!({"message": e.message()})),
                "exit_code": failure.exit.code(),
            });
            if let Some(run) = &failure.run {
                out["run"] = run_json(run);
            }
            if let Some(hint) = &failure.hint {
                out["hint"] = json!(hint);
            }
            write_stdout(&out.to_string());
        }
    }
}

/// Writes `text` and a line break to stdout. A closed pipe (`| head`) ends the command quietly;
/// any other failure (`>/dev/full`) is exit 8 with the reason on stderr, never a lost result
/// with exit 0, never a panic.
pub fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = writeln!(stdout, "{}", text.trim_end_matches('\n')).and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::exit(crate::exit::Exit::Other.code().into())
        }
        Err(e) => {
            eprintln!("error: could not write the result to stdout ({e})");
            std::process::exit(crate::exit::Exit::Other.code().into());
        }
    }
}

/// The crate's JSON value as serde_json's, number texts kept exactly (serde_json's
/// `arbitrary_precision`, on with the `cli` feature): a 30-digit integer or `1e400` in a conf
/// survives `--output json`.
pub fn exact(value: &airflow_trigger::json::Value) -> Json {
    serde_json::from_str(&value.to_string()).unwrap_or(Json::Null)
}

/// A run as JSON (the crate's `DagRun`: `dag_id`, `dag_run_id`, `state`, ..., `conf`, `raw`).
pub fn run_json(run: &DagRun) -> Json {
    json!({
        "dag_id": run.dag_id, "dag_run_id": run.dag_run_id, "state": run.state,
        "logical_date": run.logical_date, "conf": exact(&run.conf), "note": run.note,
        "start_date": run.start_date, "end_date": run.end_date, "run_type": run.run_type,
        "raw": exact(&run.raw),
    })
}

/// A run for people: one `key: value` line each.
pub fn run_text(run: &DagRun) -> String {
    let mut lines = vec![
        format!("dag_id:       {}", run.dag_id),
        format!("run_id:       {}", run.dag_run_id),
        format!("state:        {}", run.state),
    ];
    let optional = [
        ("logical_date", &run.logical_date),
        ("start_date", &run.start_date),
        ("end_date", &run.end_date),
        ("run_type", &run.run_type),
        ("note", &run.note),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            lines.push(format!("{:<14}{v}", format!("{name}:")));
        }
    }
    lines.push(format!("conf:         {}", run.conf));
    lines.join("\n")
}

/// `--wait`'s progress on stderr: on a terminal, one line with the state and the elapsed time,
/// redrawn in place (indicatif); otherwise one timestamped line per new state (CI logs).
pub struct WaitProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    label: String,
}

impl WaitProgress {
    pub fn new(dag_id: &str, run_id: &str) -> WaitProgress {
        let label = format!("{dag_id} {run_id}");
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{spinner} {prefix} {wide_msg} {elapsed:>6}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_prefix(label.clone());
            bar.set_message("waiting");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        WaitProgress { bar, started: Instant::now(), label }
    }

    /// The run is in a new state.
    pub fn update(&self, run: &DagRun) {
        match &self.bar {
            Some(bar) => bar.set_message(run.state.clone()),
            None => eprintln!("{} {}: {} ({} elapsed)", timestamp(), self.label, run.state, self.elapsed()),
        }
    }

    /// The wait is over: the line goes away (on a terminal) and the outcome is the caller's to say.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub fn elapsed(&self) -> String {
        let secs = self.started.elapsed().as_secs();
        humantime::format_duration(Duration::from_secs(secs)).to_string()
    }
}

fn timestamp() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_print_every_field_they_have() {
        let run = airflow_trigger::parse_dag_run(
            r#"{"dag_id":"etl","dag_run_id":"r1","state":"success","conf":{"a":1},"note":"hi","logical_date":null}"#,
        )
        .unwrap();
        let text = run_text(&run);
        assert!(text.contains("run_id:       r1") && text.contains("note:         hi"), "{text}");
        assert!(text.contains(r#"conf:         {"a":1}"#), "{text}");
        assert!(!text.contains("logical_date"));
        let j = run_json(&run);
        assert_eq!((j["dag_run_id"].as_str(), j["conf"]["a"].as_i64()), (Some("r1"), Some(1)));
    }
}
