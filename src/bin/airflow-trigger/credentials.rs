//! Where the credentials come from: the environment, `--password-stdin`, or a prompt on a
//! terminal. Never argv (there is no password flag), never printed.

use std::io::BufRead;

use airflow_trigger::{Auth, ClientAuth, Secret};

use crate::exit::{Exit, Failure};

/// The environment's credential variables.
#[derive(Default)]
pub struct Env {
    pub token: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl Env {
    /// `AIRFLOW_TOKEN`, `AIRFLOW_USERNAME`, `AIRFLOW_PASSWORD` (empty counts as unset). One
    /// that is set but not UTF-8 is a usage error: ignoring it would send no credentials, or
    /// other ones, without a word.
    pub fn read() -> Result<Env, Failure> {
        Env::from_vars(|name| std::env::var_os(name))
    }

    fn from_vars(get: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<Env, Failure> {
        let var = |name: &str| match get(name) {
            None => Ok(None),
            Some(v) => match v.into_string() {
                Ok(v) => Ok(Some(v).filter(|v| !v.is_empty())),
                Err(_) => Err(Failure::new(
                    Exit::Usage,
                    format!("{name} is set but is not valid UTF-8: set it to the text of the credential"),
                )),
            },
        };
        Ok(Env { token: var("AIRFLOW_TOKEN")?, username: var("AIRFLOW_USERNAME")?, password: var("AIRFLOW_PASSWORD")? })
    }
}

/// The longest line `--password-stdin` reads.
const MAX_PASSWORD_LINE: usize = 64 << 10;

/// How to ask a person, when one is there.
pub trait Prompt {
    /// Whether standard input and standard error are a terminal.
    fn interactive(&self) -> bool;
    fn username(&mut self) -> std::io::Result<String>;
    fn password(&mut self, username: &str) -> std::io::Result<String>;
}

/// The terminal: the username on stdin, the password with rpassword (not echoed).
pub struct Terminal;

impl Prompt for Terminal {
    fn interactive(&self) -> bool {
        use std::io::IsTerminal;
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    fn username(&mut self) -> std::io::Result<String> {
        crate::output::stderr("Airflow username: ");
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim().to_string())
    }

    fn password(&mut self, username: &str) -> std::io::Result<String> {
        rpassword::prompt_password(format!("Airflow password for {username}: "))
    }
}

/// The credentials, in this order: `AIRFLOW_TOKEN`; `AIRFLOW_USERNAME` with `--password-stdin`
/// (`stdin`'s first line), `AIRFLOW_PASSWORD`, or a prompt; on a terminal with nothing set, a
/// prompt for both when `needed`; otherwise none (Airflow will say 401/403).
pub fn resolve(
    env: Env,
    password_stdin: bool,
    needed: bool,
    stdin: &mut dyn BufRead,
    prompt: &mut dyn Prompt,
) -> Result<ClientAuth, Failure> {
    if let Some(token) = env.token {
        if password_stdin {
            return Err(Failure::new(Exit::Usage, "--password-stdin with AIRFLOW_TOKEN: use one of them"));
        }
        return Ok(ClientAuth::Fixed(Auth::Bearer { token: Secret::new(token) }));
    }
    let password = |username: String, password: String| {
        if password.is_empty() {
            return Err(Failure::new(Exit::Auth, format!("the password for {username} is empty")));
        }
        Ok(ClientAuth::Password { username, password: Secret::new(password) })
    };
    if password_stdin {
        let Some(username) = env.username else {
            return Err(Failure::new(Exit::Usage, "--password-stdin needs AIRFLOW_USERNAME (the password's user)"));
        };
        // A password is a line, not a stream: /dev/zero must not fill the memory.
        let mut line = String::new();
        std::io::Read::take(&mut *stdin, MAX_PASSWORD_LINE as u64)
            .read_line(&mut line)
            .map_err(|e| Failure::new(Exit::Usage, format!("--password-stdin: cannot read standard input ({e})")))?;
        if line.len() >= MAX_PASSWORD_LINE && !line.ends_with('\n') {
            return Err(Failure::new(
                Exit::Usage,
                format!(
                    "--password-stdin: the first line of standard input is longer than {} KiB: not a password",
                    MAX_PASSWORD_LINE >> 10
                ),
            ));
        }
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        return password(username, line.to_string());
    }
    match (env.username, env.password) {
        (Some(username), Some(pw)) => password(username, pw),
        (None, Some(_)) => {
            Err(Failure::new(Exit::Auth, "AIRFLOW_PASSWORD is set without AIRFLOW_USERNAME: set AIRFLOW_USERNAME too"))
        }
        (Some(username), None) if prompt.interactive() => {
            let pw = prompt.password(&username).map_err(|e| Failure::new(Exit::Auth, format!("no password ({e})")))?;
            password(username, pw)
        }
        (Some(username), None) => Err(Failure::new(
            Exit::Auth,
            format!(
                "AIRFLOW_USERNAME is {username} but there is no password: set AIRFLOW_PASSWORD, or pipe it with \
                 --password-stdin"
            ),
        )),
        (None, None) if needed && prompt.interactive() => {
            let username = prompt.username().map_err(|e| Failure::new(Exit::Auth, format!("no username ({e})")))?;
            if username.is_empty() {
                return Ok(ClientAuth::Fixed(Auth::None));
            }
            let pw = prompt.password(&username).map_err(|e| Failure::new(Exit::Auth, format!("no password ({e})")))?;
            password(username, pw)
        }
        (None, None) => Ok(ClientAuth::Fixed(Auth::None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_stdin_reads_one_bounded_line() {
        let env = || Env { username: Some("admin".into()), ..Env::default() };
        let mut prompt = NoPrompt;
        let f = resolve(env(), true, true, &mut std::io::BufReader::new(std::io::repeat(0)), &mut prompt).unwrap_err();
        assert!(f.error.message().contains("longer than 64 KiB"), "{}", f.error.message());
        let ok = resolve(env(), true, true, &mut &b"pw\n{\"a\": 1}\n"[..], &mut prompt).unwrap();
        assert!(matches!(ok, ClientAuth::Password { password, .. } if password.expose() == "pw"));
    }

    struct NoPrompt;
    impl Prompt for NoPrompt {
        fn interactive(&self) -> bool {
            false
        }
        fn username(&mut self) -> std::io::Result<String> {
            unreachable!()
        }
        fn password(&mut self, _: &str) -> std::io::Result<String> {
            unreachable!()
        }
    }

    #[test]
    fn a_variable_that_is_not_utf8_is_an_error_not_ignored() {
        use std::os::unix::ffi::OsStringExt;
        let vars = |name: &str| match name {
            "AIRFLOW_TOKEN" => Some(std::ffi::OsString::from_vec(b"abc\xff".to_vec())),
            _ => None,
        };
        let failure = Env::from_vars(vars).err().expect("an error");
        assert_eq!(failure.exit, Exit::Usage);
        assert!(failure.error.message().starts_with("AIRFLOW_TOKEN is set but is not valid UTF-8"));
        assert!(!failure.error.message().contains("abc"));
        let env = Env::from_vars(|name| (name == "AIRFLOW_USERNAME").then(|| "".into())).unwrap();
        assert_eq!((env.token, env.username, env.password), (None, None, None));
    }

    struct Scripted {
        interactive: bool,
        asked: Vec<&'static str>,
    }

    impl Prompt for Scripted {
        fn interactive(&self) -> bool {
            self.interactive
        }
        fn username(&mut self) -> std::io::Result<String> {
            self.asked.push("username");
            Ok("alice".into())
        }
        fn password(&mut self, _username: &str) -> std::io::Result<String> {
            self.asked.push("password");
            Ok("typed".into())
        }
    }

    fn env(token: Option<&str>, username: Option<&str>, password: Option<&str>) -> Env {
        Env {
            token: token.map(String::from),
            username: username.map(String::from),
            password: password.map(String::from),
        }
    }

    fn resolve_with(
        env: Env,
        password_stdin: bool,
        stdin: &str,
        interactive: bool,
    ) -> (Result<ClientAuth, Failure>, Vec<&'static str>) {
        let mut prompt = Scripted { interactive, asked: Vec::new() };
        let r = resolve(env, password_stdin, true, &mut stdin.as_bytes(), &mut prompt);
        (r, prompt.asked)
    }

    fn password_of(auth: &ClientAuth) -> (&str, &str) {
        match auth {
            ClientAuth::Password { username, password } => (username, password.expose()),
            other => panic!("not a password: {other:?}"),
        }
    }

    #[test]
    fn a_token_comes_first() {
        let (r, _) = resolve_with(env(Some("tok"), Some("u"), Some("p")), false, "", true);
        assert!(matches!(r.unwrap(), ClientAuth::Fixed(Auth::Bearer { token }) if token.expose() == "tok"));
        let (r, _) = resolve_with(env(Some("tok"), None, None), true, "pw\n", false);
        assert_eq!(r.unwrap_err().exit, Exit::Usage);
    }

    #[test]
    fn password_stdin_reads_one_line() {
        let (r, _) = resolve_with(env(None, Some("u"), Some("ignored")), true, "s3cret\r\nmore\n", false);
        assert_eq!(password_of(&r.unwrap()), ("u", "s3cret"));
        let (r, _) = resolve_with(env(None, None, None), true, "s3cret\n", false);
        assert_eq!(r.unwrap_err().exit, Exit::Usage);
        let (r, _) = resolve_with(env(None, Some("u"), None), true, "", false);
        assert_eq!(r.unwrap_err().exit, Exit::Auth);
    }

    #[test]
    fn the_environment_then_a_prompt() {
        let (r, asked) = resolve_with(env(None, Some("u"), Some("p")), false, "", true);
        assert_eq!((password_of(&r.unwrap()), asked.len()), (("u", "p"), 0));
        let (r, asked) = resolve_with(env(None, Some("u"), None), false, "", true);
        assert_eq!((password_of(&r.unwrap()), asked), (("u", "typed"), vec!["password"]));
        let (r, asked) = resolve_with(env(None, None, None), false, "", true);
        assert_eq!((password_of(&r.unwrap()), asked), (("alice", "typed"), vec!["username", "password"]));
    }

    #[test]
    fn without_a_terminal_nothing_is_asked() {
        let (r, asked) = resolve_with(env(None, Some("u"), None), false, "", false);
        let f = r.unwrap_err();
        assert_eq!((f.exit, asked.len()), (Exit::Auth, 0));
        assert!(f.error.message().contains("--password-stdin"));
        let (r, _) = resolve_with(env(None, None, None), false, "", false);
        assert!(matches!(r.unwrap(), ClientAuth::Fixed(Auth::None)));
        let (r, _) = resolve_with(env(None, None, Some("hunter22")), false, "", false);
        let f = r.unwrap_err();
        assert_eq!(f.exit, Exit::Auth);
        assert!(!f.error.message().contains("hunter22"));
    }
}
