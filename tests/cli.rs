//! The `airflow-trigger` command against real Airflow 2.11.2 and 3.3.2 (scripts/rust-e2e.sh runs
//! it inside scripts/with-airflow.sh): exit codes, conf from every source, the dry run's curl
//! run by the real curl, and no password in any output or in the process's command line.
//!
//! Needs AF2_URL, AF2_USER, AF2_PASSWORD, AF3_URL, AF3_USER, AF3_PASSWORD (`scripts/airflow.sh
//! env 2|3` prints them); fails without them. Run one test at a time (`--test-threads=1`): the
//! tests count runs.
#![cfg(all(not(target_arch = "wasm32"), feature = "cli"))]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

mod proxy;

const BIN: &str = env!("CARGO_BIN_EXE_airflow-trigger");

struct Server {
    name: String,
    url: String,
    user: String,
    password: String,
}

/// Both servers, from the environment: missing variables fail the test (they never skip it).
fn servers() -> Vec<Server> {
    [2, 3]
        .iter()
        .map(|m| {
            let var = |what: &str| {
                let name = format!("AF{m}_{what}");
                std::env::var(&name).unwrap_or_else(|_| {
                    panic!("{name} is not set: run scripts/rust-e2e.sh run inside scripts/with-airflow.sh \"2 3\", or eval \"$(scripts/airflow.sh env {m})\" and export AF{m}_URL AF{m}_USER AF{m}_PASSWORD")
                })
            };
            Server { name: format!("Airflow {m}"), url: var("URL"), user: var("USER"), password: var("PASSWORD") }
        })
        .collect()
}

/// One finished command.
#[derive(Debug)]
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    /// stdout as the one JSON object `--output json` promises.
    fn json(&self) -> Value {
        let v: Value = serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}): {self:?}"));
        assert!(v.is_object(), "not an object: {self:?}");
        v
    }
}

/// How a command is run: the server's environment, then changes.
struct Cli<'a> {
    server: &'a Server,
    args: Vec<String>,
    env: Vec<(&'static str, Option<String>)>,
    stdin: Option<String>,
    secrets: Vec<String>,
}

fn cli<'a>(server: &'a Server, args: &[&str]) -> Cli<'a> {
    Cli {
        server,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        stdin: None,
        secrets: vec![server.password.clone()],
    }
}

impl Cli<'_> {
    /// Sets (or, with `None`, removes) a variable; a password or token set here must not show either.
    fn env(mut self, name: &'static str, value: Option<&str>) -> Self {
        if let Some(v) = value.filter(|_| name.contains("PASSWORD") || name.contains("TOKEN")) {
            self.secrets.push(v.to_string());
        }
        self.env.push((name, value.map(String::from)));
        self
    }

    fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(&self.args)
            .env("AIRFLOW_URL", &self.server.url)
            .env("AIRFLOW_USERNAME", &self.server.user)
            .env("AIRFLOW_PASSWORD", &self.server.password)
            .env_remove("AIRFLOW_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        for (name, value) in &self.env {
            match value {
                Some(v) => cmd.env(name, v),
                None => cmd.env_remove(name),
            };
        }
        cmd
    }

    /// Runs it; checks that no secret shows and that `--output json` printed one JSON object.
    fn run(self) -> Ran {
        let mut child = self.command().spawn().expect("the airflow-trigger binary runs");
        if let Some(text) = &self.stdin {
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let ran = Ran {
            code: out.status.code().expect("an exit code, not a signal"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        for secret in &self.secrets {
            assert!(!ran.stdout.contains(secret.as_str()), "a secret in stdout of {:?}: {ran:?}", self.args);
            assert!(!ran.stderr.contains(secret.as_str()), "a secret in stderr of {:?}: {ran:?}", self.args);
        }
        if self.args.windows(2).any(|w| w[0] == "--output" && w[1] == "json") {
            ran.json();
        }
        ran
    }
}

fn unique(tag: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("cli_{tag}_{nanos}")
}

/// The run as Airflow holds it (`status --output json`).
fn status(server: &Server, dag_id: &str, run_id: &str) -> Value {
    let ran = cli(server, &["status", dag_id, run_id, "--output", "json"]).run();
    assert_eq!(ran.code, 0, "{} status {run_id}: {ran:?}", server.name);
    ran.json()
}

/// How many runs the DAG has (`runs --output json`).
fn run_count(server: &Server, dag_id: &str) -> u64 {
    let ran = cli(server, &["runs", dag_id, "--output", "json"]).run();
    assert_eq!(ran.code, 0, "{ran:?}");
    ran.json()["total_entries"].as_u64().expect("total_entries")
}

const WAIT: [&str; 5] = ["--wait", "--interval", "1s", "--timeout", "240s"];

#[test]
fn trigger_wait_succeeds_with_the_conf_from_every_source() {
    let dir = std::env::temp_dir().join(unique("conf"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("conf.json");
    std::fs::write(&file, r#"{"target": "from-file", "count": 4}"#).unwrap();
    for server in &servers() {
        // (how, the arguments, stdin, the conf Airflow must hold)
        let cases: Vec<(&str, Vec<&str>, Option<&str>, Value)> = vec![
            (
                "--conf",
                vec!["--conf", r#"{"target": "from-conf", "count": 2}"#],
                None,
                serde_json::json!({"target": "from-conf", "count": 2}),
            ),
            (
                "--conf-file",
                vec!["--conf-file", file.to_str().unwrap()],
                None,
                serde_json::json!({"target": "from-file", "count": 4}),
            ),
            (
                "stdin",
                vec!["--conf-file", "-"],
                Some(r#"{"target": "from-stdin", "mode": "safe"}"#),
                serde_json::json!({"target": "from-stdin", "mode": "safe"}),
            ),
            (
                "--param",
                vec![
                    "--param",
                    "target=from-params",
                    "--param",
                    "count=3",
                    "-p",
                    r#"options={"retries": 2}"#,
                    "-p",
                    "label=null",
                    "-p",
                    "day=2024-02-29",
                ],
                None,
                serde_json::json!({"target": "from-params", "count": 3, "options": {"retries": 2}, "label": null, "day": "2024-02-29"}),
            ),
        ];
        for (how, conf_args, stdin, conf) in cases {
            let run_id = unique(how.trim_start_matches('-'));
            let mut args = vec!["trigger", "trigger_params", "--run-id", &run_id, "--output", "json"];
            args.extend(&conf_args);
            args.extend(WAIT);
            let mut c = cli(server, &args);
            if let Some(text) = stdin {
                c = c.stdin(text);
            }
            let ran = c.run();
            assert_eq!(ran.code, 0, "{} trigger --wait with {how}: {ran:?}", server.name);
            let out = ran.json();
            assert_eq!((out["dag_run_id"].as_str(), out["state"].as_str()), (Some(run_id.as_str()), Some("success")));
            assert!(ran.stderr.contains("ended success"), "{ran:?}");
            // The run exists in Airflow with exactly that conf.
            let held = status(server, "trigger_params", &run_id);
            assert_eq!(held["state"], "success", "{held}");
            assert_eq!(held["conf"], conf, "{} {how}: Airflow holds {}", server.name, held["conf"]);
        }
        // Text output: the run id on stdout, the progress on stderr as timestamped lines (no terminal here).
        let run_id = unique("text");
        let mut args = vec!["trigger", "no_params", "--run-id", &run_id];
        args.extend(WAIT);
        let ran = cli(server, &args).run();
        assert_eq!((ran.code, ran.stdout.trim()), (0, run_id.as_str()), "{ran:?}");
        let progress: Vec<&str> =
            ran.stderr.lines().filter(|l| l.contains(&run_id) && l.contains(" elapsed)")).collect();
        assert!(!progress.is_empty() && progress.iter().all(|l| l.starts_with("20")), "{ran:?}");
    }
}

#[test]
fn a_run_that_fails_exits_1() {
    for server in &servers() {
        let mut args = vec!["trigger", "always_fails", "--output", "json"];
        args.extend(WAIT);
        let ran = cli(server, &args).run();
        assert_eq!(ran.code, 1, "{} always_fails: {ran:?}", server.name);
        let out = ran.json();
        assert_eq!(out["state"], "failed", "{out}");
        // `wait` on the finished run says the same.
        let run_id = out["dag_run_id"].as_str().unwrap();
        let ran = cli(server, &["wait", "always_fails", run_id]).run();
        assert_eq!((ran.code, ran.stdout.trim()), (1, "failed"), "{ran:?}");
    }
}

#[test]
fn a_refused_conf_exits_3_with_each_error_and_creates_no_run() {
    for server in &servers() {
        let before = run_count(server, "trigger_params");
        let args = ["trigger", "trigger_params", "--param", "count=0", "--param", "mode=slow", "--param", "target=x"];
        let ran = cli(server, &args).run();
        assert_eq!(ran.code, 3, "{} {ran:?}", server.name);
        assert!(ran.stderr.contains("/count: must be >= 1"), "{ran:?}");
        assert!(ran.stderr.contains("/mode: "), "{ran:?}");
        // The same as JSON: every error with its path.
        let mut json_args = args.to_vec();
        json_args.extend(["--output", "json"]);
        let ran = cli(server, &json_args).run();
        assert_eq!(ran.code, 3, "{ran:?}");
        let out = ran.json();
        assert_eq!((out["error"]["code"].as_str(), out["exit_code"].as_i64()), (Some("INVALID_CONF"), Some(3)));
        let paths: Vec<&str> =
            out["error"]["errors"].as_array().unwrap().iter().filter_map(|e| e["instance_path"].as_str()).collect();
        assert!(paths.contains(&"/count") && paths.contains(&"/mode"), "{out}");
        // A required Param missing, a --param that fits no type, a conf that is not an object.
        let ran = cli(server, &["trigger", "trigger_params", "--conf", "{}"]).run();
        assert_eq!(ran.code, 3, "{ran:?}");
        assert!(ran.stderr.contains("target"), "{ran:?}");
        let ran = cli(
            server,
            &["trigger", "trigger_params", "--param", "count=abc", "--param", "target=x", "--output", "json"],
        )
        .run();
        assert_eq!(ran.code, 3, "{ran:?}");
        assert!(ran.json()["error"]["message"].as_str().unwrap().contains("--param count=abc"), "{ran:?}");
        let ran = cli(server, &["trigger", "trigger_params", "--conf", "[1]", "--output", "json"]).run();
        assert_eq!(ran.code, 3, "{ran:?}");
        // `validate` prints each error with its path on stdout, and sends nothing either.
        let ran = cli(server, &["validate", "trigger_params", "--param", "count=0", "--param", "mode=slow"]).run();
        assert_eq!(ran.code, 3, "{ran:?}");
        for path in ["/count: ", "/mode: ", "/target: "] {
            assert!(ran.stdout.lines().any(|l| l.starts_with(path)), "{path} in {ran:?}");
        }
        let ran = cli(server, &["validate", "trigger_params", "--param", "target=x", "--output", "json"]).run();
        assert_eq!((ran.code, ran.json()["valid"].as_bool()), (0, Some(true)), "{ran:?}");
        assert_eq!(run_count(server, "trigger_params"), before, "{}: a refused conf created a run", server.name);
    }
}

#[test]
fn the_dry_run_curl_creates_the_run_it_describes() {
    for server in &servers() {
        let run_id = unique("dry");
        let args = [
            "trigger",
            "trigger_params",
            "--run-id",
            &run_id,
            "--param",
            "target=from-curl",
            "--note",
            "curl's",
            "--dry-run",
        ];
        // Masked: no credential, and nothing created.
        let ran = cli(server, &args).run();
        assert_eq!(ran.code, 0, "{ran:?}");
        assert!(ran.stdout.starts_with("curl -X 'POST'") && ran.stdout.contains("***"), "{ran:?}");
        let missing = cli(server, &["status", "trigger_params", &run_id, "--output", "json"]).run();
        assert_eq!(missing.code, 5, "{} a dry run created a run: {missing:?}", server.name);
        let mut json_args = args.to_vec();
        json_args.extend(["--output", "json"]);
        let out = cli(server, &json_args).run().json();
        assert_eq!(out["dag_run_id"].as_str(), Some(run_id.as_str()), "{out}");
        // Revealed: the real curl in a shell creates it.
        let mut revealed = args.to_vec();
        revealed.push("--reveal-secrets");
        let ran = cli(server, &revealed).run();
        assert_eq!(ran.code, 0, "{ran:?}");
        let curl = Command::new("sh")
            .arg("-c")
            .arg(format!("{} --silent --show-error --fail", ran.stdout.trim()))
            .output()
            .unwrap();
        assert!(curl.status.success(), "{}: curl failed: {}", server.name, String::from_utf8_lossy(&curl.stderr));
        let held = status(server, "trigger_params", &run_id);
        assert_eq!(held["conf"], serde_json::json!({"target": "from-curl"}), "{held}");
        assert_eq!(held["note"], "curl's", "{held}");
    }
}

#[test]
fn errors_exit_with_their_codes_and_show_no_password() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for server in &servers() {
        let conf = ["--conf", r#"{"target": "x"}"#];
        let trigger = |dag: &'static str| {
            let mut a = vec!["trigger", dag];
            a.extend(conf);
            a.extend(["--output", "json"]);
            a
        };
        // A wrong password: 4 (Airflow 2 answers 403, Airflow 3's login 401), and it is not shown either.
        let wrong = "wrong-password-do-not-show";
        let ran = cli(server, &trigger("trigger_params")).env("AIRFLOW_PASSWORD", Some(wrong)).run();
        assert_eq!(ran.code, 4, "{} wrong password: {ran:?}", server.name);
        assert!(matches!(ran.json()["error"]["code"].as_str(), Some("UNAUTHORIZED" | "FORBIDDEN")), "{ran:?}");
        // No credentials at all: 4, with what to set.
        let ran = cli(server, &["dags"]).env("AIRFLOW_USERNAME", None).env("AIRFLOW_PASSWORD", None).run();
        assert_eq!(ran.code, 4, "{ran:?}");
        assert!(ran.stderr.contains("AIRFLOW_USERNAME and AIRFLOW_PASSWORD"), "{ran:?}");
        // A username without a password and no terminal: 4, nothing asked.
        let ran = cli(server, &["dags"]).env("AIRFLOW_PASSWORD", None).run();
        assert_eq!(ran.code, 4, "{ran:?}");
        assert!(ran.stderr.contains("--password-stdin"), "{ran:?}");
        // An unknown DAG, an unknown run: 5.
        let ran = cli(server, &trigger("no_such_dag_cli")).run();
        assert_eq!(ran.code, 5, "{ran:?}");
        assert_eq!(ran.json()["error"]["code"], "NOT_FOUND");
        let ran = cli(server, &["status", "trigger_params", "no_such_run", "--output", "json"]).run();
        assert_eq!(ran.code, 5, "{ran:?}");
        // The same run id twice with another conf: 6.
        let run_id = unique("conflict");
        let ran = cli(server, &["trigger", "paused_target", "--run-id", &run_id, "--param", "n=1"]).run();
        assert_eq!(ran.code, 0, "{ran:?}");
        assert!(ran.stderr.contains("paused"), "{ran:?}");
        let ran =
            cli(server, &["trigger", "paused_target", "--run-id", &run_id, "--param", "n=2", "--output", "json"]).run();
        assert_eq!(ran.code, 6, "{ran:?}");
        // Nothing listening: 7.
        let url = format!("http://127.0.0.1:{closed}");
        let ran = cli(server, &trigger("trigger_params")).env("AIRFLOW_URL", Some(&url)).run();
        assert_eq!(ran.code, 7, "{ran:?}");
        assert_eq!(ran.json()["error"]["code"], "NETWORK");
        // --wait gives up: 7, with the run as last seen (a paused DAG's run stays queued).
        let ran = cli(
            server,
            &["trigger", "paused_target", "--wait", "--timeout", "1", "--interval", "0.2", "--output", "json"],
        )
        .run();
        assert_eq!(ran.code, 7, "{ran:?}");
        let out = ran.json();
        assert_eq!(
            (out["error"]["code"].as_str(), out["run"]["state"].as_str()),
            (Some("TIMEOUT"), Some("queued")),
            "{out}"
        );
        assert!(ran.stderr.contains("airflow-trigger wait paused_target"), "{ran:?}");
        // Other outputs parse too.
        let out = cli(server, &["dags", "--search", "trigger", "--output", "json"]).run().json();
        assert!(out["dags"].as_array().unwrap().iter().any(|d| d["dag_id"] == "trigger_params"), "{out}");
        let out = cli(server, &["params", "trigger_params", "--output", "json"]).run().json();
        assert_eq!(out["required"], serde_json::json!(["target"]), "{out}");
        let out = cli(server, &["version", "--output", "json"]).run().json();
        assert!(
            out["version"].as_str().unwrap().starts_with(if server.name.ends_with('2') { "2." } else { "3." }),
            "{out}"
        );
    }
}

/// The password is in no process listing: neither from the environment nor from --password-stdin.
#[test]
fn the_password_is_not_in_the_command_line_of_a_running_wait() {
    for server in &servers() {
        for password_stdin in [false, true] {
            let mut c = cli(server, &["trigger", "paused_target", "--wait", "--timeout", "4", "--interval", "0.5"]);
            if password_stdin {
                c = c.env("AIRFLOW_PASSWORD", None);
                c.args.push("--password-stdin".into());
            }
            let mut cmd = c.command();
            if password_stdin {
                cmd.stdin(Stdio::piped());
            }
            let mut child = cmd.spawn().unwrap();
            if password_stdin {
                writeln!(child.stdin.take().unwrap(), "{}", server.password).unwrap();
            }
            let cmdline_path = format!("/proc/{}/cmdline", child.id());
            let started = Instant::now();
            let mut checked = 0;
            while started.elapsed() < Duration::from_secs(3) && child.try_wait().unwrap().is_none() {
                // Empty for an instant while exec sets up the new program's arguments.
                let cmdline = std::fs::read(&cmdline_path).unwrap_or_default();
                if !cmdline.is_empty() {
                    let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                    assert!(cmdline.contains("paused_target"), "{cmdline}");
                    assert!(!cmdline.contains(&server.password), "the password is in the command line: {cmdline}");
                    checked += 1;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            let out = child.wait_with_output().unwrap();
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(checked >= 5, "{} password_stdin={password_stdin}: the process ended early: {stderr}", server.name);
            // It authenticated (a wrong or missing password would be 4) and timed out waiting.
            assert_eq!(out.status.code(), Some(7), "{} password_stdin={password_stdin}: {stderr}", server.name);
            assert!(!stdout.contains(&server.password) && !stderr.contains(&server.password));
        }
    }
}

/// Without a server: completions, and clap's usage errors (2) with a suggestion.
#[test]
fn completions_and_usage_errors() {
    let run =
        |args: &[&str]| Command::new(BIN).args(args).env_remove("AIRFLOW_URL").stdin(Stdio::null()).output().unwrap();
    let out = run(&["completions", "bash"]);
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(
        script.contains("complete") && script.contains("airflow-trigger") && script.contains("--conf-file"),
        "{script}"
    );
    let out = run(&["trigger", "etl", "--cnf", "{}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--conf'"), "{out:?}");
    let out = run(&["trigger", "etl", "--password", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--password-stdin'"), "{out:?}");
    let out = run(&["trigger", "etl", "--cnf", "{}", "--output", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["exit_code"], 2);
    let out = run(&["--help"]);
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Exit codes:") && help.contains("  7  network error or timeout"), "{help}");
    let out = run(&["trigger", "etl"]);
    assert_eq!(out.status.code(), Some(2), "no URL is a usage error: {out:?}");
}

/// `--wait` rides out a proxy failing longer than the client's retries (the run goes on, so
/// does the wait); Ctrl-C during a wait ends with 130 and the run as last seen, in JSON.
#[test]
fn a_wait_outlasts_a_failing_proxy_and_ctrl_c_reports_the_run() {
    use std::sync::atomic::Ordering;
    for server in &servers() {
        let proxy::Proxy { url: proxy, fail, .. } = proxy::proxy(&server.url);
        let run_id = unique("ride");
        let ran = cli(server, &["trigger", "trigger_params", "--conf", r#"{"target": "x"}"#, "--run-id", &run_id])
            .env("AIRFLOW_URL", Some(&proxy))
            .run();
        assert_eq!(ran.code, 0, "{} through the proxy: {ran:?}", server.name);
        // Three tries a call by default: seven 503s outlast two calls' retries.
        fail.store(7, Ordering::SeqCst);
        let ran = cli(server, &["wait", "trigger_params", &run_id, "--interval", "0.3", "--timeout", "240"])
            .env("AIRFLOW_URL", Some(&proxy))
            .run();
        assert_eq!((ran.code, fail.load(Ordering::SeqCst)), (0, 0), "{}: {ran:?}", server.name);
        assert!(ran.stderr.contains("still waiting"), "{ran:?}");
        assert_eq!(ran.stdout.trim(), "success");

        // Ctrl-C: a queued run (its DAG is paused) is followed, then interrupted.
        let c = cli(server, &["trigger", "paused_target", "--param", "n=1", "--output", "json"]);
        let mut args = c.args.clone();
        args.extend(["--wait", "--interval", "0.3", "--timeout", "120"].map(String::from));
        let c = Cli { args, ..c };
        let child = c.command().spawn().unwrap();
        std::thread::sleep(Duration::from_secs(4));
        let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let started = Instant::now();
        let out = child.wait_with_output().unwrap();
        assert!(started.elapsed() < Duration::from_secs(3), "Ctrl-C ends the wait at once");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{}: {stderr}", server.name);
        let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        assert_eq!((v["error"]["code"].as_str(), v["exit_code"].as_i64()), (Some("CANCELLED"), Some(130)), "{v}");
        let run_id = v["run"]["dag_run_id"].as_str().expect("the run as last seen").to_string();
        assert_eq!(v["run"]["state"], "queued", "{v}");
        assert!(v["hint"].as_str().unwrap().contains(&format!("airflow-trigger wait paused_target {run_id}")), "{v}");
        assert!(!stderr.contains(&server.password));
    }
}

/// Text from the server is shown, never obeyed: a note with escape sequences, a carriage
/// return and a bidirectional override prints as visible escapes.
#[test]
fn server_text_cannot_drive_the_terminal() {
    for server in &servers() {
        let run_id = unique("esc");
        let note = "\u{1b}[2J\u{1b}]0;owned\u{7}\rfake\u{202e}txt";
        let ran =
            cli(server, &["trigger", "paused_target", "--param", "n=1", "--run-id", &run_id, "--note", note]).run();
        assert_eq!(ran.code, 0, "{ran:?}");
        let ran = cli(server, &["status", "paused_target", &run_id]).run();
        assert_eq!(ran.code, 0, "{ran:?}");
        assert!(ran.stdout.contains(r"\u001b[2J\u001b]0;owned\u0007\u000dfake\u202etxt"), "{ran:?}");
        assert!(!ran.stdout.contains('\u{1b}') && !ran.stdout.contains('\r') && !ran.stdout.contains('\u{202e}'));
        // --output json keeps the value.
        let out = cli(server, &["status", "paused_target", &run_id, "--output", "json"]).run().json();
        assert_eq!(out["note"], note, "{out}");
    }
}

/// Without Airflow: `--timeout` bounds a wait on a server that never answers; a closed stderr
/// loses messages, not the command; `--conf-file /dev/stdin` with `--password-stdin` is refused.
#[test]
fn local_failures_are_bounded_and_never_panic() {
    // A server that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let base = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("AIRFLOW_URL", &url)
            .env("AIRFLOW_TOKEN", "t0ken-not-shown")
            .env_remove("AIRFLOW_USERNAME")
            .env_remove("AIRFLOW_PASSWORD")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    };
    let started = Instant::now();
    let out =
        base(&["wait", "etl", "r1", "--api-version", "v2", "--timeout", "2", "--output", "json"]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(8), "--timeout 2 took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "TIMEOUT", "{v}");

    // stderr closed before the command writes to it: still exit 3 and the JSON on stdout.
    let mut child = base(&["trigger", "etl", "--conf", "[1]", "--output", "json"]).spawn().unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "INVALID_CONF", "{v}");

    for name in ["/dev/stdin", "-"] {
        let out = base(&["trigger", "etl", "--conf-file", name, "--password-stdin"])
            .env_remove("AIRFLOW_TOKEN")
            .env("AIRFLOW_USERNAME", "admin")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
    }
    let out = base(&["wait", "etl", "r1", "--interval", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--interval 0: {out:?}");
}

/// `asset-event` makes the DAG scheduled on the asset run to success; an unknown URI is 5;
/// `assets` and `asset` list it with its DAG; `trigger --unpause` runs a paused DAG.
#[test]
fn asset_events_and_unpause_from_the_command_line() {
    const LANDED: &str = "trigger-test://landed/orders";
    for server in &servers() {
        let ids = |server: &Server| -> Vec<String> {
            let out = cli(server, &["runs", "asset_consumer", "--limit", "100", "--output", "json"]).run().json();
            out["runs"].as_array().unwrap().iter().map(|r| r["dag_run_id"].as_str().unwrap().to_string()).collect()
        };
        let before = ids(server);
        let mark = unique("mark");
        let extra = format!(r#"{{"mark": "{mark}"}}"#);
        let ran = cli(server, &["asset-event", LANDED, "--extra", &extra, "--output", "json"]).run();
        assert_eq!(ran.code, 0, "{}: {ran:?}", server.name);
        let event = ran.json();
        assert_eq!(
            (event["uri"].as_str(), event["extra"]["mark"].as_str()),
            (Some(LANDED), Some(mark.as_str())),
            "{event}"
        );
        let started = Instant::now();
        let run_id = loop {
            if let Some(id) = ids(server).into_iter().find(|id| !before.contains(id)) {
                break id;
            }
            assert!(started.elapsed() < Duration::from_secs(180), "{}: no run of asset_consumer", server.name);
            std::thread::sleep(Duration::from_millis(500));
        };
        let ran = cli(server, &["wait", "asset_consumer", &run_id, "--interval", "1", "--timeout", "240"]).run();
        assert_eq!((ran.code, ran.stdout.trim()), (0, "success"), "{}: {ran:?}", server.name);

        let ran = cli(server, &["asset-event", "trigger-test://landed/order", "--output", "json"]).run();
        assert_eq!(ran.code, 5, "{}: {ran:?}", server.name);
        assert!(
            ran.json()["error"]["message"].as_str().unwrap().contains("\"trigger-test://landed/order\""),
            "{ran:?}"
        );
        let ran = cli(server, &["asset-event", LANDED, "--extra", "[1]"]).run();
        assert_eq!(ran.code, 2, "{ran:?}");

        let out = cli(server, &["assets", "--search", "trigger-test://", "--output", "json"]).run().json();
        let listed = out["assets"].as_array().unwrap();
        assert!(
            listed.iter().any(|a| a["uri"] == LANDED && a["scheduled_dags"] == serde_json::json!(["asset_consumer"])),
            "{out}"
        );
        let ran = cli(server, &["asset", LANDED]).run();
        assert!(ran.code == 0 && ran.stdout.contains("asset_consumer"), "{ran:?}");

        // --unpause (tests/live_client.rs pauses the DAG first and checks the unpause itself).
        let ran =
            cli(server, &["trigger", "unpause_target", "--unpause", "--wait", "--interval", "1", "--timeout", "240"])
                .run();
        assert_eq!(ran.code, 0, "{}: {ran:?}", server.name);
    }
}
