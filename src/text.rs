//! Substring search without `core::str::pattern`'s two-way searcher (a few KB of the wasm
//! module for the handful of short needles this crate looks for).

/// Where `needle` first occurs in `hay`.
pub(crate) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..=h.len().checked_sub(n.len())?).find(|&i| &h[i..i + n.len()] == n)
}

/// `&s[from..to]`, or "" when those are not char boundaries: never a panic (str slicing's panic
/// path formats chars with `Debug`, which brings ~3 KB gzip of code and Unicode tables into the
/// wasm module).
pub(crate) fn cut(s: &str, from: usize, to: usize) -> &str {
    s.get(from..to).unwrap_or("")
}

/// `&s[..to]`, or "" (as [`cut`]).
pub(crate) fn head(s: &str, to: usize) -> &str {
    s.get(..to).unwrap_or("")
}

/// `&s[from..]`, or "" (as [`cut`]).
pub(crate) fn tail(s: &str, from: usize) -> &str {
    s.get(from..).unwrap_or("")
}

/// Whether `c` is one of the ASCII characters of `set` (`set.contains(c)` with a char that may
/// not be ASCII searches `set` for its UTF-8 bytes, with core's substring searcher).
pub(crate) fn one_of(set: &str, c: char) -> bool {
    set.bytes().any(|b| b as u32 == c as u32)
}

/// Whether `needle` occurs in `hay`.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` split at the first `needle`.
pub(crate) fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    // `needle` is valid UTF-8, so a match starts and ends on char boundaries.
    find(hay, needle).map(|i| (head(hay, i), tail(hay, i + needle.len())))
}

/// `hay` with every `from` replaced by `to`.
pub(crate) fn replace(hay: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some((before, after)) = split_once(rest, from) {
        out.push_str(before);
        out.push_str(to);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `items.join(sep)` in one function for every caller (std's `join` is ~1 KB of the module for
/// each type it is used with).
pub(crate) fn join(items: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search() {
        assert_eq!(find("a::b::c", "::"), Some(1));
        assert_eq!(find("ab", "abc"), None);
        assert_eq!(find("é..x", ".."), Some(2));
        assert!(contains("http://x", "://") && !contains("", "a"));
        assert_eq!(split_once("a://b://c", "://"), Some(("a", "b://c")));
        assert_eq!(replace("~01~1~0", "~1", "/"), "~01/~0");
        assert_eq!(replace("urn:uuid:x", "urn:", ""), "uuid:x");
    }
}
