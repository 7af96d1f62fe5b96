//! Airflow's REST API: versions, base URLs, paths, and the rules ids must follow.

use crate::error::{quoted, Error, Result};

/// Which REST API to talk to: `v1` is Airflow 2, `v2` is Airflow 3.
///
/// With the `serde` feature it is the string `"v1"` or `"v2"`.
///
/// # Examples
/// ```
/// use airflow_trigger::ApiVersion;
/// assert_eq!(ApiVersion::parse("v2").unwrap(), ApiVersion::V2);
/// assert_eq!(ApiVersion::V1.prefix(), "/api/v1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ApiVersion {
    /// Airflow 2.x, `/api/v1`, Basic auth.
    V1,
    /// Airflow 3.x, `/api/v2`, JWT bearer tokens.
    V2,
}

impl ApiVersion {
    /// Parses `"v1"` or `"v2"`.
    ///
    /// # Examples
    /// ```
    /// assert!(airflow_trigger::ApiVersion::parse("v3").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<ApiVersion> {
        match s {
            "v1" => Ok(ApiVersion::V1),
            "v2" => Ok(ApiVersion::V2),
            other => Err(Error::invalid_argument(
                "apiVersion",
                format!("must be \"v1\" (Airflow 2) or \"v2\" (Airflow 3), got {}", quoted(other)),
            )),
        }
    }

    /// The path prefix of this API under the Airflow base URL.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::ApiVersion;
    /// assert_eq!(ApiVersion::V1.prefix(), "/api/v1");
    /// assert_eq!(ApiVersion::V2.prefix(), "/api/v2");
    /// ```
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V1 => "/api/v1",
            ApiVersion::V2 => "/api/v2",
        }
    }

    /// `"v1"` or `"v2"`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::ApiVersion;
    /// assert_eq!(ApiVersion::V2.as_str(), "v2");
    /// for v in [ApiVersion::V1, ApiVersion::V2] {
    ///     assert_eq!(ApiVersion::parse(v.as_str()).unwrap(), v);
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

/// A checked Airflow base URL: `http(s)://host[:port][/path-prefix]`, without a trailing slash.
///
/// With the `serde` feature it is a string, read through [`BaseUrl::parse`]: an invalid URL (or
/// one with credentials in it) is refused, with `parse`'s message.
///
/// # Examples
/// ```
/// use airflow_trigger::BaseUrl;
/// let base = BaseUrl::parse("https://example.com/airflow/").unwrap();
/// assert_eq!(base.as_str(), "https://example.com/airflow");
/// assert!(BaseUrl::parse("https://admin:pw@example.com").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks and normalises a base URL. Credentials in the URL are refused: they would leak
    /// into logs, browser history and error messages.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::BaseUrl;
    /// assert_eq!(BaseUrl::parse(" HTTPS://Host:8443/airflow// ").unwrap().as_str(), "https://Host:8443/airflow");
    /// let err = BaseUrl::parse("airflow.example.com").unwrap_err();
    /// assert_eq!(err.field(), Some("baseUrl"));
    /// assert!(BaseUrl::parse("http://h/?token=x").is_err());
    /// // The client adds /api/v1 or /api/v2 itself.
    /// let err = BaseUrl::parse("https://example.com/airflow/api/v2/").unwrap_err();
    /// assert!(err.message().contains("give Airflow's own address without it"), "{err}");
    /// assert!(err.message().contains("\"https://example.com/airflow\""), "{err}");
    /// ```
    pub fn parse(input: &str) -> Result<BaseUrl> {
        const FIELD: &str = "baseUrl";
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid_argument(
                FIELD,
                "must not be empty; give Airflow's URL, e.g. \"http://127.0.0.1:8080\"",
            ));
        }
        let (scheme, rest) = crate::text::split_once(trimmed, "://").ok_or_else(|| {
            Error::invalid_argument(
                FIELD,
                "must be an absolute http:// or https:// URL, e.g. \"https://airflow.example.com\"",
            )
        })?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(Error::invalid_argument(
                FIELD,
                format!("scheme {} is not supported; use http:// or https://", quoted(&scheme)),
            ));
        }
        if rest.contains(['?', '#']) {
            return Err(Error::invalid_argument(FIELD, "must not contain a query (?) or fragment (#)"));
        }
        if rest.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
            return Err(Error::invalid_argument(FIELD, "must not contain spaces, control characters or backslashes"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (crate::text::head(rest, i), crate::text::tail(rest, i)),
            None => (rest, ""),
        };
        if authority.contains('@') {
            // Deliberately no echo of the URL: it holds a credential.
            return Err(Error::invalid_argument(
                FIELD,
                "must not contain a user name or password (user:password@host); pass credentials in `auth` instead",
            ));
        }
        if authority.is_empty() || authority.starts_with(':') {
            return Err(Error::invalid_argument(FIELD, "has no host name"));
        }
        let path = path.trim_end_matches('/');
        // The client adds the API prefix: a base URL with it would call /api/v2/api/v2/...
        let lower = path.to_ascii_lowercase();
        if let Some(prefix) = ["/api/v1", "/api/v2"].into_iter().find(|p| lower.ends_with(p)) {
            return Err(Error::invalid_argument(
                FIELD,
                format!("ends with {prefix}: give Airflow's own address without it (the client adds /api/v1 or /api/v2), e.g. \"{scheme}://{authority}{}\"", crate::text::head(path, path.len() - prefix.len())),
            ));
        }
        Ok(BaseUrl(format!("{scheme}://{authority}{path}")))
    }

    /// The normalised URL.
    ///
    /// # Examples
    /// ```
    /// let base = airflow_trigger::BaseUrl::parse("http://127.0.0.1:8080/").unwrap();
    /// assert_eq!(base.as_str(), "http://127.0.0.1:8080");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `base + api prefix + path`, where `path` starts with `/`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::{ApiVersion, BaseUrl};
    /// let base = BaseUrl::parse("https://host/airflow").unwrap();
    /// assert_eq!(base.api_url(ApiVersion::V2, "/dags/etl"), "https://host/airflow/api/v2/dags/etl");
    /// ```
    pub fn api_url(&self, version: ApiVersion, path: &str) -> String {
        format!("{}{}{}", self.0, version.prefix(), path)
    }

    /// `base + path` for endpoints outside the versioned API (e.g. `/auth/token`).
    ///
    /// # Examples
    /// ```
    /// let base = airflow_trigger::BaseUrl::parse("https://host/airflow").unwrap();
    /// assert_eq!(base.url("/auth/token"), "https://host/airflow/auth/token");
    /// ```
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

/// The normalised URL as a string.
///
/// # Examples
/// ```
/// use airflow_trigger::BaseUrl;
/// let base: BaseUrl = serde_json::from_str(r#""https://host/airflow/""#).unwrap();
/// assert_eq!(serde_json::to_string(&base).unwrap(), r#""https://host/airflow""#);
/// assert!(serde_json::from_str::<BaseUrl>(r#""ftp://host""#).is_err());
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BaseUrl, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        BaseUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

const MAX_ID_LEN: usize = 250;

/// Checks a DAG id as Airflow does (`^[\w.-]+$`, at most 250 characters; `\w` is Unicode-aware
/// in Python). `.` and `..` are refused too: as URL path segments they would change the path.
///
/// # Examples
/// ```
/// assert!(airflow_trigger::check_dag_id("etl.daily-load_v2").is_ok());
/// assert!(airflow_trigger::check_dag_id("etl/daily").is_err());
/// ```
pub fn check_dag_id(dag_id: &str) -> Result<()> {
    check_id("dagId", dag_id, "letters, digits, '_', '.' and '-'", |c| {
        c.is_alphanumeric() || c == '_' || c == '.' || c == '-'
    })
}

/// Checks a DAG run id against Airflow's default pattern `^[A-Za-z0-9_.~:+-]+$` (at most 250).
///
/// # Examples
/// ```
/// assert!(airflow_trigger::check_dag_run_id("manual__2024-01-01T00:00:00+00:00").is_ok());
/// assert!(airflow_trigger::check_dag_run_id("bad/id").is_err());
/// ```
pub fn check_dag_run_id(dag_run_id: &str) -> Result<()> {
    check_id("dagRunId", dag_run_id, "A-Z, a-z, 0-9 and _ . ~ : + - (Airflow's ^[A-Za-z0-9_.~:+-]+$)", |c| {
        c.is_ascii_alphanumeric() || crate::text::one_of("_.~:+-", c)
    })
}

fn check_id(field: &str, id: &str, allowed: &str, ok: impl Fn(char) -> bool) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_argument(field, "must not be empty"));
    }
    let len = id.chars().count();
    if len > MAX_ID_LEN {
        return Err(Error::invalid_argument(
            field,
            format!("is {len} characters long; Airflow allows at most {MAX_ID_LEN}"),
        ));
    }
    if let Some((i, c)) = id.chars().enumerate().find(|&(_, c)| !ok(c)) {
        return Err(Error::invalid_argument(
            field,
            format!(
                "character {} at position {i} is not allowed; use only {allowed}",
                quoted(c.encode_utf8(&mut [0; 4]))
            ),
        ));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_argument(
            field,
            format!("{} cannot be used: it is a relative URL path segment", quoted(id)),
        ));
    }
    Ok(())
}

/// Percent-encodes one URL path segment: everything but RFC 3986's unreserved characters.
///
/// # Examples
/// ```
/// assert_eq!(airflow_trigger::encode_path_segment("run:1+2"), "run%3A1%2B2");
/// assert_eq!(airflow_trigger::encode_path_segment("café"), "caf%C3%A9");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn base(input: &str) -> std::result::Result<String, String> {
        BaseUrl::parse(input).map(|b| b.0).map_err(|e| e.to_string())
    }

    #[test]
    fn base_urls() {
        assert_eq!(base("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(base("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(base("HTTPS://host/airflow/").unwrap(), "https://host/airflow");
        assert_eq!(base("  https://host/a/b  ").unwrap(), "https://host/a/b");
        assert_eq!(base("http://[::1]:8080").unwrap(), "http://[::1]:8080");
        for (bad, why) in [
            ("", "must not be empty"),
            ("host:8080", "absolute http"),
            ("ftp://host", "\"ftp\" is not supported"),
            ("file:///etc/passwd", "\"file\" is not supported"),
            ("http://", "no host"),
            ("http://:80", "no host"),
            ("http://host/?x=1", "query"),
            ("http://host#x", "fragment"),
            ("http://ho st", "spaces"),
        ] {
            let err = base(bad).unwrap_err();
            assert!(err.starts_with("baseUrl: ") && err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn credentials_in_the_url_are_refused_without_echo() {
        let err = base("https://admin:s3cret@host/airflow").unwrap_err();
        assert!(err.contains("user name or password"), "{err}");
        assert!(!err.contains("s3cret") && !err.contains("admin"), "{err}");
    }

    #[test]
    fn dag_ids() {
        for ok in ["a", "etl.daily-load_v2", "café_ünïcode", &"x".repeat(250)] {
            assert!(check_dag_id(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "must not be empty"),
            ("a/b", r#""/" at position 1"#),
            ("a b", r#"" " at position 1"#),
            ("..", "relative URL path segment"),
            (".", "relative URL path segment"),
            (&"x".repeat(251), "251 characters"),
        ] {
            let err = check_dag_id(bad).unwrap_err().to_string();
            assert!(err.starts_with("dagId: ") && err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn dag_run_ids() {
        for ok in ["manual__2024-01-01T00:00:00+00:00", "a~b.c_d:e+f-g", &"r".repeat(250)] {
            assert!(check_dag_run_id(ok).is_ok(), "{ok}");
        }
        for (bad, why) in
            [("", "empty"), ("bad/id", r#""/""#), ("café", r#""é""#), ("..", "relative"), (&"r".repeat(251), "251")]
        {
            let err = check_dag_run_id(bad).unwrap_err().to_string();
            assert!(err.starts_with("dagRunId: ") && err.contains(why), "{bad:?}: {err}");
        }
    }

    #[test]
    fn path_segments() {
        assert_eq!(encode_path_segment("abc-._~"), "abc-._~");
        assert_eq!(encode_path_segment("a b/c%"), "a%20b%2Fc%25");
    }
}
