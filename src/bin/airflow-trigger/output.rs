//! What the command prints: results on stdout (text, or one JSON object with `--output json`),
//! human messages and `--wait`'s progress on stderr.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use airflow_trigger::DagRun;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value as Json};

use crate::args::OutputFormat;
use crate::exit::Failure;

pub struct Printer {
    pub format: OutputFormat,
    /// The run the command created or follows, once known: what an interrupted command reports.
    run: Mutex<Option<DagRun>>,
}

impl Printer {
    pub fn new(format: OutputFormat) -> Printer {
        Printer { format, run: Mutex::new(None) }
    }

    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// The command's result: `value` as one line of JSON, or `text` (already formatted).
    pub fn result(&self, value: &Json, text: impl FnOnce() -> String) {
        let out = if self.json() { terminal_safe(&value.to_string()) } else { terminal_safe(&text()) };
        write_stdout(&out);
    }

    /// A message for the person at the terminal (stderr, in either format).
    pub fn note(&self, message: impl AsRef<str>) {
        stderr_line(message.as_ref());
    }

    /// The run is now `run` (created, or seen in a new state).
    pub fn saw(&self, run: &DagRun) {
        *self.run.lock().unwrap_or_else(|e| e.into_inner()) = Some(run.clone());
    }

    /// The last run seen, if any.
    pub fn last_run(&self) -> Option<DagRun> {
        self.run.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A failure: `{"error": ..., "exit_code": n, "run": ...}` on stdout with `--output json`;
    /// the message (and each conf error with its path) on stderr in either format. The
    /// library's words (`dagRunId`, `timeoutMs`) become this command's flags.
    pub fn failure(&self, failure: &Failure) {
        let e = &failure.error;
        let message = cli_terms(e.message());
        let mut text = format!("error: {message}");
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
        stderr_line(&text);
        if self.json() {
            let mut error = serde_json::to_value(e).unwrap_or_else(|_| json!({"code": e.code().as_str()}));
            error["message"] = json!(message);
            if let Some(field) = e.field() {
                error["field"] = json!(flag_of(field));
            }
            let mut out = json!({"error": error, "exit_code": failure.exit.code()});
            if let Some(run) = &failure.run {
                out["run"] = run_json(run);
            }
            if let Some(hint) = &failure.hint {
                out["hint"] = json!(hint);
            }
            write_stdout(&terminal_safe(&out.to_string()));
        }
    }
}

/// The library's names for options, as this command's flags.
const TERMS: [(&str, &str); 12] = [
    ("; call waitForRun again to keep waiting", ""),
    ("waitForRun's timeout", "--timeout"),
    (" In a browser, a CORS refusal looks exactly like this: open the developer console, and make sure Airflow's [api] access_control_allow_origins lists this page's origin.", ""),
    ("or set apiVersion", "or pass --api-version"),
    ("timeoutMs", "--request-timeout"),
    ("baseUrl", "--url"),
    ("apiVersion", "--api-version"),
    ("dagRunId", "--run-id"),
    ("logicalDate", "--logical-date"),
    ("dagId: ", "DAG_ID: "),
    ("auth.token", "AIRFLOW_TOKEN"),
    ("pass credentials in `auth` instead", "pass credentials in AIRFLOW_TOKEN, or AIRFLOW_USERNAME and AIRFLOW_PASSWORD, instead"),
];

/// `message` with the library's option names replaced by this command's flags.
pub fn cli_terms(message: &str) -> String {
    TERMS.iter().fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// The flag (or argument) a library field name stands for here.
pub fn flag_of(field: &str) -> String {
    match field {
        "dagId" => "DAG_ID".into(),
        "auth.token" => "AIRFLOW_TOKEN".into(),
        "note" => "--note".into(),
        "conf" => "--conf".into(),
        other => cli_terms(other),
    }
}

/// Whether `c` may change what a terminal shows beyond printing itself: C0 and C1 controls
/// (escape sequences, carriage returns, backspaces) and the bidirectional overrides that
/// reorder a line.
fn hazardous(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for a terminal: every hazardous character written as `\uXXXX`, so a DAG id, a note
/// or an error message from the server cannot move the cursor, recolour or rewrite the screen.
/// The escape is JSON's, so JSON stays JSON with the same value: serde_json leaves DEL, C1 and
/// the overrides raw (only ever inside strings), and this escapes them.
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(hazardous) {
        return text.to_string();
    }
    text.chars().map(|c| if hazardous(c) { format!("\\u{:04x}", u32::from(c)) } else { c.to_string() }).collect()
}

/// Writes `text` to stderr, escaped for the terminal. A stderr that cannot be written (a closed
/// pipe) loses the message, never the command: the result still goes to stdout.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(terminal_safe(text).as_bytes()).and_then(|()| err.flush());
}

/// [`stderr`] with a line break.
pub fn stderr_line(text: &str) {
    stderr(&format!("{text}\n"));
}

/// A server's value for a one-line field: its line breaks escaped too, so a note cannot print
/// a line that looks like another field.
pub fn one_line(text: &str) -> String {
    text.replace('\n', "\\u000a")
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
            stderr_line(&format!("error: could not write the result to stdout ({e})"));
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

/// A typed value (an asset, an event) as JSON, numbers kept exactly.
pub fn exact_serde<T: serde::Serialize>(value: &T) -> Json {
    airflow_trigger::json::to_value(value).map(|v| exact(&v)).unwrap_or(Json::Null)
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
        format!("dag_id:       {}", one_line(&run.dag_id)),
        format!("run_id:       {}", one_line(&run.dag_run_id)),
        format!("state:        {}", one_line(&run.state)),
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
            lines.push(format!("{:<14}{}", format!("{name}:"), one_line(v)));
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
            bar.set_prefix(terminal_safe(&one_line(&label)));
            bar.set_message("waiting");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        WaitProgress { bar, started: Instant::now(), label }
    }

    /// The run is in a new state.
    pub fn update(&self, run: &DagRun) {
        match &self.bar {
            Some(bar) => bar.set_message(terminal_safe(&one_line(&run.state))),
            None => stderr_line(&format!(
                "{} {}: {} ({} elapsed)",
                timestamp(),
                one_line(&self.label),
                one_line(&run.state),
                self.elapsed()
            )),
        }
    }

    /// A message while the line is drawn (it stays above the line).
    pub fn note(&self, message: &str) {
        let line = format!("{} {}: {}", timestamp(), one_line(&self.label), message);
        match &self.bar {
            Some(bar) => bar.suspend(|| stderr_line(&line)),
            None => stderr_line(&line),
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

    /// The library's own error for `event` answering a get_run, with no retries.
    fn library_error(event: airflow_trigger::Event) -> airflow_trigger::Error {
        use airflow_trigger::{Action, Call, Client, ClientConfig};
        let config = ClientConfig::new("http://af").unwrap().api_version(airflow_trigger::ApiVersion::V2).retries(0);
        let mut client = Client::with_seed(config, 1);
        let mut call = Call::get_run("etl", "r1").unwrap();
        assert!(matches!(call.next(&mut client, 1, airflow_trigger::Event::Start), Action::Send { .. }));
        match call.next(&mut client, 2, event) {
            Action::Done(Err(e)) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn library_words_become_the_commands_flags() {
        let timeout = cli_terms(library_error(airflow_trigger::Event::Timeout).message());
        assert!(timeout.contains("Raise --request-timeout") && !timeout.contains("timeoutMs"), "{timeout}");
        let network = cli_terms(library_error(airflow_trigger::Event::NetworkError("refused")).message());
        assert!(!network.contains("CORS") && !network.contains("browser"), "{network}");
        assert!(network.ends_with("Check that it runs and the URL is right."), "{network}");
        let id = airflow_trigger::Trigger::new().dag_run_id("bad id");
        let bad = airflow_trigger::Call::trigger("etl", id).err().expect("refused before sending");
        assert!(cli_terms(bad.message()).starts_with("--run-id: "), "{}", bad.message());
        assert_eq!(flag_of(bad.field().unwrap()), "--run-id");
    }

    #[test]
    fn server_text_cannot_drive_the_terminal() {
        let hostile = "ok\u{1b}]0;pwned\u{7}\r\u{8}\u{7f}\u{9b}2J\u{202e}txt.exe\nnext";
        let safe = terminal_safe(hostile);
        assert!(!safe.chars().any(hazardous), "{safe}");
        assert_eq!(safe, "ok\\u001b]0;pwned\\u0007\\u000d\\u0008\\u007f\\u009b2J\\u202etxt.exe\nnext");
        // JSON keeps its value: serde_json reads the escapes back to the same string.
        let json = terminal_safe(&serde_json::to_string(&hostile).unwrap());
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), hostile);
        assert_eq!(terminal_safe("plain é ✓"), "plain é ✓");
        for c in ['\u{200f}', '\u{061c}', '\u{2028}', '\u{2029}', '\u{200e}'] {
            assert!(!terminal_safe(&format!("a{c}b")).contains(c), "{c:?}");
        }
        // A note cannot print a line that looks like another field.
        let run = airflow_trigger::parse_dag_run(
            r#"{"dag_id":"etl","dag_run_id":"r1","state":"running","note":"n\nstate:        success"}"#,
        )
        .unwrap();
        let text = terminal_safe(&run_text(&run));
        assert_eq!(text.lines().filter(|l| l.starts_with("state:")).count(), 1, "{text}");
    }

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
