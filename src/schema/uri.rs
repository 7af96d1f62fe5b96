//! URI references (RFC 3986 section 5) and JSON Pointers (RFC 6901) for `$id` and `$ref`.

/// Resolves `reference` against the absolute `base`.
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    let r = Parts::parse(reference);
    if r.scheme.is_some() {
        return r.with_path(&remove_dot_segments(r.path));
    }
    let b = Parts::parse(base);
    let mut t = Parts { scheme: b.scheme, ..Parts::default() };
    if r.authority.is_some() {
        t.authority = r.authority;
        t.query = r.query;
        return Parts { fragment: r.fragment, ..t }.with_path(&remove_dot_segments(r.path));
    }
    t.authority = b.authority;
    let path = if r.path.is_empty() {
        t.query = r.query.or(b.query);
        b.path.to_string()
    } else {
        t.query = r.query;
        if r.path.starts_with('/') {
            remove_dot_segments(r.path)
        } else if b.authority.is_some() && b.path.is_empty() {
            remove_dot_segments(&format!("/{}", r.path))
        } else {
            let dir = b.path.rfind('/').map_or("", |i| crate::text::head(b.path, i + 1));
            remove_dot_segments(&format!("{dir}{}", r.path))
        }
    };
    Parts { fragment: r.fragment, ..t }.with_path(&path)
}

/// The URI without its fragment, and the fragment (without `#`).
pub(crate) fn split_fragment(uri: &str) -> (&str, &str) {
    match uri.split_once('#') {
        Some((base, fragment)) => (base, fragment),
        None => (uri, ""),
    }
}

#[derive(Default)]
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> Parts<'a> {
    fn parse(s: &'a str) -> Parts<'a> {
        let mut rest = s;
        let mut p = Parts::default();
        if let Some((before, fragment)) = rest.split_once('#') {
            p.fragment = Some(fragment);
            rest = before;
        }
        if let Some((before, query)) = rest.split_once('?') {
            p.query = Some(query);
            rest = before;
        }
        if let Some(i) = rest.find(':') {
            let scheme = crate::text::head(rest, i);
            if !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || crate::text::one_of("+-.", c))
            {
                p.scheme = Some(scheme);
                rest = crate::text::tail(rest, i + 1);
            }
        }
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find('/').unwrap_or(after.len());
            p.authority = Some(crate::text::head(after, end));
            rest = crate::text::tail(after, end);
        }
        p.path = rest;
        p
    }

    fn with_path(&self, path: &str) -> String {
        let mut out = String::new();
        if let Some(s) = self.scheme {
            out.push_str(s);
            out.push(':');
        }
        if let Some(a) = self.authority {
            out.push_str("//");
            out.push_str(a);
        }
        out.push_str(path);
        if let Some(q) = self.query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

fn remove_dot_segments(path: &str) -> String {
    if !path.contains('.') {
        return path.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    crate::text::join(&out.iter().map(|s| &**s).collect::<Vec<&str>>(), "/")
}

/// Decodes `%XX` escapes (invalid ones are kept as they are).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes one JSON Pointer token (`~` -> `~0`, `/` -> `~1`).
pub(crate) fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// The tokens of a JSON Pointer, unescaped; None when it is not a pointer.
pub(crate) fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(|t| crate::text::replace(&crate::text::replace(t, "~1", "/"), "~0", "~")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3986_examples() {
        let base = "http://a/b/c/d;p?q";
        for (r, want) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("", "http://a/b/c/d;p?q"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(resolve(base, r), want, "{r}");
        }
        assert_eq!(resolve("urn:uuid:deadbeef", "#/$defs/x"), "urn:uuid:deadbeef#/$defs/x");
        assert_eq!(
            resolve("http://localhost:1234/draft2020-12/", "nested/foo.json"),
            "http://localhost:1234/draft2020-12/nested/foo.json"
        );
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer_tokens("/a~1b/c~0d/0"), Some(vec!["a/b".into(), "c~d".into(), "0".into()]));
        assert_eq!(pointer_tokens("foo"), None);
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(percent_decode("%25foo%22"), "%foo\"");
    }
}
