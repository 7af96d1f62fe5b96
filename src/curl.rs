//! A request as a `curl` command line, secrets masked unless asked for.

use crate::request::HttpRequest;

/// Renders `req` as a POSIX-shell `curl` command. Sensitive header values are shown as `***`
/// (keeping an auth scheme such as `Bearer`), and a sensitive body (a login's) as `***`, unless
/// `reveal_secrets` is true.
///
/// # Examples
/// ```
/// use airflow_trigger::{to_curl, ApiVersion, Auth, Secret, TriggerOptions};
/// let mut opts = TriggerOptions::new("http://127.0.0.1:8080", ApiVersion::V2, "etl");
/// opts.dag_run_id = Some("r1".into());
/// opts.auth = Auth::Bearer { token: Secret::new("tok") };
/// let cmd = to_curl(&opts.build().unwrap(), false);
/// assert!(cmd.contains("-H 'Authorization: Bearer ***'"));
/// assert!(!cmd.contains("tok"));
/// ```
pub fn to_curl(req: &HttpRequest, reveal_secrets: bool) -> String {
    // Every part is quoted, the method too: a request read from JSON is data, not shell.
    let url = if reveal_secrets { req.url.clone() } else { mask_userinfo(&req.url) };
    let mut parts = vec![format!("curl -X {} {}", shell_quote(&req.method), shell_quote(&url))];
    for h in &req.headers {
        let value = if h.sensitive && !reveal_secrets { mask(&h.value) } else { h.value.clone() };
        parts.push(format!("-H {}", shell_quote(&format!("{}: {value}", h.name))));
    }
    let body = if reveal_secrets { req.body.as_deref() } else { req.shown_body() };
    if let Some(body) = body {
        parts.push(format!("--data-raw {}", shell_quote(body)));
    }
    crate::text::join(&parts.iter().map(|s| &**s).collect::<Vec<&str>>(), " \\\n  ")
}

fn mask(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme @ ("Basic" | "Bearer" | "Token"), _)) => format!("{scheme} ***"),
        _ => "***".to_string(),
    }
}

/// The URL with its user information as `***` (a URL read from JSON may carry credentials; a
/// user name alone may be a token). As WHATWG URL parsing (what `fetch` uses) reads it: after
/// `scheme:`, any run of `/` and `\`, then the authority up to the next `/`, `\`, `?` or `#`.
fn mask_userinfo(url: &str) -> String {
    let Some(colon) = url.find(':') else { return url.to_string() };
    let rest = crate::text::tail(url, colon + 1);
    let start = colon + 1 + (rest.len() - rest.trim_start_matches(['/', '\\']).len());
    let after = crate::text::tail(url, start);
    let end = after.find(['/', '\\', '?', '#']).unwrap_or(after.len());
    match crate::text::head(after, end).rfind('@') {
        Some(at) => format!("{}***{}", crate::text::head(url, start), crate::text::tail(after, at)),
        None => url.to_string(),
    }
}

/// Single-quotes for a POSIX shell; a `'` inside becomes `'\''`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(mask("Basic YWRtaW46cHc="), "Basic ***");
        assert_eq!(mask("opaque-key"), "***");
    }

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(mask_userinfo("http://u:hunter2@h/p?q=a@b"), "http://***@h/p?q=a@b");
        assert_eq!(mask_userinfo("http://h/p@q"), "http://h/p@q");
        assert_eq!(mask_userinfo("https://tok@h"), "https://***@h");
        // Forms WHATWG URL parsing reads the same way (user u, password PW).
        for url in ["http:/u:PW@h/x", "http:u:PW@h/x", "http:\\\\u:PW@h/x", "HTTP://u:PW@h/x"] {
            assert!(!mask_userinfo(url).contains("PW"), "{url}: {}", mask_userinfo(url));
        }
        assert_eq!(mask_userinfo("mailto:a@b"), "mailto:***@b");
        let req = HttpRequest {
            method: "GET".into(),
            url: "http://u:hunter2@h/".into(),
            headers: vec![],
            body: None,
            body_sensitive: false,
        };
        assert!(!to_curl(&req, false).contains("hunter2"));
        assert!(to_curl(&req, true).contains("hunter2"));
    }

    #[test]
    fn every_part_is_quoted() {
        let req = HttpRequest {
            method: "POST".into(),
            url: "http://h/$(touch x)".into(),
            headers: vec![crate::Header { name: "X-A`id`".into(), value: "v'; rm -rf /".into(), sensitive: false }],
            body: Some("{\"a\":\"$(id)\"}".into()),
            body_sensitive: false,
        };
        assert_eq!(
            to_curl(&req, false),
            "curl -X 'POST' 'http://h/$(touch x)' \\\n  -H 'X-A`id`: v'\\''; rm -rf /' \\\n  --data-raw '{\"a\":\"$(id)\"}'"
        );
    }
}
