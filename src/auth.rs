//! Credentials: how a request proves who sends it. Secrets never show in `Debug` or errors.

use std::fmt;

use crate::error::{quoted, Error, Result};

/// A credential. Its `Debug` and `Display` print `***`; only [`Secret::expose`] gives the value.
///
/// With the `serde` feature it is `Deserialize` (from a string) but deliberately not `Serialize`:
/// a secret cannot be written out in clear by accident. The crate's types that hold one
/// ([`Auth`], [`crate::TriggerOptions`]) write it as `"***"`, and so can yours with
/// `Secret::serialize_masked`. Reading `"***"` back is refused: it is the mask, not a credential.
///
/// # Examples
/// ```
/// let s = airflow_trigger::Secret::new("hunter2");
/// assert_eq!(format!("{s:?}"), "***");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::Secret;
    /// let s = Secret::new(String::from("hunter2"));
    /// assert_eq!(s, Secret::new("hunter2"));
    /// assert_eq!(s.to_string(), "***"); // never shown in clear
    /// ```
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The credential itself; call it only where it is sent.
    ///
    /// # Examples
    /// ```
    /// let token = airflow_trigger::Secret::new("eyJ...");
    /// assert_eq!(format!("Bearer {}", token.expose()), "Bearer eyJ...");
    /// assert_eq!(format!("Bearer {token}"), "Bearer ***");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Writes `"***"` in place of the secret, as `Debug` does: for
    /// `#[serde(serialize_with = "airflow_trigger::Secret::serialize_masked")]` on a field of
    /// your own (a `Secret` is not `Serialize` by itself).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::Secret;
    /// #[derive(serde::Serialize)]
    /// struct Login {
    ///     user: String,
    ///     #[serde(serialize_with = "Secret::serialize_masked")]
    ///     password: Secret,
    /// }
    /// let text = serde_json::to_string(&Login { user: "admin".into(), password: Secret::new("pw") }).unwrap();
    /// assert_eq!(text, r#"{"user":"admin","password":"***"}"#);
    /// ```
    #[cfg(feature = "serde")]
    pub fn serialize_masked<S: serde::Serializer>(_secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(MASK)
    }
}

/// What `Debug`, `Display` and serde write in place of a secret.
#[cfg(feature = "serde")]
const MASK: &str = "***";

/// From a string; `"***"` (the mask that serializing writes in place of a secret) is refused, so
/// that options serialized and read back fail here instead of sending `***` as a credential.
///
/// # Examples
/// ```
/// use airflow_trigger::Secret;
/// let s: Secret = serde_json::from_str(r#""hunter2""#).unwrap();
/// assert_eq!(s.expose(), "hunter2");
/// assert!(serde_json::from_str::<Secret>(r#""***""#).is_err());
/// ```
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        let value = <String as serde::Deserialize>::deserialize(d)?;
        if value == MASK {
            return Err(serde::de::Error::custom(MASKED_READ));
        }
        Ok(Secret(value))
    }
}

#[cfg(feature = "serde")]
const MASKED_READ: &str =
    "\"***\" is the mask written in place of a secret when it is serialized, not a credential; give the credential itself";

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How to authenticate a request to Airflow (JS: `{ type: "none" | "basic" | "bearer" | "headers", ... }`).
///
/// With the `serde` feature: the same shape, `{"type": "basic", "username": ..., "password": ...}`,
/// `{"type": "bearer", "token": ...}`, `{"type": "headers", "headers": {"X-Api-Key": ...}}` (in
/// order), `{"type": "none"}`; unknown fields are refused. Serializing writes every secret as
/// `"***"` (see [`Secret`]), so serialized auth is for logs and display, not for storing
/// credentials.
///
/// # Examples
/// ```
/// use airflow_trigger::{Auth, Secret};
/// let auth = Auth::Basic { username: "admin".into(), password: Secret::new("pw") };
/// assert_eq!(format!("{auth:?}"), r#"Basic { username: "admin", password: *** }"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "lowercase", deny_unknown_fields))]
pub enum Auth {
    /// No credentials (a gateway or a proxy adds them).
    #[default]
    None,
    /// HTTP Basic auth: Airflow 2 with the `basic_auth` API backend.
    Basic {
        /// The Airflow user.
        username: String,
        /// The user's password.
        #[cfg_attr(feature = "serde", serde(serialize_with = "Secret::serialize_masked"))]
        password: Secret,
    },
    /// `Authorization: Bearer <token>`: Airflow 3's JWT from `POST /auth/token`.
    Bearer {
        /// The access token.
        #[cfg_attr(feature = "serde", serde(serialize_with = "Secret::serialize_masked"))]
        token: Secret,
    },
    /// Headers of your own (e.g. a proxy's API key); every value is treated as a secret.
    Headers {
        /// Header names and values.
        #[cfg_attr(feature = "serde", serde(with = "serde_headers"))]
        headers: Vec<(String, Secret)>,
    },
}

/// A header to send; `sensitive` values are masked in `Debug` and `toCurl`.
///
/// With the `serde` feature: `{"name", "value", "sensitive"}`, and a sensitive value is
/// serialized as `"***"`, as `Debug` shows it. Reading, `sensitive` defaults to whether the name
/// suggests a credential (`Authorization`, `X-Api-Key`, ...), and a sensitive `"***"` is refused.
///
/// # Examples
/// ```
/// use airflow_trigger::Header;
/// let h = Header { name: "Authorization".into(), value: "Bearer abc".into(), sensitive: true };
/// assert_eq!(serde_json::to_string(&h).unwrap(), r#"{"name":"Authorization","value":"***","sensitive":true}"#);
/// let h: Header = serde_json::from_str(r#"{"name": "X-Api-Key", "value": "k"}"#).unwrap();
/// assert!(h.sensitive);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Header {
    /// The header name.
    pub name: String,
    /// The header value.
    pub value: String,
    /// Whether the value is a credential.
    pub sensitive: bool,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.sensitive { &"***" } else { &self.value };
        f.debug_struct("Header").field("name", &self.name).field("value", value).finish()
    }
}

/// Headers that this library sets itself, which auth headers may not replace.
const RESERVED: [&str; 4] = ["content-type", "accept", "content-length", "host"];

impl Auth {
    /// The headers that carry this credential, after checking them.
    pub(crate) fn headers(&self) -> Result<Vec<Header>> {
        let secret = |name: &str, value: String| Header { name: name.to_string(), value, sensitive: true };
        match self {
            Auth::None => Ok(Vec::new()),
            Auth::Basic { username, password } => {
                if username.is_empty() {
                    return Err(Error::invalid_argument("auth.username", "must not be empty"));
                }
                if username.contains(':') {
                    return Err(Error::invalid_argument(
                        "auth.username",
                        "must not contain ':' (HTTP Basic auth cannot carry it)",
                    ));
                }
                let pair = format!("{username}:{}", password.expose());
                Ok(vec![secret("Authorization", format!("Basic {}", base64(pair.as_bytes())))])
            }
            Auth::Bearer { token } => {
                let token = token.expose().trim();
                if token.is_empty() {
                    return Err(Error::invalid_argument("auth.token", "must not be empty"));
                }
                check_header_value("auth.token", token)?;
                Ok(vec![secret("Authorization", format!("Bearer {token}"))])
            }
            Auth::Headers { headers } => headers
                .iter()
                .map(|(name, value)| {
                    check_header_name(name)?;
                    if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
                        return Err(Error::invalid_argument(
                            "auth.headers",
                            format!("{} is set by this library and cannot be replaced", quoted(name)),
                        ));
                    }
                    check_header_value(&format!("auth.headers[{}]", quoted(name)), value.expose())?;
                    Ok(secret(name, value.expose().to_string()))
                })
                .collect(),
        }
    }
}

fn check_header_name(name: &str) -> Result<()> {
    // RFC 9110 token characters.
    let ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument("auth.headers", format!("{} is not a valid header name", quoted(name))))
    }
}

/// Header values may not contain CR, LF or other control characters (header injection).
/// The value is never echoed: it is usually a credential.
pub(crate) fn check_header_value(field: &str, value: &str) -> Result<()> {
    match value.chars().position(|c| c.is_control() && c != '\t') {
        None => Ok(()),
        Some(i) => Err(Error::invalid_argument(
            field,
            format!("contains a line break or control character at position {i}; header values must be one line"),
        )),
    }
}

/// Whether a header name usually carries a credential (used when a request comes back from JS
/// without its list of sensitive headers).
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["authorization", "cookie", "token", "secret", "key", "auth", "pass", "session"]
        .iter()
        .any(|s| crate::text::contains(&n, s))
}

fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Auth::Headers` as a map of names to masked values; read from a map, in order.
#[cfg(feature = "serde")]
mod serde_headers {
    use super::{Secret, MASK};
    use serde::ser::SerializeMap;

    pub(super) fn serialize<S: serde::Serializer>(headers: &[(String, Secret)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(headers.len()))?;
        for (name, _) in headers {
            map.serialize_entry(name, MASK)?;
        }
        map.end()
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Secret)>, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Vec<(String, Secret)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of header names to values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, Secret>()? {
                    out.push((name, value));
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visit)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Header {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut h = s.serialize_struct("Header", 3)?;
        h.serialize_field("name", &self.name)?;
        h.serialize_field("value", if self.sensitive { MASK } else { &self.value })?;
        h.serialize_field("sensitive", &self.sensitive)?;
        h.end()
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Header {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Header, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Read {
            name: String,
            value: String,
            sensitive: Option<bool>,
        }
        let r = Read::deserialize(d)?;
        let sensitive = r.sensitive.unwrap_or_else(|| is_sensitive_name(&r.name));
        if sensitive && r.value == MASK {
            return Err(serde::de::Error::custom(MASKED_READ));
        }
        Ok(Header { name: r.name, value: r.value, sensitive })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("admin:pw", "YWRtaW46cHc="),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn header_values_are_checked_without_echo() {
        let auth = Auth::Bearer { token: Secret::new("abc\r\nX-Evil: 1") };
        let err = auth.headers().unwrap_err().to_string();
        assert!(err.starts_with("auth.token: contains a line break"), "{err}");
        assert!(!err.contains("abc") && !err.contains("Evil"), "{err}");

        let headers = vec![("X-Api-Key".to_string(), Secret::new("k\n"))];
        let err = Auth::Headers { headers }.headers().unwrap_err().to_string();
        assert!(err.starts_with("auth.headers[\"X-Api-Key\"]: contains a line break"), "{err}");
    }

    #[test]
    fn header_names_are_checked() {
        for (name, why) in
            [("Content-Type", "cannot be replaced"), ("bad name", "not a valid header name"), ("", "not a valid")]
        {
            let headers = vec![(name.to_string(), Secret::new("v"))];
            let err = Auth::Headers { headers }.headers().unwrap_err().to_string();
            assert!(err.contains(why), "{name}: {err}");
        }
    }

    #[test]
    fn debug_masks_every_secret() {
        let header = Header { name: "Authorization".into(), value: "Bearer abc".into(), sensitive: true };
        assert_eq!(format!("{header:?}"), r#"Header { name: "Authorization", value: "***" }"#);
        let headers = vec![("X-Key".to_string(), Secret::new("topsecret"))];
        assert!(!format!("{:?}", Auth::Headers { headers }).contains("topsecret"));
        assert!(!format!("{:?}", Auth::Bearer { token: Secret::new("topsecret") }).contains("topsecret"));
    }

    #[test]
    fn sensitive_names() {
        assert!(is_sensitive_name("Authorization") && is_sensitive_name("X-API-Key") && is_sensitive_name("Cookie"));
        assert!(!is_sensitive_name("Content-Type") && !is_sensitive_name("Accept"));
    }
}
