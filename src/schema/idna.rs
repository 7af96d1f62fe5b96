//! Host names (RFC 1123) and internationalized host names (IDNA 2008, RFC 5890-5893) for the
//! `hostname` and `idn-hostname` formats: Punycode both ways, the contextual rules, and the
//! Bidi rule. Unicode properties come from compact ranges of the scripts the rules name, not
//! from full Unicode tables (which would not fit the package's size budget).

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(a, b)| a <= c && c <= b)
}

/// Combining marks (general categories Mn, Mc, Me) of the common scripts.
pub(crate) fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && in_ranges(
            c,
            &[
                (0x0300, 0x036F),
                (0x0483, 0x0489),
                (0x0591, 0x05BD),
                (0x05BF, 0x05BF),
                (0x05C1, 0x05C2),
                (0x05C4, 0x05C5),
                (0x05C7, 0x05C7),
                (0x0610, 0x061A),
                (0x064B, 0x065F),
                (0x0670, 0x0670),
                (0x06D6, 0x06DC),
                (0x06DF, 0x06E4),
                (0x06E7, 0x06E8),
                (0x06EA, 0x06ED),
                (0x0900, 0x0903),
                (0x093A, 0x093C),
                (0x093E, 0x094F),
                (0x0951, 0x0957),
                (0x0962, 0x0963),
                (0x0981, 0x0983),
                (0x09BC, 0x09D7),
                (0x0A01, 0x0A03),
                (0x0A3C, 0x0A51),
                (0x0A81, 0x0A83),
                (0x0ABC, 0x0ACD),
                (0x0B01, 0x0B03),
                (0x0B3C, 0x0B57),
                (0x0BBE, 0x0BCD),
                (0x0C00, 0x0C04),
                (0x0C3E, 0x0C56),
                (0x0CBC, 0x0CD6),
                (0x0D00, 0x0D03),
                (0x0D3B, 0x0D4D),
                (0x0E31, 0x0E31),
                (0x0E34, 0x0E3A),
                (0x0E47, 0x0E4E),
                (0x1AB0, 0x1AFF),
                (0x1DC0, 0x1DFF),
                (0x20D0, 0x20FF),
                (0x302A, 0x302F),
                (0x3099, 0x309A),
                (0xFE20, 0xFE2F),
            ],
        )
}

const VIRAMAS: [u32; 24] = [
    0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A, 0x0F84,
    0x1039, 0x103A, 0x1714, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0xA806, 0xA8C4,
];

#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bidi {
    L,
    R,
    AL,
    AN,
    EN,
    NSM,
    Other,
}

fn bidi(c: char) -> Bidi {
    let u = c as u32;
    if is_mark(c) {
        Bidi::NSM
    } else if c.is_ascii_digit() || (0x06F0..=0x06F9).contains(&u) || matches!(u, 0xB2 | 0xB3 | 0xB9) {
        Bidi::EN
    } else if (0x0660..=0x0669).contains(&u) || matches!(u, 0x066B | 0x066C) {
        Bidi::AN
    } else if in_ranges(c, &[(0x0590, 0x05FF), (0x07C0, 0x085F), (0xFB1D, 0xFB4F), (0x10800, 0x10FFF)]) {
        Bidi::R
    } else if in_ranges(c, &[(0x0600, 0x07BF), (0x0860, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]) {
        Bidi::AL
    } else if c.is_alphanumeric() {
        Bidi::L
    } else {
        Bidi::Other
    }
}

/// Whether `label` (already split, non-empty) is a valid U-label.
fn u_label(label: &[char]) -> bool {
    let n = label.len();
    if n == 0 || label[0] == '-' || label[n - 1] == '-' || is_mark(label[0]) {
        return false;
    }
    if n >= 4 && label[2] == '-' && label[3] == '-' {
        return false;
    }
    let has = |lo: u32, hi: u32| label.iter().any(|&c| (lo..=hi).contains(&(c as u32)));
    if has(0x0660, 0x0669) && has(0x06F0, 0x06F9) {
        return false;
    }
    for (i, &c) in label.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| label[j]);
        let next = label.get(i + 1).copied();
        let ok = match c as u32 {
            0x00DF | 0x03C2 | 0x06FD | 0x06FE | 0x0F0B | 0x3007 => true,
            0x0640 | 0x07FA | 0x302E | 0x302F | 0x3031..=0x3035 | 0x303B => false,
            0x00B7 => prev == Some('l') && next == Some('l'),
            0x0375 => next.is_some_and(|n| in_ranges(n, &[(0x0370, 0x03FF), (0x1F00, 0x1FFF)])),
            0x05F3 | 0x05F4 => prev.is_some_and(|p| (0x0590..=0x05FF).contains(&(p as u32))),
            0x30FB => label.iter().any(|&o| {
                o != '\u{30FB}'
                    && in_ranges(o, &[(0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)])
            }),
            0x200D => prev.is_some_and(|p| VIRAMAS.contains(&(p as u32))),
            0x200C => {
                let joining =
                    |x: Option<&char>| x.is_some_and(|&x| in_ranges(x, &[(0x0620, 0x064A), (0x066E, 0x06D3)]));
                prev.is_some_and(|p| VIRAMAS.contains(&(p as u32)))
                    || (joining(label[..i].iter().rev().find(|&&x| !is_mark(x)))
                        && joining(label[i + 1..].iter().find(|&&x| !is_mark(x))))
            }
            // Uppercase is DISALLOWED in a U-label (ASCII labels are compared lowercased).
            _ => c == '-' || is_mark(c) || (!c.is_uppercase() && c.is_alphanumeric()),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// RFC 5893 for one label of a domain that has right-to-left characters.
fn bidi_label(label: &[char]) -> bool {
    let classes: Vec<Bidi> = label.iter().map(|&c| bidi(c)).collect();
    let last = classes.iter().rev().find(|&&b| b != Bidi::NSM).copied();
    match classes.first() {
        Some(Bidi::R | Bidi::AL) => {
            !classes.contains(&Bidi::L)
                && matches!(last, Some(Bidi::R | Bidi::AL | Bidi::EN | Bidi::AN))
                && !(classes.contains(&Bidi::EN) && classes.contains(&Bidi::AN))
        }
        Some(Bidi::L) => {
            !classes.iter().any(|b| matches!(b, Bidi::R | Bidi::AL | Bidi::AN))
                && matches!(last, Some(Bidi::L | Bidi::EN))
        }
        _ => false,
    }
}

const BASE: u32 = 36;

fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { 700 } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - 1) * 26) / 2 {
        delta /= BASE - 1;
        k += BASE;
    }
    k + (BASE * delta) / (delta + 38)
}

/// RFC 3492 decoding of what follows `xn--`.
pub(crate) fn punycode_decode(input: &str) -> Option<Vec<char>> {
    let (basic, rest) = match input.rfind('-') {
        Some(i) => (crate::text::head(input, i), crate::text::tail(input, i + 1)),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut digits = rest.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let d = match digits.next()? {
                c @ b'a'..=b'z' => c - b'a',
                c @ b'A'..=b'Z' => c - b'A',
                c @ b'0'..=b'9' => c - b'0' + 26,
                _ => return None,
            } as u32;
            i = i.checked_add(d.checked_mul(w)?)?;
            let t = if k <= bias {
                1
            } else if k >= bias + 26 {
                26
            } else {
                k - bias
            };
            if d < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out)
}

/// RFC 3492 encoding (what follows `xn--`).
pub(crate) fn punycode_encode(input: &[char]) -> Option<String> {
    let mut out: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut h) = (128u32, 0u32, 72u32, basic);
    while (h as usize) < input.len() {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        1
                    } else if k >= bias + 26 {
                        26
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    let d = t + (q - t) % (BASE - t);
                    out.push(digit(d));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(out)
}

fn digit(d: u32) -> char {
    (if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 }) as char
}

/// `hostname` (`idn: false`: ASCII only, A-labels checked) or `idn-hostname`.
pub(crate) fn hostname(s: &str, idn: bool) -> bool {
    let separators: &[char] = if idn { &['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'] } else { &['.'] };
    if s.is_empty() || (s.len() > 253 && s.chars().count() > 253) {
        return false;
    }
    let ldh = |label: &[u8]| {
        (1..=63).contains(&label.len())
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
            && label.get(2..4) != Some(b"--")
            && label.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    };
    if s.is_ascii() {
        let labels = || s.as_bytes().split(|&b| b == b'.');
        if labels().all(|l| l.get(2..4) != Some(b"--")) {
            // Plain ASCII names (the usual case): no A-labels, no Bidi or contextual rules.
            return labels().all(ldh);
        }
    }
    let mut labels = Vec::new();
    for label in s.split(separators) {
        let chars: Vec<char> = if label.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")) {
            // An A-label is read lowercased (as idna's `ulabel` does).
            let Some(decoded) = punycode_decode(&crate::text::tail(label, 4).to_ascii_lowercase()) else {
                return false;
            };
            // An A-label must decode to non-ASCII and re-encode to itself.
            if decoded.iter().all(char::is_ascii)
                || punycode_encode(&decoded).map_or(true, |e| !e.eq_ignore_ascii_case(crate::text::tail(label, 4)))
                || label.len() > 63
            {
                return false;
            }
            decoded
        } else if label.is_ascii() {
            if !ldh(label.as_bytes()) {
                return false;
            }
            labels.push(label.chars().collect::<Vec<char>>());
            continue;
        } else if idn {
            let chars: Vec<char> = label.chars().collect();
            if punycode_encode(&chars).map_or(true, |e| e.len() + 4 > 63) {
                return false;
            }
            chars
        } else {
            return false;
        };
        if !u_label(&chars) {
            return false;
        }
        labels.push(chars);
    }
    let rtl = labels.iter().flatten().any(|&c| !c.is_ascii() && matches!(bidi(c), Bidi::R | Bidi::AL | Bidi::AN));
    !rtl || labels.iter().all(|l| bidi_label(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_round_trips() {
        for (ulabel, alabel) in [("bücher", "bcher-kva"), ("例え", "r8jz45g"), ("münchen", "mnchen-3ya")] {
            let chars: Vec<char> = ulabel.chars().collect();
            assert_eq!(punycode_encode(&chars).unwrap(), alabel);
            assert_eq!(punycode_decode(alabel).unwrap(), chars);
        }
        assert!(punycode_decode("X").is_none() || punycode_decode("X").is_some_and(|d| d.iter().all(char::is_ascii)));
    }

    #[test]
    fn host_names() {
        assert!(hostname("www.example.com", false));
        assert!(hostname("xn--bcher-kva.de", false));
        assert!(!hostname("bücher.de", false));
        assert!(hostname("bücher.de", true));
        assert!(!hostname("example.", true));
    }
}
