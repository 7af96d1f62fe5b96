//! JSON numbers: integers that fit 64 bits as integers, everything else as an `f64` together with
//! the text it was written as (written back unchanged).

use std::fmt;

/// A JSON number.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Number;
/// let n = Number::parse("2.50").unwrap();
/// assert_eq!((n.as_f64(), n.as_u64(), n.to_string()), (2.5, None, "2.50".to_string()));
/// assert_eq!(Number::from(7i64).as_u64(), Some(7));
/// ```
#[derive(Clone, Debug)]
pub struct Number(N);

#[derive(Clone, Debug)]
enum N {
    Pos(u64),
    Neg(i64),
    Float(f64, Box<str>),
}

/// Powers of ten an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

impl Number {
    /// Reads JSON number text (the caller has checked the grammar).
    pub(crate) fn from_text(text: &str) -> Number {
        let plain = !text.bytes().any(|c| matches!(c, b'.' | b'e' | b'E'));
        if plain {
            if let Some(digits) = text.strip_prefix('-') {
                if let Some(n) = digits.parse::<u64>().ok().and_then(|n| Number::integer(true, n)) {
                    return n;
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Number(N::Pos(n));
            }
        }
        Number(N::Float(to_f64(text), text.into()))
    }

    /// The integer `n` or `-n`, if it fits 64 bits.
    pub(crate) fn integer(negative: bool, n: u64) -> Option<Number> {
        Some(Number(match (negative, n) {
            (false, n) => N::Pos(n),
            (true, 0) => N::Neg(0),
            (true, n) if n <= 1 << 63 => N::Neg((n as i64).wrapping_neg()),
            _ => return None,
        }))
    }

    /// Parses a JSON number on its own (`None` if `text` is not one).
    pub fn parse(text: &str) -> Option<Number> {
        (super::parse::number_len(text.as_bytes()) == Some(text.len())).then(|| Number::from_text(text))
    }

    /// From an `f64`; `None` for NaN and infinities, which JSON cannot write.
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then(|| Number(N::Float(f, format!("{f:?}").into())))
    }

    /// The value, if it is an integer in `u64` written without fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Pos(n) => Some(n),
            N::Neg(0) => Some(0),
            _ => None,
        }
    }

    /// The value, if it is an integer in `i64` written without fraction or exponent.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            N::Pos(n) => i64::try_from(n).ok(),
            N::Neg(n) => Some(n),
            N::Float(..) => None,
        }
    }

    /// The value as an `i128`, if it is an integer written without fraction or exponent.
    pub(crate) fn as_i128(&self) -> Option<i128> {
        match self.0 {
            N::Pos(n) => Some(n as i128),
            N::Neg(n) => Some(n as i128),
            N::Float(..) => None,
        }
    }

    /// The value as an `f64` (the nearest one for the usual number lengths; see `to_f64`).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            N::Pos(n) => *n as f64,
            N::Neg(n) => *n as f64,
            N::Float(f, _) => *f,
        }
    }

    /// Whether it was written with a fraction or an exponent, or is too large for 64 bits
    /// (what Python reads as a `float`, except for the big integers).
    pub fn is_f64(&self) -> bool {
        matches!(self.0, N::Float(..))
    }

    /// The decimal digits and exponent: `mantissa * 10^exponent`, when the digits fit an `i128`.
    pub(crate) fn decimal(&self) -> Option<(i128, i32)> {
        let text = match &self.0 {
            N::Float(_, t) => t,
            _ => return self.as_i128().map(|n| (n, 0)),
        };
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (&text[..], 0),
        };
        let (negative, mantissa) = match mantissa.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mantissa),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut m: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            m = m.checked_mul(10)?.checked_add((b - b'0') as i128)?;
        }
        Some((if negative { -m } else { m }, exp.checked_sub(frac.len() as i32)?))
    }
}

/// `text` as an `f64`: exact (correctly rounded) when its significant digits fit 2^53 and its
/// decimal exponent is within ±22 — which covers the numbers people write in confs; otherwise
/// within a few units in the last place (like serde_json without `float_roundtrip`), without
/// the tables of a full parser.
fn to_f64(text: &str) -> f64 {
    let b = text.as_bytes();
    let negative = b.first() == Some(&b'-');
    let mut i = negative as usize;
    let (mut mantissa, mut exp, mut exact) = (0u64, 0i64, true);
    let mut digit = |d: u8, frac: bool, exp: &mut i64| {
        if mantissa < 1_000_000_000_000_000_000 {
            mantissa = mantissa * 10 + (d - b'0') as u64;
            if frac {
                *exp -= 1;
            }
        } else {
            exact &= d == b'0';
            if !frac {
                *exp += 1;
            }
        }
    };
    while i < b.len() && b[i].is_ascii_digit() {
        digit(b[i], false, &mut exp);
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            digit(b[i], true, &mut exp);
            i += 1;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let e: i64 = text[i + 1..].trim_start_matches('+').parse().unwrap_or(if text.as_bytes()[i + 1] == b'-' {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        });
        exp = exp.saturating_add(e);
    }
    let f = if mantissa == 0 {
        0.0
    } else if exact && mantissa < 1 << 53 && (-22..=22).contains(&exp) {
        let m = mantissa as f64;
        if exp >= 0 {
            m * POW10[exp as usize]
        } else {
            m / POW10[-exp as usize]
        }
    } else if exp > 310 {
        f64::INFINITY
    } else if exp < -345 {
        0.0
    } else {
        scaled(mantissa, exp as i32)
    };
    if negative {
        -f
    } else {
        f
    }
}

/// `m * 10^e` through a 64-bit mantissa and a binary exponent (an error far below an `f64`'s
/// last place, then one rounding by the conversion).
fn scaled(m: u64, e: i32) -> f64 {
    // 10^|e| as p * 2^pe with p's top bit set.
    let (mut p, mut pe) = (1u64 << 63, -63i32);
    for _ in 0..e.unsigned_abs() {
        let wide = (p as u128) * 10;
        let shift = 64 - wide.leading_zeros() as i32; // 4 bits over 64 at most
        p = (wide >> shift) as u64;
        pe += shift;
        // Keep p normalized (10 * p has 67 or 68 bits, so after the shift the top bit is set).
        let lz = p.leading_zeros();
        p <<= lz;
        pe -= lz as i32;
    }
    let lzm = m.leading_zeros() as i32;
    let mn = m << lzm;
    let (top, e2) = if e >= 0 {
        // m * 10^e = mn * p * 2^(pe - lzm); the product has 127 or 128 bits.
        let wide = (mn as u128) * (p as u128);
        let lz = wide.leading_zeros();
        (((wide << lz) >> 64) as u64, 64 - lz as i32 + pe - lzm)
    } else {
        // m / 10^-e = (mn * 2^63 / p) * 2^(-63 - lzm - pe); the quotient has 63 or 64 bits.
        let q = ((mn as u128) << 63) / p as u128;
        let lz = q.leading_zeros() as i32 - 64;
        ((q as u64) << lz, -lz - 63 - lzm - pe)
    };
    times_pow2(top as f64, e2)
}

/// `f * 2^e` (exact unless the result leaves the normal range).
fn times_pow2(mut f: f64, mut e: i32) -> f64 {
    while e > 1000 {
        f *= f64::from_bits(((1023 + 1000) as u64) << 52);
        e -= 1000;
    }
    while e < -1000 {
        f *= f64::from_bits(((1023 - 1000) as u64) << 52);
        e += 1000;
    }
    f * f64::from_bits(((1023 + e) as u64) << 52)
}

impl From<u64> for Number {
    fn from(n: u64) -> Number {
        Number(N::Pos(n))
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Number {
        u64::try_from(n).map_or(Number(N::Neg(n)), |p| Number(N::Pos(p)))
    }
}

/// Numbers are equal when their values are (`1` and `1.0` too).
impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self.as_i128(), other.as_i128()) {
            (Some(a), Some(b)) => a == b,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

/// The number's JSON text.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write(&mut out);
        f.write_str(&out)
    }
}

impl Number {
    pub(crate) fn write(&self, out: &mut String) {
        match &self.0 {
            N::Pos(n) => write_u64(out, *n),
            N::Neg(n) => {
                out.push('-');
                write_u64(out, n.unsigned_abs());
            }
            N::Float(_, t) => out.push_str(t),
        }
    }
}

/// Decimal digits without `core::fmt`.
pub(crate) fn write_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_floats() {
        for (text, u, i) in
            [("0", Some(0), Some(0)), ("-0", Some(0), Some(0)), ("18446744073709551615", Some(u64::MAX), None)]
        {
            let n = Number::from_text(text);
            assert_eq!((n.as_u64(), n.as_i64(), n.to_string()), (u, i, text.to_string()), "{text}");
        }
        let min = Number::from_text("-9223372036854775808");
        assert_eq!(min.as_i64(), Some(i64::MIN));
        let big = Number::from_text("18446744073709551616");
        assert!(big.is_f64() && big.as_f64() == 18446744073709551616.0);
    }

    #[test]
    fn floats_are_the_nearest_double_for_usual_lengths() {
        for text in ["0.1", "0.3", "2.5", "-1.25e-3", "123456.789", "1e22", "9007199254740991e-5", "3.14159", "1E+2"] {
            assert_eq!(to_f64(text), text.parse::<f64>().unwrap(), "{text}");
        }
        for text in ["1e308", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "0.1e-400", "1e400"] {
            let (got, want) = (to_f64(text), text.parse::<f64>().unwrap());
            assert!(got == want || ((got - want) / want).abs() < 1e-14, "{text}: {got} vs {want}");
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(Number::from_text("0.0075").decimal(), Some((75, -4)));
        assert_eq!(Number::from_text("-1.5e3").decimal(), Some((-15, 2)));
        assert_eq!(Number::from_text("42").decimal(), Some((42, 0)));
    }
}
