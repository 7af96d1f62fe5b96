//! Python's character classes that the Airflow modes need outside regular expressions too:
//! `str.isdecimal()` with each digit's value (what `int()` and `strptime` read) and
//! `str.isspace()`, from the Unicode 14 tables of Python 3.11 (`pyunicode.rs`).

use super::pyunicode as uni;
use std::sync::OnceLock;

fn varints(data: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let (mut v, mut shift) = (0u32, 0);
        loop {
            let b = *data.get(i)?;
            i += 1;
            v |= ((b & 0x7f) as u32) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
    })
}

/// Ranges written as varints: (gap from the previous range's end, length - 1).
pub(crate) fn ranges(data: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut it, mut prev) = (varints(data), 0);
    while let (Some(gap), Some(len)) = (it.next(), it.next()) {
        out.push((prev + gap, prev + gap + len));
        prev += gap + len + 1;
    }
    out
}

/// Runs `[start, end, step, delta as u32]` written as varints (gap, count - 1, step - 1, zigzag
/// delta).
#[cfg(feature = "python-re")]
pub(crate) fn runs(data: &[u8]) -> Vec<[u32; 4]> {
    let mut out = Vec::new();
    let (mut it, mut prev) = (varints(data), 0);
    while let (Some(gap), Some(count), Some(step), Some(z)) = (it.next(), it.next(), it.next(), it.next()) {
        let (start, step) = (prev + gap, step + 1);
        let end = start + count * step;
        let delta = if z & 1 == 0 { (z >> 1) as i32 } else { -((z >> 1) as i32) - 1 };
        out.push([start, end, step, delta as u32]);
        prev = end + 1;
    }
    out
}

pub(crate) fn in_ranges(r: &[(u32, u32)], c: u32) -> bool {
    let i = r.partition_point(|&(_, high)| high < c);
    r.get(i).is_some_and(|&(low, _)| low <= c)
}

fn digits() -> &'static [(u32, u32)] {
    static DIGITS: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    DIGITS.get_or_init(|| ranges(uni::DIGIT))
}

/// The value of a decimal digit (`str.isdecimal()`: ASCII and the other Unicode Nd digits).
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    let (c, r) = (c as u32, digits());
    // Unicode's decimal digits come in runs of ten starting at zero.
    let i = r.partition_point(|&(_, high)| high < c);
    r.get(i).filter(|&&(low, _)| low <= c).map(|&(low, _)| (c - low) % 10)
}

/// `str.isspace()`.
pub(crate) fn is_space(c: char) -> bool {
    static SPACES: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    in_ranges(SPACES.get_or_init(|| ranges(uni::SPACE)), c as u32)
}

/// Python's `int(s, radix)` for radix 10 or 16: Unicode whitespace around, a sign, `0x` (radix
/// 16), digits (Unicode decimal digits count) with single underscores between them. `None` when
/// it raises, else whether it is negative and its value (saturating).
pub(crate) fn python_int(s: &str, radix: u32) -> Option<(bool, u64)> {
    // (C's `isspace` for ASCII there: not `\x1c`-`\x1f`, which `str.isspace()` has.)
    let t = s.trim_matches(|c| is_space(c) && (c as u32).wrapping_sub(0x1c) > 3);
    let (negative, t) = match t.strip_prefix(['+', '-']) {
        Some(rest) => (t.starts_with('-'), rest),
        None => (false, t),
    };
    let t = match (radix, t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))) {
        (16, Some(r)) => r.strip_prefix('_').unwrap_or(r),
        _ => t,
    };
    let (mut any, mut value, mut last_underscore) = (false, 0u64, true);
    for c in t.chars() {
        if c == '_' {
            if last_underscore {
                return None;
            }
            last_underscore = true;
            continue;
        }
        let d = if c.is_ascii_alphanumeric() { c.to_digit(radix) } else { decimal_value(c) }?;
        value = value.saturating_mul(radix as u64).saturating_add(d as u64);
        any = true;
        last_underscore = false;
    }
    (any && !last_underscore).then_some((negative, value))
}
