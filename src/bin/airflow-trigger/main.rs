//! `airflow-trigger`: trigger Apache Airflow DAG runs from a shell or CI, safely (the library's
//! client over reqwest). `airflow-trigger --help` lists the commands, the credentials' rules
//! and the exit codes.
//!
//! One concern a file: `args` (the grammar), `exit` (the exit codes), `credentials`, `conf`
//! (conf and `--param`s), `dry_run` (the trigger request without its POST), `output` (stdout,
//! stderr, `--wait`'s progress); this file runs the commands.
// A `Failure` ends the process: its size on the way out costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

mod args;
mod conf;
mod credentials;
mod dry_run;
mod exit;
mod output;

use std::process::ExitCode;

use airflow_trigger::json::Value;
use airflow_trigger::{
    to_curl, AirflowClient, ApiVersion, Auth, ClientAuth, ClientConfig, DagRun, Formats, ParamsOptions,
    ParamsValidator, ReqwestTransport, Trigger,
};
use clap::{CommandFactory, Parser};
use serde_json::json;

use args::{ApiVersionArg, Cli, Command, ConfArgs, Connection, TriggerArgs, WaitArgs};
use exit::{Exit, Failure};
use output::{run_json, run_text, Printer, WaitProgress};

type Airflow = AirflowClient<ReqwestTransport>;

const NO_CREDENTIALS_HINT: &str =
    "no credentials were given: set AIRFLOW_TOKEN, or AIRFLOW_USERNAME and AIRFLOW_PASSWORD (see --help)";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    let printer = Printer::new(cli.output);
    let exit = match run(cli, &printer).await {
        Ok(exit) => exit,
        Err(failure) => {
            printer.failure(&failure);
            failure.exit
        }
    };
    ExitCode::from(exit.code())
}

/// clap's error (exit 2) or its help (exit 0); with `--output json`, an error is also one JSON
/// object on stdout.
fn usage_error(e: clap::Error) -> ! {
    // args_os: an argument that is not UTF-8 is clap's error to report, not a panic here.
    if e.use_stderr() && wants_json(std::env::args_os().map(|a| a.to_string_lossy().into_owned())) {
        let rendered = e.render().to_string();
        // The whole message: the first line alone drops the missing argument or the suggestion.
        let lines: Vec<&str> = rendered
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .collect();
        let joined = lines.join(" ");
        let message = joined.trim_start_matches("error: ");
        let error = json!({"code": "INVALID_ARGUMENT", "message": message, "field": null, "status": null,
            "detail": null, "errors": []});
        output::write_stdout(&json!({"error": error, "exit_code": Exit::Usage.code()}).to_string());
    }
    e.exit()
}

/// Whether argv asks for `--output json` (read by hand when clap could not parse it).
fn wants_json(args: impl Iterator<Item = String>) -> bool {
    let args: Vec<String> = args.collect();
    args.iter().any(|a| a == "--output=json" || a == "-ojson" || a == "-o=json")
        || args.windows(2).any(|w| (w[0] == "--output" || w[0] == "-o") && w[1] == "json")
}

async fn run(cli: Cli, printer: &Printer) -> Result<Exit, Failure> {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "airflow-trigger", &mut script);
        output::write_stdout(&String::from_utf8_lossy(&script));
        return Ok(Exit::Ok);
    }
    let conf_from_stdin = match &cli.command {
        Command::Trigger(TriggerArgs { conf, .. }) | Command::Validate { conf, .. } => {
            // Other names of standard input too: a password read first would take the conf.
            conf.conf_file
                .as_ref()
                .is_some_and(|p| matches!(p.to_str(), Some("-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")))
        }
        _ => false,
    };
    if conf_from_stdin && cli.connection.password_stdin {
        return Err(Failure::new(
            Exit::Usage,
            "--password-stdin and --conf-file - (standard input) both read standard input: put the conf in a file",
        ));
    }
    let needed = !matches!(cli.command, Command::Version);
    let auth = credentials::resolve(
        credentials::Env::read()?,
        cli.connection.password_stdin,
        needed,
        &mut std::io::stdin().lock(),
        &mut credentials::Terminal,
    )?;
    let anonymous = matches!(auth, ClientAuth::Fixed(Auth::None));
    let config = client_config(&cli.connection, auth)?;
    // Read before Ctrl-C is caught below: a read of standard input must stay interruptible.
    let base = match &cli.command {
        Command::Trigger(TriggerArgs { conf, .. }) | Command::Validate { conf, .. } => {
            conf::base_conf(conf, &mut std::io::stdin())?
        }
        _ => None,
    };
    // A trigger's run id is known before anything is sent: an interrupted or failed trigger
    // can name the run it may have created.
    let mut command = cli.command;
    // What Ctrl-C leaves behind when it comes before Airflow answered a POST.
    let pending = match &mut command {
        Command::Trigger(t) if !t.dry_run => {
            let run_id = t.run_id.get_or_insert(airflow_trigger::generate_dag_run_id()?).clone();
            Some(format!("interrupted before Airflow answered: if the trigger reached it, the run is {run_id}: look with `airflow-trigger status {dag} {run_id}`; to try again without a second run, pass --run-id {run_id}", dag = t.dag_id))
        }
        Command::AssetEvent { .. } => Some("interrupted before Airflow answered: if the event reached it, it was recorded and the DAGs scheduled on the asset will run; look at their runs before sending it again".to_string()),
        Command::Materialize { .. } => Some("interrupted before Airflow answered: if the request reached it, a run of the asset's producer was created; look at that DAG's runs before sending it again".to_string()),
        _ => None,
    };
    let dag_id = match &command {
        Command::Trigger(TriggerArgs { dag_id, .. })
        | Command::Validate { dag_id, .. }
        | Command::Status { dag_id, .. }
        | Command::Wait { dag_id, .. }
        | Command::Params { dag_id }
        | Command::Runs { dag_id, .. } => Some(dag_id.clone()),
        _ => None,
    };
    let result = tokio::select! {
        result = run_command(command, base, config, printer) => result,
        Ok(()) = tokio::signal::ctrl_c() => Err(interrupted(printer.last_run(), pending)),
    };
    result.map_err(|f| match f.exit {
        Exit::Auth if anonymous => f.hint(NO_CREDENTIALS_HINT),
        Exit::Auth if f.error.status() == Some(403) && f.hint.is_none() => f.hint(forbidden_hint(dag_id.as_deref())),
        _ => match f.error.dag_run_id().map(String::from) {
            Some(id) if f.hint.is_none() => {
                let dag = dag_id.as_deref().unwrap_or("DAG_ID");
                f.hint(format!("the run may exist: look with `airflow-trigger status {dag} {id}`; to try again without a second run, pass --run-id {id}"))
            }
            _ => f,
        },
    })
}

/// Ctrl-C: the command stops (dropping the request in flight); a run it created goes on.
fn interrupted(run: Option<DagRun>, pending: Option<String>) -> Failure {
    let failure = Failure::new(Exit::Interrupted, "interrupted (Ctrl-C)");
    match (run, pending) {
        (Some(run), _) => {
            let hint = format!(
                "run {} of {} goes on in Airflow: follow it with `airflow-trigger wait {} {}`",
                run.dag_run_id, run.dag_id, run.dag_id, run.dag_run_id
            );
            failure.hint(hint).with_run(run)
        }
        (None, Some(pending)) => failure.hint(pending),
        (None, None) => failure,
    }
}

/// What a 403 means for this command's user: the permission to ask the Airflow admin for.
fn forbidden_hint(dag_id: Option<&str>) -> String {
    let dag = dag_id.unwrap_or("<dag_id>");
    format!("if the credentials are right (Airflow 2 also answers 403 for wrong ones), the user's role lacks the permission: to trigger, Airflow 2 needs \"can create on DAG Runs\" and \"can edit on DAG:{dag}\" (or on DAGs), Airflow 3 the DAG Run create permission for {dag}; to read runs, DAGs or Params, \"can read on DAG Runs\" and \"can read on DAGs\". Ask an Airflow admin to add them to the user's role.")
}

fn client_config(connection: &Connection, auth: ClientAuth) -> Result<ClientConfig, Failure> {
    let Some(url) = connection.url.as_deref() else {
        return Err(Failure::new(Exit::Usage, "no Airflow URL: pass --url or set AIRFLOW_URL"));
    };
    let timeout_ms = u64::try_from(connection.request_timeout.as_millis()).unwrap_or(u64::MAX).max(1);
    let config = ClientConfig::new(url)?.auth(auth).timeout_ms(timeout_ms);
    Ok(match connection.api_version {
        ApiVersionArg::Auto => config,
        ApiVersionArg::V1 => config.api_version(ApiVersion::V1),
        ApiVersionArg::V2 => config.api_version(ApiVersion::V2),
    })
}

async fn run_command(
    command: Command,
    base: Option<Value>,
    config: ClientConfig,
    printer: &Printer,
) -> Result<Exit, Failure> {
    if let Command::Trigger(t) = &command {
        if t.dry_run {
            return dry_run(t, base, config, printer).await;
        }
    }
    let airflow = AirflowClient::new(config, ReqwestTransport::new());
    match command {
        Command::Trigger(t) => trigger(&airflow, t, base, printer).await,
        Command::Validate { dag_id, conf } => validate(&airflow, &dag_id, &conf, base, printer).await,
        Command::Status { dag_id, run_id } => {
            let run = airflow.get_run(&dag_id, &run_id).await?;
            printer.result(&run_json(&run), || run_text(&run));
            Ok(Exit::Ok)
        }
        Command::Wait { dag_id, run_id, wait } => {
            let run = follow(&airflow, &dag_id, &run_id, &wait, printer).await?;
            printer.result(&run_json(&run), || run.state.clone());
            Ok(run_exit(&run))
        }
        Command::Dags { search, limit } => {
            let page = airflow.list_dags(search.as_deref(), limit).await?;
            let dags: Vec<_> = page.items.iter().map(|d| serde_json::to_value(d).unwrap_or_default()).collect();
            printer.result(&json!({"dags": dags, "total_entries": page.total_entries}), || {
                let width = page.items.iter().map(|d| d.dag_id.len()).max().unwrap_or(0);
                let line = |d: &airflow_trigger::Dag| {
                    let paused = if d.is_paused { "paused" } else { "active" };
                    format!("{:<width$}  {paused}  {}", d.dag_id, d.tags.join(","))
                };
                page.items.iter().map(line).collect::<Vec<_>>().join("\n")
            });
            Ok(Exit::Ok)
        }
        Command::Params { dag_id } => {
            let schema = airflow_trigger::params_to_schema(&airflow.get_params(&dag_id).await?)?;
            let schema = output::exact(&schema);
            printer.result(&schema, || serde_json::to_string_pretty(&schema).unwrap_or_default());
            Ok(Exit::Ok)
        }
        Command::Runs { dag_id, limit } => {
            let page = airflow.list_runs(&dag_id, limit).await?;
            let runs: Vec<_> = page.items.iter().map(run_json).collect();
            printer.result(&json!({"runs": runs, "total_entries": page.total_entries}), || {
                let width = page.items.iter().map(|r| r.dag_run_id.len()).max().unwrap_or(0);
                let line = |r: &DagRun| {
                    let when = r.logical_date.as_deref().or(r.start_date.as_deref()).unwrap_or("");
                    format!("{:<width$}  {:<8}  {when}", r.dag_run_id, r.state)
                };
                page.items.iter().map(line).collect::<Vec<_>>().join("\n")
            });
            Ok(Exit::Ok)
        }
        Command::AssetEvent { asset, extra } => {
            let extra = match extra {
                Some(text) => Some(Value::parse(&text).map_err(|e| {
                    Failure::new(
                        Exit::Usage,
                        format!("--extra: not valid JSON ({e}); give an object, e.g. '{{\"rows\": 42}}'"),
                    )
                })?),
                None => None,
            };
            let event = airflow.create_asset_event(asset.asset(), extra).await?;
            let value = output::exact_serde(&event);
            printer.note(format!(
                "event {} on {} recorded; the DAGs scheduled on it run when the scheduler sees it",
                event.id.map_or("?".to_string(), |id| id.to_string()),
                event.uri.as_deref().unwrap_or("?")
            ));
            printer.result(&value, || event.id.map_or(String::new(), |id| id.to_string()));
            Ok(Exit::Ok)
        }
        Command::Assets { search, limit } => {
            let page = airflow.list_assets(search.as_deref(), limit).await?;
            let assets: Vec<_> = page.items.iter().map(output::exact_serde).collect();
            printer.result(&json!({"assets": assets, "total_entries": page.total_entries}), || {
                let width = page.items.iter().map(|a| a.uri.len()).max().unwrap_or(0);
                let line = |a: &airflow_trigger::Asset| format!("{:<width$}  {}", a.uri, a.scheduled_dags.join(","));
                page.items.iter().map(line).collect::<Vec<_>>().join("\n")
            });
            Ok(Exit::Ok)
        }
        Command::Asset { asset } => {
            let asset = airflow.get_asset(asset.asset()).await?;
            printer.result(&output::exact_serde(&asset), || {
                let id = asset.id.map_or("?".to_string(), |id| id.to_string());
                format!(
                    "uri:            {}\nid:             {id}\nscheduled_dags: {}",
                    asset.uri,
                    asset.scheduled_dags.join(", ")
                )
            });
            Ok(Exit::Ok)
        }
        Command::Materialize { asset, wait, wait_args } => {
            let run = airflow.materialize_asset(asset.asset()).await?;
            printer.saw(&run);
            printer.note(format!("materializing: {} run {} ({})", run.dag_id, run.dag_run_id, run.state));
            if !wait {
                printer.result(&run_json(&run), || run.dag_run_id.clone());
                return Ok(Exit::Ok);
            }
            let last = follow(&airflow, &run.dag_id, &run.dag_run_id, &wait_args, printer).await?;
            printer.result(&run_json(&last), || last.dag_run_id.clone());
            Ok(run_exit(&last))
        }
        Command::Version => {
            let v = airflow.version().await?;
            let value = json!({"version": v.version, "api_version": v.api_version.as_str()});
            printer.result(&value, || format!("Airflow {} (API {})", v.version, v.api_version.as_str()));
            Ok(Exit::Ok)
        }
        Command::Completions { .. } => Ok(Exit::Ok),
    }
}

/// The conf of `args`: `base` (`--conf`/`--conf-file`), then the `--param`s converted by `params`.
fn build_conf(args: &ConfArgs, base: Option<Value>, params: Option<&Value>) -> Result<Option<Value>, Failure> {
    if args.is_empty() {
        return Ok(None);
    }
    conf::with_params(base, &args.params, params).map(Some)
}

fn build_trigger(t: &TriggerArgs, conf: Option<Value>) -> Trigger {
    let mut trigger = Trigger::new().validate(!t.no_validate).unpause(t.unpause);
    trigger.conf = conf;
    trigger.dag_run_id = t.run_id.clone();
    trigger.logical_date = t.logical_date.clone();
    trigger.note = t.note.clone();
    trigger
}

async fn trigger(airflow: &Airflow, t: TriggerArgs, base: Option<Value>, printer: &Printer) -> Result<Exit, Failure> {
    let params = if t.conf.params.is_empty() { None } else { Some(airflow.get_params(&t.dag_id).await?) };
    let conf = build_conf(&t.conf, base, params.as_ref())?;
    let triggered = airflow.trigger(&t.dag_id, build_trigger(&t, conf)).await?;
    let run = &triggered.run;
    printer.saw(run);
    let existed = if triggered.already_existed { " (it already existed: an earlier try had created it)" } else { "" };
    printer.note(format!("triggered {} run {} ({}){existed}", run.dag_id, run.dag_run_id, run.state));
    if triggered.unpaused {
        printer.note(format!("unpaused {} (it was paused)", t.dag_id));
    }
    if triggered.dag_paused {
        printer.note(format!("warning: {} is paused: the run stays queued until someone unpauses the DAG", t.dag_id));
    }
    if !t.wait {
        let mut value = run_json(run);
        value["already_existed"] = json!(triggered.already_existed);
        value["dag_paused"] = json!(triggered.dag_paused);
        value["unpaused"] = json!(triggered.unpaused);
        printer.result(&value, || run.dag_run_id.clone());
        return Ok(Exit::Ok);
    }
    let last = follow(airflow, &t.dag_id, &run.dag_run_id, &t.wait_args, printer).await.map_err(|f| {
        if f.run.is_none() {
            f.with_run(run.clone())
        } else {
            f
        }
    })?;
    printer.result(&run_json(&last), || last.dag_run_id.clone());
    Ok(run_exit(&last))
}

fn run_exit(run: &DagRun) -> Exit {
    if run.state == "success" {
        Exit::Ok
    } else {
        Exit::RunFailed
    }
}

/// Polls the run to its end with progress on stderr; a timeout (exit 7) carries the last state seen.
async fn follow(
    airflow: &Airflow,
    dag_id: &str,
    run_id: &str,
    wait: &WaitArgs,
    printer: &Printer,
) -> Result<DagRun, Failure> {
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    let progress = WaitProgress::new(dag_id, run_id);
    let mut last: Option<DagRun> = None;
    let started = std::time::Instant::now();
    let mut failures = 0u32;
    let result = loop {
        let left = wait.timeout.saturating_sub(started.elapsed());
        let call = airflow.wait_for_run(dag_id, run_id, ms(wait.interval), ms(left).max(1), |run| {
            progress.update(run);
            printer.saw(run);
            last = Some(run.clone());
        });
        // --timeout bounds the wait, whatever a request's own timeout and retries would take.
        let result = match tokio::time::timeout(left, call).await {
            Ok(result) => result,
            Err(_) => Err(airflow_trigger::Error::new(
                airflow_trigger::ErrorCode::Timeout,
                format!(
                    "no final state of run {run_id} within --timeout ({})",
                    humantime::format_duration(wait.timeout)
                ),
            )),
        };
        // A proxy's 502, a restarting webserver or a lost connection that outlasted the
        // client's retries: the run goes on, so the wait does too, until --timeout, backing off.
        match result {
            Err(e) if passing(&e) => {
                failures += 1;
                let pause = wait.interval.saturating_mul(1 << failures.min(5)).min(std::time::Duration::from_secs(30));
                if started.elapsed() + pause >= wait.timeout {
                    break Err(airflow_trigger::Error::new(
                        airflow_trigger::ErrorCode::Timeout,
                        format!(
                            "still failing at the end of --timeout ({}): {}",
                            humantime::format_duration(wait.timeout),
                            e.message()
                        ),
                    ));
                }
                progress.note(&format!("{}; still waiting", output::cli_terms(e.message())));
                tokio::time::sleep(pause).await;
            }
            other => break other,
        }
    };
    progress.finish();
    match result {
        Ok(run) => {
            printer.note(format!("run {run_id} of {dag_id} ended {} after {}", run.state, progress.elapsed()));
            Ok(run)
        }
        Err(e) => {
            let mut failure = Failure::from(e);
            // Whatever ended the wait (a timeout, a proxy's 502, a lost connection), the run
            // itself goes on.
            if failure.hint.is_none() && !matches!(failure.exit, Exit::NotFound | Exit::Usage) {
                failure = failure.hint(format!(
                    "the run goes on in Airflow: follow it with `airflow-trigger wait {dag_id} {run_id}`"
                ));
            }
            Err(match last {
                Some(run) => failure.with_run(run),
                None => failure,
            })
        }
    }
}

/// Whether `e` may pass while the run goes on: Airflow or a proxy failing (5xx, 429), the
/// network, a request's timeout.
fn passing(e: &airflow_trigger::Error) -> bool {
    use airflow_trigger::ErrorCode;
    match e.code() {
        ErrorCode::Network | ErrorCode::Timeout => true,
        ErrorCode::Server | ErrorCode::BadRequest => matches!(e.status(), Some(429 | 500..=599)),
        _ => false,
    }
}

async fn validate(
    airflow: &Airflow,
    dag_id: &str,
    args: &ConfArgs,
    base: Option<Value>,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let params = airflow.get_params(dag_id).await?;
    let conf = build_conf(args, base, Some(&params))?.unwrap_or_else(|| Value::Object(Default::default()));
    // The server's own rules: Airflow 2's formats on /api/v1, Airflow 3's on /api/v2.
    let formats = if airflow.api_version() == Some(ApiVersion::V1) { Formats::Airflow2 } else { Formats::Airflow3 };
    let validator = ParamsValidator::new(&params, ParamsOptions { formats, ..Default::default() })?;
    let result = validator.validate(&conf);
    let value = json!({
        "valid": result.valid,
        "errors": serde_json::to_value(&result.errors).unwrap_or_default(),
        "conf": output::exact(&result.conf),
    });
    printer.result(&value, || {
        if result.valid {
            format!("valid; Airflow would run it with {}", result.conf)
        } else {
            let line = |e: &airflow_trigger::ValidationError| format!("{}: {}", e.instance_path, e.message);
            result.errors.iter().map(line).collect::<Vec<_>>().join("\n")
        }
    });
    if !result.valid {
        let n = result.errors.len();
        printer.note(format!("the conf does not match {dag_id}'s Params ({n} error{})", if n == 1 { "" } else { "s" }));
    }
    Ok(if result.valid { Exit::Ok } else { Exit::ConfRefused })
}

async fn dry_run(
    t: &TriggerArgs,
    base: Option<Value>,
    config: ClientConfig,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let mut dry = dry_run::DryRun::new(config);
    let params = if t.conf.params.is_empty() { None } else { Some(dry.params(&t.dag_id).await?) };
    let conf = build_conf(&t.conf, base, params.as_ref())?;
    let request = dry.trigger_request(&t.dag_id, build_trigger(t, conf)).await?;
    let curl = to_curl(&request, t.reveal_secrets);
    let run_id = request
        .body
        .as_deref()
        .and_then(|b| Value::parse(b).ok())
        .and_then(|b| b.get("dag_run_id").and_then(Value::as_str).map(String::from));
    printer.note(format!(
        "dry run: nothing was sent to create run {} (run the command below to create it){}",
        run_id.as_deref().unwrap_or("?"),
        if t.reveal_secrets { "; it holds credentials" } else { "; credentials are masked (--reveal-secrets)" },
    ));
    let value = json!({"dry_run": true, "dag_id": t.dag_id, "dag_run_id": run_id, "curl": curl, "request": request});
    printer.result(&value, || curl.clone());
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_is_found_in_argv() {
        let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>().into_iter();
        assert!(wants_json(argv("x trigger --cnf --output json")));
        assert!(wants_json(argv("x -o json trigger")));
        assert!(wants_json(argv("x trigger --output=json")));
        assert!(!wants_json(argv("x trigger --conf json")));
    }
}
