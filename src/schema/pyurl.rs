//! Python 3.11's `urllib.parse.urljoin` and `urldefrag`, as `referencing` joins `$id`s and
//! `$ref`s in the Airflow modes: no dot-segment removal in an absolute URI, empty segments of a
//! merged path dropped, `;params` kept apart, the schemes of `uses_relative` and `uses_netloc`.

const USES_RELATIVE: [&str; 20] = [
    "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms", "prospero", "rtsp", "rtsps",
    "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss",
];
const USES_NETLOC: [&str; 26] = [
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
    "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
];
const USES_PARAMS: [&str; 16] = [
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips", "mms",
    "sftp", "tel",
];

/// `urlparse`'s six parts.
#[derive(Default, Debug, PartialEq)]
struct Parsed {
    scheme: String,
    netloc: String,
    path: String,
    params: String,
    query: String,
    fragment: String,
}

/// `urlsplit(url, scheme)` then `urlparse`'s params; Err where `urlsplit` raises `ValueError`
/// (brackets in the authority; its NFKC check of a non-ASCII netloc is not made).
fn urlparse(url: &str, default_scheme: &str) -> Result<Parsed, String> {
    let mut url: String =
        url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let mut p = Parsed { scheme: default_scheme.to_owned(), ..Parsed::default() };
    if let Some(i) = url.find(':') {
        let s = &url[..i];
        if i > 0
            && s.as_bytes()[0].is_ascii_alphabetic()
            && s.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        {
            p.scheme = s.to_ascii_lowercase();
            url = url[i + 1..].to_owned();
        }
    }
    if let Some(after) = url.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        p.netloc = after[..end].to_owned();
        url = after[end..].to_owned();
        let why = match (p.netloc.split_once('['), p.netloc.contains(']')) {
            (None, false) => None,
            (Some((_, inner)), true) => super::compile::bracketed_host(inner.split(']').next().unwrap_or("")),
            _ => Some("Invalid IPv6 URL"),
        };
        if let Some(why) = why {
            return Err(why.to_owned());
        }
        // `_checknetloc`: a non-ASCII netloc whose NFKC form has one of `/?#@:` (the code
        // points whose NFKC form holds one, from Python 3.11's unicodedata 14.0).
        const NFKC_DELIMS: [char; 19] = [
            '\u{2047}', '\u{2048}', '\u{2049}', '\u{2100}', '\u{2101}', '\u{2105}', '\u{2106}', '\u{2a74}', '\u{fe13}',
            '\u{fe16}', '\u{fe55}', '\u{fe56}', '\u{fe5f}', '\u{fe6b}', '\u{ff03}', '\u{ff0f}', '\u{ff1a}', '\u{ff1f}',
            '\u{ff20}',
        ];
        if p.netloc.chars().any(|c| NFKC_DELIMS.contains(&c)) {
            return Err(format!("netloc '{}' contains invalid characters under NFKC normalization", p.netloc));
        }
    }
    if let Some((before, fragment)) = url.split_once('#') {
        p.fragment = fragment.to_owned();
        url = before.to_owned();
    }
    if let Some((before, query)) = url.split_once('?') {
        p.query = query.to_owned();
        url = before.to_owned();
    }
    if USES_PARAMS.contains(&p.scheme.as_str()) && url.contains(';') {
        let from = url.rfind('/').unwrap_or(0);
        if let Some(i) = url[from..].find(';').map(|i| i + from) {
            p.params = url[i + 1..].to_owned();
            url.truncate(i);
        }
    }
    p.path = url;
    Ok(p)
}

fn urlunparse(p: &Parsed) -> String {
    let mut url = p.path.clone();
    if !p.params.is_empty() {
        url = format!("{url};{}", p.params);
    }
    if !p.netloc.is_empty()
        || (!p.scheme.is_empty() && USES_NETLOC.contains(&p.scheme.as_str()) && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url = format!("//{}{url}", p.netloc);
    }
    if !p.scheme.is_empty() {
        url = format!("{}:{url}", p.scheme);
    }
    if !p.query.is_empty() {
        url = format!("{url}?{}", p.query);
    }
    if !p.fragment.is_empty() {
        url = format!("{url}#{}", p.fragment);
    }
    url
}

/// `urljoin(base, url)`; Err with `urlsplit`'s reason where Python raises.
pub(crate) fn urljoin(base: &str, url: &str) -> Result<String, String> {
    if base.is_empty() {
        return Ok(url.to_owned());
    }
    if url.is_empty() {
        return Ok(base.to_owned());
    }
    let b = urlparse(base, "")?;
    let mut u = urlparse(url, &b.scheme)?;
    if u.scheme != b.scheme || !USES_RELATIVE.contains(&u.scheme.as_str()) {
        return Ok(url.to_owned());
    }
    if USES_NETLOC.contains(&u.scheme.as_str()) {
        if !u.netloc.is_empty() {
            return Ok(urlunparse(&u));
        }
        u.netloc = b.netloc.clone();
    }
    if u.path.is_empty() && u.params.is_empty() {
        u.path = b.path;
        u.params = b.params;
        if u.query.is_empty() {
            u.query = b.query;
        }
        return Ok(urlunparse(&u));
    }
    let mut base_parts: Vec<&str> = b.path.split('/').collect();
    if base_parts.last() != Some(&"") {
        base_parts.pop();
    }
    let segments: Vec<&str> = if u.path.starts_with('/') {
        u.path.split('/').collect()
    } else {
        let mut all: Vec<&str> = base_parts;
        all.extend(u.path.split('/'));
        // `segments[1:-1] = filter(None, segments[1:-1])`
        let n = all.len();
        all.iter().enumerate().filter(|&(i, s)| i == 0 || i + 1 >= n || !s.is_empty()).map(|(_, s)| *s).collect()
    };
    let mut resolved: Vec<&str> = Vec::new();
    for seg in &segments {
        match *seg {
            ".." => {
                resolved.pop();
            }
            "." => {}
            s => resolved.push(s),
        }
    }
    if matches!(segments.last(), Some(&".") | Some(&"..")) {
        resolved.push("");
    }
    let path = resolved.join("/");
    u.path = if path.is_empty() { "/".into() } else { path };
    Ok(urlunparse(&u))
}

/// `urldefrag(url)`: the URI without its fragment (re-assembled by `urlunparse` when it had
/// one), and the fragment.
pub(crate) fn urldefrag(url: &str) -> Result<(String, String), String> {
    if !url.contains('#') {
        return Ok((url.to_owned(), String::new()));
    }
    let mut p = urlparse(url, "")?;
    let fragment = std::mem::take(&mut p.fragment);
    Ok((urlunparse(&p), fragment))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python 3.11.7's own answers (`python3 -c 'from urllib.parse import urljoin; …'`).
    #[test]
    fn as_python_joins() {
        for (base, url, want) in [
            ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
            ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
            ("http://a/b/c/d;p?q", "g;x=1/../y", "http://a/b/c/y"),
            ("http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"),
            ("http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"),
            ("http://x/", "http://x/a/../b", "http://x/a/../b"),
            ("", "http://x/a/../b", "http://x/a/../b"),
            ("a/b", "a/b", "a/a/b"),
            ("http://x/a//b/c", "d", "http://x/a/b/d"),
            ("urn:x:y", "z", "z"),
            ("http://x/a", "HTTP:b", "http://x/b"),
            ("http://x", "a", "http://x/a"),
            ("http:/a", "#f", "http:///a#f"),
        ] {
            assert_eq!(urljoin(base, url).as_deref(), Ok(want), "urljoin({base:?}, {url:?})");
        }
        assert!(urljoin("http://x/", "http://[x/").is_err());
        assert_eq!(urldefrag("http://x/a?#f"), Ok(("http://x/a".into(), "f".into())));
    }
}
