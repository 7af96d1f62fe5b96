//! `format` checkers: the spec's (for `formats: "all"`) and python-jsonschema's as Airflow's
//! servers run them (for `"airflow2"` / `"airflow3"`).

use super::idna::hostname;
use crate::time::{check_date_bytes, check_date_time};

/// Which formats are asserted.
///
/// With the `serde` feature it is the string `parse` reads: `"airflow2"`, `"airflow3"`, `"all"`
/// or `"none"`.
///
/// # Examples
/// ```
/// use airflow_trigger::Formats;
/// assert_eq!(Formats::parse("airflow3").unwrap(), Formats::Airflow3);
/// assert!(Formats::Airflow3.asserts("duration") && !Formats::Airflow3.asserts("date-time"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Formats {
    /// What Airflow 2.11.2 asserts: date, date-time, email, idn-email, idn-hostname, ipv4, ipv6,
    /// regex, time, uuid — with python-jsonschema's checkers.
    Airflow2,
    /// What Airflow 3.3.2 asserts: the same, with duration instead of date-time.
    Airflow3,
    /// Every format of the JSON Schema specification, as the specification defines it.
    All,
    /// `format` is an annotation only.
    None,
}

const AIRFLOW_COMMON: [&str; 9] =
    ["date", "email", "idn-email", "idn-hostname", "ipv4", "ipv6", "regex", "time", "uuid"];

impl Formats {
    /// Reads a mode's name; the problem as text (the public `Formats::parse` is in src/conf.rs).
    pub(crate) fn from_name(s: &str) -> Result<Formats, String> {
        match s {
            "airflow2" => Ok(Formats::Airflow2),
            "airflow3" => Ok(Formats::Airflow3),
            "all" => Ok(Formats::All),
            "none" => Ok(Formats::None),
            other => {
                Err(format!("\"{other}\" is not a formats mode; use \"airflow2\", \"airflow3\", \"all\" or \"none\""))
            }
        }
    }

    /// Whether this mode asserts the named format.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::Formats;
    /// assert!(Formats::Airflow2.asserts("date-time") && !Formats::Airflow3.asserts("date-time"));
    /// assert!(Formats::All.asserts("uri") && !Formats::Airflow3.asserts("uri"));
    /// assert!(!Formats::None.asserts("date"));
    /// ```
    pub fn asserts(self, format: &str) -> bool {
        match self {
            Formats::None => false,
            Formats::All => ALL.contains(&format),
            Formats::Airflow2 => format == "date-time" || AIRFLOW_COMMON.contains(&format),
            Formats::Airflow3 => format == "duration" || AIRFLOW_COMMON.contains(&format),
        }
    }

    /// Whether this mode follows python-jsonschema and Python's `re` (the Airflow modes).
    pub(crate) fn python(self) -> bool {
        matches!(self, Formats::Airflow2 | Formats::Airflow3)
    }
}

const ALL: [&str; 19] = [
    "date",
    "date-time",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
    "uri-template",
];

/// Checks `s` against `format` as `mode` asserts it. `regex` is checked by the caller.
pub(crate) fn check(mode: Formats, format: &str, s: &str) -> bool {
    let py = mode.python();
    match format {
        // `date.fromisoformat` refuses year 0, which RFC 3339 allows.
        "date" => check_date_bytes(s.as_bytes()).is_ok() && !(py && s.starts_with("0000")),
        // rfc3339-validator matches `^…$` on `s.upper()`: `$` also matches before a final newline.
        "date-time" if py => {
            let s = s.strip_suffix('\n').unwrap_or(s);
            check_date_time(&s.to_ascii_uppercase(), false).is_ok() && !s.starts_with("0000")
        }
        "date-time" => check_date_time(s, true).is_ok(),
        "time" if py => python_time(s),
        "time" => rfc3339_time(s),
        "duration" if py => python_duration(s),
        "duration" => duration(s),
        "email" | "idn-email" if py => s.contains('@'),
        "email" => email(s, false),
        "idn-email" => email(s, true),
        "hostname" => hostname(s, false),
        // idna.encode, exactly with the python-re feature (idna's and Python's tables), else
        // approximated by the RFC 5890-5893 rules on compact ranges (src/schema/idna.rs).
        #[cfg(feature = "python-re")]
        "idn-hostname" if py => super::pyidna::encode_ok(s),
        // Without python-re the Airflow modes refuse idn-hostname when they compile.
        "idn-hostname" => hostname(s, true),
        "ipv4" => ipv4(s),
        "ipv6" => ipv6(s),
        "uuid" if py => python_uuid(s),
        "uuid" => uuid(s),
        "uri" => uri(s, false, true),
        "uri-reference" => uri(s, false, false),
        "iri" => uri(s, true, true),
        "iri-reference" => uri(s, true, false),
        "json-pointer" => json_pointer(s),
        "relative-json-pointer" => relative_json_pointer(s),
        "uri-template" => uri_template(s),
        _ => true,
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|+HH:MM)`, a leap second only at 23:59:60 UTC.
fn rfc3339_time(s: &str) -> bool {
    check_date_time(&format!("2000-01-01T{s}"), true).is_ok()
}

/// `datetime.strptime(s, "%H:%M:%S")`: `_strptime`'s regex (`2[0-3]|[0-1]\d|\d`, `[0-5]\d|\d`,
/// `6[0-1]|[0-5]\d|\d`, where `\d` is any Unicode decimal digit), then `datetime()`, which
/// refuses seconds 60 and 61.
fn python_time(s: &str) -> bool {
    let dec = super::pychars::decimal_value;
    // One Unicode digit, or an ASCII digit from `first` then a Unicode digit (`2[0-3]` for hours).
    let field = |p: &str, first: &str| {
        let cs: Vec<char> = p.chars().collect();
        match cs.as_slice() {
            [d] => dec(*d).is_some(),
            ['2', b] if first == "hour" => ('0'..='3').contains(b),
            [a, b] => crate::text::one_of(if first == "hour" { "01" } else { "012345" }, *a) && dec(*b).is_some(),
            _ => false,
        }
    };
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 3 && field(parts[0], "hour") && field(parts[1], "") && field(parts[2], "")
}

/// ISO 8601 durations as RFC 3339 appendix A writes them: `P1Y2M3DT4H5M6S`, `P2W`.
fn duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else { return false };
    if let Some(weeks) = rest.strip_suffix('W') {
        return digits(weeks);
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let units = |part: &str, order: &str| -> Option<usize> {
        let mut count = 0;
        let mut last = 0;
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let pos = order.find(c)? + 1;
            // Units are contiguous and in order: P1Y2D (no months) is not a duration.
            if num.is_empty() || pos <= last || (last > 0 && pos != last + 1) {
                return None;
            }
            last = pos;
            num.clear();
            count += 1;
        }
        num.is_empty().then_some(count)
    };
    let Some(d) = units(date, "YMD") else { return false };
    match time {
        None => d > 0,
        Some(t) => units(t, "HMS").is_some_and(|n| n > 0),
    }
}

/// `isoduration.parse_duration` plus python-jsonschema's "ends with a designator" check: a sign
/// before `P`, numbers as `Decimal` reads them (`,` for `.`, exponents), designators in order
/// (`Y M D W`, then `T` and `H M S`), `W` after others only when they are all zero.
fn python_duration(s: &str) -> bool {
    if !s.ends_with(['D', 'M', 'Y', 'W', 'H', 'S']) || s.chars().count() < 2 {
        return false;
    }
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(rest) = s.strip_prefix('P') else { return false };
    match rest.find('T') {
        None => python_units(rest, "YMDW"),
        Some(i) => {
            let (date, time) = (crate::text::head(rest, i), crate::text::tail(rest, i + 1));
            // Only numbers before `T` (no `,`): arrow reads it as a datetime, never ending in a
            // designator.
            let arrow = !date.is_empty() && date.chars().all(|c| crate::text::one_of("+-0123456789.eE", c));
            !arrow && python_units(date, "YMDW") && !time.is_empty() && python_units(time, "HMS")
        }
    }
}

/// A part of a duration: numbers (as `Decimal` reads them, `,` for `.`) each followed by a
/// designator of `left`, in order (a number left at the end is ignored, as isoduration does);
/// `W` only after date units that are all zero.
fn python_units(part: &str, mut left: &str) -> bool {
    let (mut num, mut nonzero) = (String::new(), false);
    for c in part.chars() {
        if crate::text::one_of("+-0123456789.,eE", c) {
            num.push(if c == ',' { '.' } else { c });
            continue;
        }
        let Some(at) = left.find(c) else { return false };
        let Some(zero) = decimal_is_zero(&num) else { return false };
        if c == 'W' && nonzero {
            return false;
        }
        nonzero |= !zero;
        left = crate::text::tail(left, at + 1);
        num.clear();
    }
    true
}

/// Python's `Decimal(s)` for what isoduration passes it: `None` when it raises, else whether
/// the value is zero.
fn decimal_is_zero(s: &str) -> Option<bool> {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (crate::text::head(s, i), Some(crate::text::tail(s, i + 1))),
        None => (s, None),
    };
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(e) {
            return None;
        }
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let ok =
        (!int.is_empty() || !frac.is_empty()) && (int.is_empty() || digits(int)) && (frac.is_empty() || digits(frac));
    ok.then(|| int.bytes().chain(frac.bytes()).all(|b| b == b'0'))
}

fn ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            digits(p)
                && p.len() <= 3
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

fn ipv6(s: &str) -> bool {
    if s.contains('%') {
        return false; // zone ids are refused (python-jsonschema refuses scope ids too)
    }
    let (head, tail, compressed) = match crate::text::split_once(s, "::") {
        Some((h, t)) => (h, t, true),
        None => (s, "", false),
    };
    if crate::text::contains(tail, "::") {
        return false;
    }
    let groups = |part: &str, last: bool| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let items: Vec<&str> = part.split(':').collect();
        let mut n = 0;
        for (i, g) in items.iter().enumerate() {
            if last && i + 1 == items.len() && g.contains('.') {
                if !ipv4(g) {
                    return None;
                }
                n += 2;
            } else if (1..=4).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_hexdigit()) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    };
    let h = groups(head, !compressed);
    let t = if compressed { groups(tail, true) } else { Some(0) };
    match (h, t) {
        (Some(h), Some(t)) if compressed => h + t <= 7,
        (Some(h), _) => h == 8,
        _ => false,
    }
}

fn email(s: &str, idn: bool) -> bool {
    let Some(at) = s.rfind('@') else { return false };
    let (local, domain) = (crate::text::head(s, at), crate::text::tail(s, at + 1));
    let local_ok = if let Some(q) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        !q.is_empty() && !q.contains(['"', '\\'])
    } else {
        !local.is_empty()
            && local.len() <= 64
            && local.as_bytes()[0] != b'.'
            && local.as_bytes()[local.len() - 1] != b'.'
            && !crate::text::contains(local, "..")
            && local.chars().all(|c| {
                c.is_ascii_alphanumeric() || crate::text::one_of("!#$%&'*+-/=?^_`{|}~.", c) || (idn && !c.is_ascii())
            })
    };
    let domain_ok = if let Some(ip) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        match ip.strip_prefix("IPv6:") {
            Some(v6) => ipv6(v6),
            None => ipv4(ip),
        }
    } else {
        hostname(domain, idn)
    };
    local_ok && domain_ok
}

fn uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes()
            .enumerate()
            .all(|(i, b)| if [8, 13, 18, 23].contains(&i) { b == b'-' } else { b.is_ascii_hexdigit() })
}

/// `uuid.UUID(s)` (`urn:` and `uuid:` removed, braces stripped, hyphens removed, 32 characters
/// that `int(…, 16)` reads as a value in range) plus hyphens at 8, 13, 18 and 23, as
/// python-jsonschema checks.
fn python_uuid(s: &str) -> bool {
    let hex: String = crate::text::replace(&crate::text::replace(s, "urn:", ""), "uuid:", "");
    let hex: String = hex.trim_matches(|c| c == '{' || c == '}').chars().filter(|&c| c != '-').collect();
    let cs: Vec<char> = s.chars().collect();
    hex.chars().count() == 32
        && super::pychars::python_int(&hex, 16).is_some_and(|(negative, value)| !negative || value == 0)
        && [8, 13, 18, 23].iter().all(|&i| cs.get(i) == Some(&'-'))
}

fn json_pointer(s: &str) -> bool {
    (s.is_empty() || s.starts_with('/')) && valid_tildes(s)
}

fn valid_tildes(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0') | Some(b'1')))
}

fn relative_json_pointer(s: &str) -> bool {
    let n = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || (n > 1 && s.starts_with('0')) {
        return false;
    }
    let rest = crate::text::tail(s, n);
    rest == "#" || json_pointer(rest)
}

/// RFC 3986 URIs (IRIs, RFC 3987, when `iri`); `absolute` requires a scheme.
fn uri(s: &str, iri: bool, absolute: bool) -> bool {
    let ok_char = |c: char| {
        c.is_ascii_alphanumeric()
            || crate::text::one_of("-._~!$&'()*+,;=:@/?%#[]", c)
            || (iri && !c.is_ascii() && !c.is_whitespace())
    };
    if !s.chars().all(ok_char) || s.matches('#').count() > 1 {
        return false;
    }
    // Every % starts a %XX escape.
    let b = s.as_bytes();
    if b.iter().enumerate().any(|(i, &c)| {
        c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    }) {
        return false;
    }
    let scheme_end = s.find(':').filter(|&i| {
        let scheme = crate::text::head(s, i);
        !scheme.contains(['/', '?', '#'])
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || crate::text::one_of("+-.", c))
    });
    let rest = match scheme_end {
        Some(i) => crate::text::tail(s, i + 1),
        None if absolute => return false,
        None => {
            // A relative reference's first segment may not contain ':'.
            let first = s.split(['/', '?', '#']).next().unwrap_or("");
            if first.contains(':') {
                return false;
            }
            s
        }
    };
    if let Some(after) = rest.strip_prefix("//") {
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if authority.rsplit_once('@').is_some_and(|(u, _)| u.contains(['[', ']', '@'])) {
            return false;
        }
        let bracketed = host_port.starts_with('[');
        let (host, port) = if let Some(rest) = host_port.strip_prefix('[') {
            match rest.split_once(']') {
                Some((ip, port)) => {
                    if !(ipv6(ip) || ip.starts_with(['v', 'V'])) {
                        return false;
                    }
                    (ip, port.strip_prefix(':').unwrap_or(if port.is_empty() { "" } else { "x" }))
                }
                None => return false,
            }
        } else {
            match host_port.rsplit_once(':') {
                Some((h, p)) => (h, p),
                None => (host_port, ""),
            }
        };
        if (!bracketed && host.contains(['[', ']', ':'])) || !(port.is_empty() || digits(port)) {
            return false;
        }
    } else if rest.contains(['[', ']']) {
        return false;
    }
    let tail = rest.split_once('#').map_or("", |(_, f)| f);
    !tail.contains(['[', ']'])
}

/// RFC 6570 templates: literals and well-formed `{op var[:n|*], ...}` expressions.
fn uri_template(s: &str) -> bool {
    if s.chars().any(|c| c.is_whitespace() || c.is_control() || crate::text::one_of("\"<>\\^`|", c)) {
        return false;
    }
    let mut rest = s;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return false;
        }
        let Some(close) = crate::text::tail(rest, open).find('}') else { return false };
        let expr = crate::text::cut(rest, open + 1, open + close);
        let expr = expr.strip_prefix(['+', '#', '.', '/', ';', '?', '&']).unwrap_or(expr);
        let ok = !expr.is_empty()
            && expr.split(',').all(|var| {
                let var = var.strip_suffix('*').unwrap_or(var);
                let (name, prefix) = match var.split_once(':') {
                    Some((n, p)) => (n, Some(p)),
                    None => (var, None),
                };
                !name.is_empty()
                    && !name.starts_with('.')
                    && !name.ends_with('.')
                    && !crate::text::contains(name, "..")
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '%')
                    && prefix.map_or(true, |p| digits(p) && p.len() <= 4 && !p.starts_with('0'))
            });
        if !ok {
            return false;
        }
        rest = crate::text::tail(rest, open + close + 1);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airflow_checkers_follow_python() {
        assert!(check(Formats::Airflow3, "time", "1:2:3"));
        assert!(!check(Formats::Airflow3, "time", "12:00:00Z"));
        assert!(check(Formats::All, "time", "12:00:00Z"));
        assert!(!check(Formats::All, "time", "1:2:3"));
        assert!(check(Formats::Airflow2, "email", "a@"));
        assert!(!check(Formats::All, "email", "a@"));
        assert!(check(Formats::Airflow3, "uuid", "2eb8aa08-aa98-11ea-b4aa-73b4-41d16380"));
        assert!(!check(Formats::All, "uuid", "2eb8aa08-aa98-11ea-b4aa-73b4-41d16380"));
        assert!(check(Formats::All, "uuid", "2EB8AA08-AA98-11EA-B4AA-73B441D16380"));
        for (d, ok) in [
            ("P1Y", true),
            ("P1.5D", true),
            ("-P1D", true),
            ("P1Y2D", true),
            ("P1,5D", true),
            ("PT-1H", true),
            ("P1DT1H1S", true),
        ] {
            assert_eq!(check(Formats::Airflow3, "duration", d), ok, "{d}");
        }
        for d in ["P", "PT", "P1DT", "P1M2W", "P1W2D", "PT1S1M", "p1d", "P1d", "P0001-02-03", "1 day"] {
            assert!(!check(Formats::Airflow3, "duration", d), "{d}");
        }
        assert!(!check(Formats::Airflow2, "date-time", "1998-12-31T23:59:60Z"));
        assert!(check(Formats::Airflow2, "date-time", "2024-01-01t10:00:00z"));
    }

    #[test]
    fn spec_checkers() {
        for (format, ok, bad) in [
            ("ipv4", "192.168.0.1", "192.168.0.01"),
            ("ipv6", "::ffff:192.168.0.1", "12345::"),
            ("ipv6", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9"),
            ("duration", "P1Y2M3DT4H5M6S", "PT"),
            ("duration", "P2W", "P1D2W"),
            ("hostname", "www.example.com", "-bad.example.com"),
            ("email", "joe.bloggs@example.com", "2962"),
            ("uri", "http://example.com/a?b#c", "//example.com"),
            ("uri-reference", "../a", "\\\\WINDOWS"),
            ("json-pointer", "/a~0b", "/a~2"),
            ("relative-json-pointer", "1/a", "-1/a"),
            ("uri-template", "http://example.com/{term:1}/{term}", "http://example.com/{term"),
            ("date", "2024-02-29", "2023-02-29"),
            ("date-time", "1963-06-19T08:30:06.283185Z", "1963-06-19T08:30:06"),
        ] {
            assert!(check(Formats::All, format, ok), "{format} {ok}");
            assert!(!check(Formats::All, format, bad), "{format} {bad}");
        }
    }
}

#[cfg(test)]
mod no_panic {
    use super::*;

    /// Every checker, in every mode, on many odd strings: none may panic (in wasm a panic is a
    /// trap that kills the module).
    #[test]
    fn checkers_never_panic() {
        let alphabet: Vec<char> =
            "aZ09-.:@/[]%#?~_+xn--PTWYMDHS ,'\"\\é례ß·\u{0375}\u{05F3}\u{200D}\u{200C}\u{0660}\u{06F0}\u{05D0}\u{0628}\u{0300}\u{FF0E}\n"
                .chars()
                .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            for mode in [Formats::All, Formats::Airflow2, Formats::Airflow3] {
                for f in ALL {
                    let _ = check(mode, f, &s);
                }
            }
            let _ = crate::schema::regex::Regex::new(&s).map(|r| r.is_match(&s));
            let _ = crate::pendulum::is_datetime(&s);
        }
    }
}
