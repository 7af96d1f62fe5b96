//! The exit codes: one table, used by the code and printed in `--help` (docs/cli.md copies it).

use airflow_trigger::{DagRun, Error, ErrorCode};

/// What a process exit means. `Exit::TABLE` is the one list of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success; with `--wait`, the run succeeded.
    Ok,
    /// The run ended `failed` (`--wait`, `wait`).
    RunFailed,
    /// A usage error: an unknown flag, a missing argument, a value that is not allowed.
    Usage,
    /// The conf was refused before anything was sent (the DAG's Params, or a `--conf`/`--param`
    /// that is not valid); also Airflow's own `INVALID_CONF` answer.
    ConfRefused,
    /// Credentials are missing or refused (401, 403).
    Auth,
    /// No such DAG, run or asset (404).
    NotFound,
    /// A run with this id exists with other contents (409).
    Conflict,
    /// Airflow could not be reached, or did not answer in time; `--wait`'s own timeout too.
    NetworkOrTimeout,
    /// Any other error (a 5xx, a 400 other than a conf, an answer that is not Airflow's).
    Other,
    /// Ctrl-C (SIGINT): 128 + 2, as shells report it.
    Interrupted,
}

impl Exit {
    /// Every exit code with its meaning, in order: the `--help` text and the table in docs/cli.md.
    pub const TABLE: [(Exit, u8, &'static str); 10] = [
        (Exit::Ok, 0, "success (with --wait: the run succeeded)"),
        (Exit::RunFailed, 1, "the run ended failed (--wait, wait)"),
        (Exit::Usage, 2, "usage error (unknown flag, missing or bad argument)"),
        (Exit::ConfRefused, 3, "conf refused before sending (the DAG's Params, or a --conf/--param that is not valid)"),
        (Exit::Auth, 4, "authentication: credentials missing or refused (401/403)"),
        (Exit::NotFound, 5, "not found: no such DAG, run or asset (404)"),
        (Exit::Conflict, 6, "conflict: a run with this id exists (409)"),
        (Exit::NetworkOrTimeout, 7, "network error or timeout (--wait --timeout included)"),
        (Exit::Other, 8, "any other error (Airflow's 5xx, another 4xx, an answer that is not Airflow's)"),
        (Exit::Interrupted, 130, "interrupted by Ctrl-C (a run already created goes on)"),
    ];

    /// The process exit code.
    pub fn code(self) -> u8 {
        Exit::TABLE.iter().find(|(e, _, _)| *e == self).map(|(_, c, _)| *c).expect("every Exit is in TABLE")
    }

    /// The exit for a library error.
    pub fn for_error(e: &Error) -> Exit {
        match e.code() {
            ErrorCode::InvalidConf => Exit::ConfRefused,
            // The conf is not JSON, or not an object: refused before sending.
            ErrorCode::InvalidArgument if matches!(e.field(), Some("conf" | "json" | "param")) => Exit::ConfRefused,
            ErrorCode::InvalidArgument => Exit::Usage,
            ErrorCode::Unauthorized | ErrorCode::Forbidden => Exit::Auth,
            ErrorCode::NotFound => Exit::NotFound,
            ErrorCode::Conflict => Exit::Conflict,
            ErrorCode::Network | ErrorCode::Timeout => Exit::NetworkOrTimeout,
            _ => Exit::Other,
        }
    }

    /// The table as `--help` shows it.
    pub fn help() -> String {
        let mut out = String::from("Exit codes:\n");
        for (_, code, meaning) in Exit::TABLE {
            out.push_str(&format!("  {code}  {meaning}\n"));
        }
        out
    }
}

/// A command that did not succeed: the exit it ends with, the error to show, and the run when
/// there is one (a `--wait` that timed out, a run that failed).
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub error: Error,
    pub run: Option<Box<DagRun>>,
    /// What to do about it, when the error's own message cannot say.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure of the command line itself (not the library's), with `exit`.
    pub fn new(exit: Exit, message: impl Into<String>) -> Failure {
        let code = match exit {
            Exit::Auth => ErrorCode::Unauthorized,
            Exit::ConfRefused => ErrorCode::InvalidConf,
            Exit::NetworkOrTimeout => ErrorCode::Network,
            Exit::Interrupted => ErrorCode::Cancelled,
            _ => ErrorCode::InvalidArgument,
        };
        Failure::from_error(exit, Error::new(code, message))
    }

    pub fn from_error(exit: Exit, error: Error) -> Failure {
        Failure { exit, error, run: None, hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_run(mut self, run: DagRun) -> Failure {
        self.run = Some(Box::new(run));
        self
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::from_error(Exit::for_error(&error), error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_ordered() {
        for (i, (exit, code, _)) in Exit::TABLE.iter().enumerate() {
            assert_eq!(exit.code(), *code);
            if i < 9 {
                assert_eq!(usize::from(*code), i);
            }
        }
        assert_eq!(Exit::Interrupted.code(), 130);
    }

    #[test]
    fn library_errors_map_to_codes() {
        let cases = [
            (Error::new(ErrorCode::InvalidConf, "x"), 3),
            (Error::invalid_argument("conf", "must be an object"), 3),
            (Error::invalid_argument("dagRunId", "bad"), 2),
            (Error::new(ErrorCode::Unauthorized, "x"), 4),
            (Error::new(ErrorCode::Forbidden, "x"), 4),
            (Error::new(ErrorCode::NotFound, "x"), 5),
            (Error::new(ErrorCode::Conflict, "x"), 6),
            (Error::new(ErrorCode::Network, "x"), 7),
            (Error::new(ErrorCode::Timeout, "x"), 7),
            (Error::new(ErrorCode::Server, "x"), 8),
            (Error::new(ErrorCode::BadRequest, "x"), 8),
        ];
        for (e, code) in cases {
            assert_eq!(Exit::for_error(&e).code(), code, "{e:?}");
        }
    }
}
