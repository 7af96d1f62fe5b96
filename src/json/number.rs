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
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// assert_eq!(Number::parse("1e3").map(|n| n.as_f64()), Some(1000.0));
    /// assert!(Number::parse("01").is_none());
    /// assert!(Number::parse(" 1").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Number> {
        (super::parse::number_len(text.as_bytes()) == Some(text.len())).then(|| Number::from_text(text))
    }

    /// From an `f64`; `None` for NaN and infinities, which JSON cannot write.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// assert_eq!(Number::from_f64(0.5).unwrap().to_string(), "0.5");
    /// assert!(Number::from_f64(f64::NAN).is_none());
    /// assert!(Number::from_f64(f64::INFINITY).is_none());
    /// ```
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then(|| Number(N::Float(f, format!("{f:?}").into())))
    }

    /// The value, if it is an integer in `u64` written without fraction or exponent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// let n = |s| Number::parse(s).unwrap();
    /// assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
    /// assert_eq!(n("-1").as_u64(), None);
    /// assert_eq!(n("1.0").as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Pos(n) => Some(n),
            N::Neg(0) => Some(0),
            _ => None,
        }
    }

    /// The value, if it is an integer in `i64` written without fraction or exponent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// let n = |s| Number::parse(s).unwrap();
    /// assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
    /// assert_eq!(n("9223372036854775808").as_i64(), None);
    /// assert_eq!(n("2e0").as_i64(), None);
    /// ```
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

    /// The value as an `f64` (the nearest one; `±inf` past the largest).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// let n = |s| Number::parse(s).unwrap();
    /// assert_eq!(n("2.50").as_f64(), 2.5);
    /// assert_eq!(n("-3").as_f64(), -3.0);
    /// assert_eq!(n("1e400").as_f64(), f64::INFINITY);
    /// ```
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            N::Pos(n) => *n as f64,
            N::Neg(n) => *n as f64,
            N::Float(f, _) => *f,
        }
    }

    /// Whether it was written with a fraction or an exponent, or is too large for 64 bits
    /// (what Python reads as a `float`, except for the big integers).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Number;
    /// let n = |s| Number::parse(s).unwrap();
    /// assert!(n("1.0").is_f64());
    /// assert!(!n("1").is_f64());
    /// assert!(n("18446744073709551616").is_f64()); // 2^64: too large for 64 bits
    /// ```
    pub fn is_f64(&self) -> bool {
        matches!(self.0, N::Float(..))
    }

    /// Whether it was written without fraction or exponent: what Python reads as an `int`, of
    /// any size (`is_f64` is also true for the integers beyond 64 bits).
    pub(crate) fn is_integer_text(&self) -> bool {
        match &self.0 {
            N::Float(_, t) => !t.contains(['.', 'e', 'E']),
            _ => true,
        }
    }

    /// The decimal digits (no sign) and exponent: `|value| = digits * 10^exponent`; `None` when
    /// the exponent does not fit an `i64`.
    pub(crate) fn digits(&self) -> Option<(String, i64)> {
        let text = self.to_string();
        let text = text.strip_prefix('-').unwrap_or(&text);
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (crate::text::head(text, i), crate::text::tail(text, i + 1).parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        Some((format!("{int}{frac}"), exp.checked_sub(frac.len() as i64)?))
    }
}

/// `text` (JSON number text) as an `f64`: the nearest one (ties to even), as core's parser,
/// JavaScript's `JSON.parse` and Python's `float` read it; `±inf` past the largest `f64`.
fn to_f64(text: &str) -> f64 {
    crate::platform::parse_f64(text)
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

/// `Serialize` writes the number as the format's integer or float: integers of 64 bits as such,
/// larger integers as `u128`/`i128` (serde_json writes their digits exactly), other numbers as an
/// `f64` (the value the crate reads; `2.50` is written `2.5`). It fails for an integer beyond 128
/// bits and for a number beyond the range of an `f64` (`1e400`), which no `f64` can hold.
/// `Deserialize` keeps integer-ness: `1` stays an integer and `1.0` a float.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Number;
/// let n = Number::parse("18446744073709551616").unwrap();
/// assert_eq!(serde_json::to_string(&n).unwrap(), "18446744073709551616");
/// assert!(serde_json::to_string(&Number::parse("1e400").unwrap()).is_err());
/// let one: Number = serde_json::from_str("1.0").unwrap();
/// assert!(one.is_f64());
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        match &self.0 {
            N::Pos(n) => s.serialize_u64(*n),
            N::Neg(n) => s.serialize_i64(*n),
            N::Float(_, t) if self.is_integer_text() => match (t.parse::<u128>(), t.parse::<i128>()) {
                (Ok(n), _) => s.serialize_u128(n),
                (_, Ok(n)) => s.serialize_i128(n),
                _ => Err(S::Error::custom(format!(
                    "the integer {t} is beyond 128 bits and cannot be serialized exactly"
                ))),
            },
            N::Float(f, _) if f.is_finite() => s.serialize_f64(*f),
            N::Float(_, t) => Err(S::Error::custom(format!("the number {t} is beyond the range of an f64"))),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON number")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Number, E> {
                Ok(Number::from(n))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Number, E> {
                Ok(Number::from(n))
            }
            fn visit_u128<E: serde::de::Error>(self, n: u128) -> Result<Number, E> {
                Ok(from_u128(n))
            }
            fn visit_i128<E: serde::de::Error>(self, n: i128) -> Result<Number, E> {
                Ok(from_i128(n))
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Number, E> {
                finite(f)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A `u128` exactly (beyond 64 bits, as big-integer text).
#[cfg(feature = "serde")]
pub(crate) fn from_u128(n: u128) -> Number {
    u64::try_from(n).map_or_else(|_| Number::from_text(&n.to_string()), Number::from)
}

/// An `i128` exactly (beyond 64 bits, as big-integer text).
#[cfg(feature = "serde")]
pub(crate) fn from_i128(n: i128) -> Number {
    match (i64::try_from(n), u128::try_from(n)) {
        (Ok(n), _) => Number::from(n),
        (_, Ok(n)) => from_u128(n),
        _ => Number::from_text(&n.to_string()),
    }
}

/// A finite `f64` as a float (`1.0` stays a float); NaN and the infinities are refused.
#[cfg(feature = "serde")]
pub(crate) fn finite<E: serde::de::Error>(f: f64) -> Result<Number, E> {
    Number::from_f64(f).ok_or_else(|| {
        E::invalid_value(serde::de::Unexpected::Float(f), &"a finite number (JSON has no NaN or infinity)")
    })
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
    fn floats_are_the_nearest_double() {
        for text in [
            "0.1",
            "0.3",
            "2.5",
            "-1.25e-3",
            "123456.789",
            "1e22",
            "9007199254740991e-5",
            "3.14159",
            "1E+2",
            // Misrounded by the earlier 19-digit reader.
            "602607.937896902964",
            "1e308",
            "1.7976931348623157e308",
            "5e-324",
            "2.2250738585072014e-308",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "9007199254740993",
            "9007199254740992.000000000000000000000000001",
            "0.1e-400",
            "123456789012345678901234567890e-30",
        ] {
            assert_eq!(to_f64(text).to_bits(), text.parse::<f64>().unwrap().to_bits(), "{text}");
        }
        assert_eq!(to_f64("1e400"), f64::INFINITY);
        assert_eq!(to_f64("-1e99999999999999999999"), f64::NEG_INFINITY);
        assert_eq!(to_f64("-0.0").to_bits(), (-0.0f64).to_bits());
        assert_eq!(Number::from_text("-9223372036854775809").as_f64(), -9223372036854775808.0);
        assert_eq!(Number::from_text("602607.937896902964").as_f64(), 602607.937896903);
    }

    #[test]
    fn decimals() {
        assert_eq!(Number::from_text("0.0075").digits(), Some(("00075".into(), -4)));
        assert_eq!(Number::from_text("-1.5e3").digits(), Some(("15".into(), 2)));
        assert_eq!(Number::from_text("42").digits(), Some(("42".into(), 0)));
    }
}
