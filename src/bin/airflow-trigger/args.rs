//! The command line's grammar (clap): commands, flags, their help, and value parsers.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::Exit;

const CREDENTIALS_HELP: &str = "\
Credentials (never a flag: argv is visible to every user of the machine):
  AIRFLOW_TOKEN                          a bearer token (Airflow 3 JWT, or a proxy's token)
  AIRFLOW_USERNAME + AIRFLOW_PASSWORD    Basic auth on Airflow 2; exchanged for a JWT on Airflow 3
  AIRFLOW_USERNAME + --password-stdin    the password is the first line of standard input
  AIRFLOW_USERNAME alone, on a terminal  the password is asked for (not echoed)
No secret is printed in any output or error (--dry-run masks them unless --reveal-secrets).";

/// The whole help epilogue: credentials, then the exit codes.
fn after_help() -> String {
    format!("{CREDENTIALS_HELP}\n\n{}", Exit::help())
}

/// Trigger Apache Airflow DAG runs safely: the conf is checked against the DAG's Params before
/// anything is sent, a retry never creates a second run, and `--wait` follows the run to its end.
#[derive(Debug, Parser)]
#[command(name = "airflow-trigger", version, after_help = after_help())]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    /// `text`: human messages on stderr, the result on stdout; `json`: one JSON object on
    /// stdout (the result, or `{"error": ...}`).
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    #[command(subcommand)]
    pub command: Command,
}

/// Where Airflow is and how to talk to it.
#[derive(Debug, Args)]
pub struct Connection {
    /// Airflow's base URL (without /api/v1 or /api/v2), e.g. http://127.0.0.1:8080.
    #[arg(long, env = "AIRFLOW_URL", hide_env_values = true, global = true, value_name = "URL")]
    pub url: Option<String>,

    /// The REST API: `v1` (Airflow 2), `v2` (Airflow 3), or `auto` (asked of the server).
    #[arg(long, global = true, value_enum, default_value_t = ApiVersionArg::Auto)]
    pub api_version: ApiVersionArg,

    /// Read the password from the first line of standard input (with AIRFLOW_USERNAME).
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Give up on one request after this long (e.g. 30s, 2m); failed requests are retried.
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub request_timeout: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApiVersionArg {
    Auto,
    V1,
    V2,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Trigger a DAG run (its conf checked against the DAG's Params first).
    #[command(after_help = after_help())]
    Trigger(TriggerArgs),
    /// Check a conf against the DAG's Params; prints each error with its path. Sends nothing:
    /// it only reads the DAG's Params.
    #[command(after_help = after_help())]
    Validate {
        dag_id: String,
        #[command(flatten)]
        conf: ConfArgs,
    },
    /// Show one run.
    #[command(after_help = after_help())]
    Status { dag_id: String, run_id: String },
    /// Follow a run until it succeeds or fails.
    #[command(after_help = after_help())]
    Wait {
        dag_id: String,
        run_id: String,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// List DAGs.
    Dags {
        /// Only DAGs whose id contains TEXT.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many (1 to 1000).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// Print the DAG's Params as one JSON Schema (defaults, descriptions, required Params).
    Params { dag_id: String },
    /// List a DAG's most recent runs, newest first.
    Runs {
        dag_id: String,
        /// At most this many (1 to 100).
        #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
    },
    /// Announce that an asset (Airflow 2: a dataset) changed, so the DAGs scheduled on it run.
    /// Sent at most once: after a failure that leaves unknown whether it arrived, it is not retried.
    AssetEvent {
        #[command(flatten)]
        asset: AssetArg,
        /// A JSON object stored with the event, e.g. '{"rows": 42}'.
        #[arg(long, value_name = "JSON")]
        extra: Option<String>,
    },
    /// List assets (Airflow 2: datasets) and the DAGs scheduled on each.
    Assets {
        /// Only assets whose URI contains TEXT.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// At most this many (1 to 1000).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// Show one asset and the DAGs scheduled on it.
    Asset {
        #[command(flatten)]
        asset: AssetArg,
    },
    /// Airflow 3: run the DAG that produces an asset.
    Materialize {
        #[command(flatten)]
        asset: AssetArg,
        /// Follow the run until it succeeds (exit 0) or fails (exit 1).
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        wait_args: WaitArgs,
    },
    /// Print Airflow's version and API version.
    Version,
    /// Print a shell completion script, e.g. `airflow-trigger completions bash > /etc/bash_completion.d/airflow-trigger`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct TriggerArgs {
    pub dag_id: String,

    #[command(flatten)]
    pub conf: ConfArgs,

    /// The run's id (default: trigger__<time>_<random>, fixed before the first try).
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,

    /// The run's logical date, RFC 3339 with a zone (default: now).
    #[arg(long, value_name = "DATETIME")]
    pub logical_date: Option<String>,

    /// A note on the run.
    #[arg(long)]
    pub note: Option<String>,

    /// Do not check the conf against the DAG's Params before sending (Airflow still checks it).
    #[arg(long)]
    pub no_validate: bool,

    /// Unpause the DAG first when it is paused (otherwise its run waits, with a warning).
    #[arg(long)]
    pub unpause: bool,

    /// Follow the run until it succeeds (exit 0) or fails (exit 1).
    #[arg(long)]
    pub wait: bool,

    #[command(flatten)]
    pub wait_args: WaitArgs,

    /// Print the trigger request as a curl command instead of sending it (credentials masked).
    /// The trigger's POST is never sent; read-only requests may be: the API version (unless
    /// --api-version), the Airflow 3 login (for the token the command carries), and the DAG's
    /// Params (to check the conf and convert --param values).
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: show the credentials in the curl command instead of `***`.
    #[arg(long, requires = "dry_run")]
    pub reveal_secrets: bool,
}

/// Which asset: its URI (matched exactly), or Airflow 3's id with --id.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct AssetArg {
    /// The asset's URI, e.g. s3://lake/orders (matched exactly, never as a pattern).
    pub uri: Option<String>,
    /// Airflow 3's asset id instead of the URI.
    #[arg(long, value_name = "N")]
    pub id: Option<u64>,
}

impl AssetArg {
    pub fn asset(&self) -> airflow_trigger::AssetRef {
        match (&self.uri, self.id) {
            (Some(uri), _) => airflow_trigger::AssetRef::Uri(uri.clone()),
            (None, Some(id)) => airflow_trigger::AssetRef::Id(id),
            // clap's group makes one of them required.
            (None, None) => airflow_trigger::AssetRef::Uri(String::new()),
        }
    }
}

/// Where the conf comes from. `--param`s are set on top of `--conf`/`--conf-file`.
#[derive(Debug, Args)]
pub struct ConfArgs {
    /// The conf as a JSON object, e.g. '{"day": "2024-01-31"}'.
    #[arg(long, value_name = "JSON", conflicts_with = "conf_file")]
    pub conf: Option<String>,

    /// Read the conf (a JSON object) from a file; `-` reads standard input.
    #[arg(long, value_name = "PATH")]
    pub conf_file: Option<PathBuf>,

    /// Set one conf key, repeatable. The value is converted by the Param's schema type:
    /// `--param count=3` sends 3, `--param day=2024-01-01` a string, `--param tags='["a"]'` an array.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
}

impl ConfArgs {
    /// Whether any source of conf was given.
    pub fn is_empty(&self) -> bool {
        self.conf.is_none() && self.conf_file.is_none() && self.params.is_empty()
    }
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up waiting after this long (exit 7), e.g. 90s, 10m, 1h; a bare number is seconds.
    #[arg(long, value_name = "DURATION", value_parser = parse_wait_timeout, default_value = "1h")]
    pub timeout: Duration,

    /// Ask for the run's state this often (at least 100ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, default_value = "2s")]
    pub interval: Duration,
}

/// `NAME=VALUE`, split at the first `=`.
fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

/// `--interval`: at least 100ms (Airflow is asked, not hammered).
fn parse_interval(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d < Duration::from_millis(100) => Err("must be at least 100ms".into()),
        d => Ok(d),
    }
}

/// `--timeout`: a duration above zero (a wait that may not wait is `status`).
fn parse_wait_timeout(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err("must be more than 0; to look at the run once, use `airflow-trigger status`".into()),
        d => Ok(d),
    }
}

/// `90s`, `10m`, `1h 30m`, `500ms` (humantime), or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<f64>() {
        if (0.0..1e12).contains(&secs) {
            return Ok(Duration::from_secs_f64(secs));
        }
        return Err(format!("`{s}` is not a duration"));
    }
    humantime::parse_duration(s).map_err(|e| format!("`{s}` is not a duration ({e}); e.g. 30s, 10m, 1h"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("airflow-trigger").chain(args.iter().copied()))
    }

    #[test]
    fn the_grammar_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn trigger_takes_conf_params_and_wait_flags() {
        let cli = parse(&[
            "trigger",
            "etl",
            "--conf",
            "{}",
            "--param",
            "count=3",
            "-p",
            "day=2024-01-01",
            "--wait",
            "--timeout",
            "90",
            "--interval",
            "500ms",
            "--url",
            "http://h",
            "--output",
            "json",
        ])
        .unwrap();
        let Command::Trigger(t) = cli.command else { panic!() };
        assert_eq!(t.conf.params, [("count".into(), "3".into()), ("day".into(), "2024-01-01".into())]);
        assert_eq!((t.wait_args.timeout, t.wait_args.interval), (Duration::from_secs(90), Duration::from_millis(500)));
        assert!(t.wait);
        assert_eq!(cli.output, OutputFormat::Json);
        assert_eq!(cli.connection.url.as_deref(), Some("http://h"));
    }

    #[test]
    fn a_misspelt_flag_suggests_the_right_one() {
        let err = parse(&["trigger", "etl", "--cnf", "{}"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownArgument);
        assert!(err.to_string().contains("--conf"), "{err}");
    }

    #[test]
    fn there_is_no_password_flag() {
        let err = parse(&["version", "--password", "x"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownArgument);
        assert!(err.to_string().contains("--password-stdin"), "{err}");
    }

    #[test]
    fn conf_and_conf_file_exclude_each_other() {
        let err = parse(&["trigger", "etl", "--conf", "{}", "--conf-file", "x.json"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArgumentConflict);
    }

    #[test]
    fn reveal_secrets_needs_dry_run() {
        let err = parse(&["trigger", "etl", "--reveal-secrets"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn params_need_a_name() {
        assert!(parse(&["trigger", "etl", "--param", "count"]).is_err());
        assert!(parse(&["trigger", "etl", "--param", "=3"]).is_err());
        let cli = parse(&["trigger", "etl", "--param", "expr=a=b"]).unwrap();
        let Command::Trigger(t) = cli.command else { panic!() };
        assert_eq!(t.conf.params, [("expr".into(), "a=b".into())]);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1").unwrap(), Duration::from_secs(1));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("1h 30m").unwrap(), Duration::from_secs(5400));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1").is_err());
    }

    #[test]
    fn help_lists_every_exit_code() {
        use clap::CommandFactory;
        let help = Cli::command().render_help().to_string();
        for (_, code, meaning) in Exit::TABLE {
            assert!(help.contains(&format!("  {code}  {meaning}")), "{help}");
        }
        assert!(help.contains("AIRFLOW_PASSWORD"));
    }
}
