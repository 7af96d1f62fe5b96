//! JSON values as JSON Schema sees them: types, equality, numbers.

use std::cmp::Ordering;

use crate::json::{Number, Value};

/// Type bits, in the order of [`TYPE_NAMES`].
pub(crate) const TYPE_NAMES: [&str; 7] = ["null", "boolean", "object", "array", "number", "string", "integer"];

/// The `array` bit.
#[cfg_attr(not(feature = "python-re"), allow(dead_code))]
pub(crate) const ARRAY: u8 = 8;
/// The `integer` bit.
pub(crate) const INTEGER: u8 = 64;
/// `integer` in drafts 3 and 4 (python-jsonschema's `isinstance(instance, int)`): integer text,
/// which Python's `json` reads as an int, and not `1.0`.
#[cfg_attr(not(feature = "python-re"), allow(dead_code))]
pub(crate) const STRICT_INTEGER: u8 = 128;

pub(crate) fn type_bit(name: &str) -> Option<u8> {
    TYPE_NAMES.iter().position(|n| *n == name).map(|i| 1 << i)
}

/// Whether `value` has one of the types in `bits` (`integer` includes `1.0`; `number` includes
/// integers).
pub(crate) fn has_type(value: &Value, bits: u8) -> bool {
    // Bit i is TYPE_NAMES[i].
    match value {
        Value::Null => bits & 1 != 0,
        Value::Bool(_) => bits & 2 != 0,
        Value::Object(_) => bits & 4 != 0,
        Value::Array(_) => bits & 8 != 0,
        Value::String(_) => bits & 32 != 0,
        Value::Number(n) => {
            bits & 16 != 0
                || (bits & INTEGER != 0 && is_integer(n))
                || (cfg!(feature = "python-re") && bits & STRICT_INTEGER != 0 && n.is_integer_text())
        }
    }
}

pub(crate) fn is_integer(n: &Number) -> bool {
    // Integer text of any size (beyond f64 it reads as infinity, whose fract() is NaN).
    n.is_integer_text() || n.as_f64().fract() == 0.0
}

/// JSON equality: numbers by value (`1 == 1.0`), objects regardless of key order.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// The first pair `(i, j)`, `j < i`, of equal items (smallest `i`, then smallest `j`), found in
/// O(n log n) plus the real cost of comparing items whose hashes collide. Equal values hash
/// alike (numbers by their f64 value, objects regardless of key order). Every value visited
/// costs one of `budget`; `Err` when it runs out.
pub(crate) fn first_duplicate(items: &[Value], budget: &mut u64) -> Result<Option<(usize, usize)>, ()> {
    let mut keyed = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        keyed.push((hash(item, budget)?, i));
    }
    crate::json::heap_sort(&mut keyed, |a, b| a < b);
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    while start < keyed.len() {
        let end = start + keyed[start..].iter().take_while(|k| k.0 == keyed[start].0).count();
        let run = &keyed[start..end];
        start = end;
        // Sorted by index within a run: the first match found is this run's smallest `i`.
        'run: for p in 1..run.len() {
            let i = run[p].1;
            if best.is_some_and(|(bi, _)| bi <= i) {
                break;
            }
            for q in &run[..p] {
                if equal_counted(&items[i], &items[q.1], budget)? {
                    best = Some((i, q.1));
                    break 'run;
                }
            }
        }
    }
    Ok(best)
}

fn spend(budget: &mut u64) -> Result<(), ()> {
    *budget = budget.checked_sub(1).ok_or(())?;
    Ok(())
}

fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

fn hash(value: &Value, budget: &mut u64) -> Result<u64, ()> {
    spend(budget)?;
    Ok(match value {
        Value::Null => 1,
        Value::Bool(b) => 2 + *b as u64,
        Value::Number(n) => {
            // Equal numbers have equal f64 values (compare falls back to f64 for non-integers).
            let f = n.as_f64();
            mix(4, if f == 0.0 { 0 } else { f.to_bits() })
        }
        Value::String(s) => s.bytes().fold(5, |h, b| mix(h, b as u64)),
        Value::Array(a) => {
            let mut h = mix(6, a.len() as u64);
            for v in a {
                h = mix(h, hash(v, budget)?);
            }
            h
        }
        Value::Object(m) => {
            // Order-independent: the sum of the members' hashes.
            let mut sum = 0u64;
            for (k, v) in m.iter() {
                let key = k.bytes().fold(7, |h, b| mix(h, b as u64));
                sum = sum.wrapping_add(mix(key, hash(v, budget)?));
            }
            mix(8, sum ^ m.len() as u64)
        }
    })
}

/// [`equal`], paying one of `budget` per value visited.
pub(crate) fn equal_counted(a: &Value, b: &Value, budget: &mut u64) -> Result<bool, ()> {
    equal_by(a, b, budget, equal)
}

/// Arrays item by item and objects key by key, other values by `leaf`, paying one of `budget`
/// per value visited.
pub(crate) fn equal_by(a: &Value, b: &Value, budget: &mut u64, leaf: fn(&Value, &Value) -> bool) -> Result<bool, ()> {
    spend(budget)?;
    Ok(match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (a, b) in x.iter().zip(y) {
                if !equal_by(a, b, budget, leaf)? {
                    return Ok(false);
                }
            }
            true
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v) in x.iter() {
                match y.get(k) {
                    Some(w) if equal_by(v, w, budget, leaf)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        _ => leaf(a, b),
    })
}

/// Numeric order as Python compares what `json.loads` reads (python-jsonschema's answer, and
/// the mathematical one for integers): numbers written without fraction or exponent are integers
/// of any size, the others floats; an integer and a float compare exactly.
pub(crate) fn compare(a: &Number, b: &Number) -> Ordering {
    if let (Some(x), Some(y)) = (as_i128(a), as_i128(b)) {
        return x.cmp(&y);
    }
    match (a.is_integer_text(), b.is_integer_text()) {
        (true, true) => {
            let (x, y) = (a.to_string(), b.to_string());
            let (nx, ny) = (x.starts_with('-'), y.starts_with('-'));
            // Beyond i128 (or one of them is): never zero, so the signs decide first.
            let mag = |t: &str| limbs_of_digits(t);
            match (nx, ny) {
                (false, true) => Ordering::Greater,
                (true, false) => Ordering::Less,
                (false, false) => cmp_limbs(&mag(&x), &mag(&y)),
                (true, true) => cmp_limbs(&mag(&y), &mag(&x)),
            }
        }
        (false, false) => a.as_f64().partial_cmp(&b.as_f64()).unwrap_or(Ordering::Equal),
        (true, false) => int_float(a, b.as_f64()),
        (false, true) => int_float(b, a.as_f64()).reverse(),
    }
}

fn cmp_limbs(a: &[u32], b: &[u32]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// The integer `i` (written without fraction or exponent) against the float `f`, exactly.
fn int_float(i: &Number, f: f64) -> Ordering {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer up to it is a float
    if let Some(v) = as_i128(i).filter(|v| v.unsigned_abs() <= EXACT as u128) {
        return (v as f64).partial_cmp(&f).unwrap_or(Ordering::Equal);
    }
    // |i| > 2^53 here.
    let text = i.to_string();
    let negative = text.starts_with('-');
    if f.is_infinite() {
        return if f > 0.0 { Ordering::Less } else { Ordering::Greater };
    }
    if (f < 0.0) != negative {
        return if negative { Ordering::Less } else { Ordering::Greater };
    }
    let magnitude = if f.abs() < EXACT {
        Ordering::Greater
    } else {
        // |f| >= 2^53 is an integer: mantissa * 2^e with e >= 0, compared as limbs.
        match odd_parts(f.abs()) {
            Some((mantissa, e)) => cmp_limbs(&limbs_of_digits(&text), &shifted_limbs(mantissa, e as usize)),
            None => Ordering::Equal,
        }
    };
    if negative {
        magnitude.reverse()
    } else {
        magnitude
    }
}

fn as_i128(n: &Number) -> Option<i128> {
    n.as_i128()
}

/// Whether `x` is a multiple of `m`, exactly: both are scaled to integers by their decimal
/// representation (so `0.3` is a multiple of `0.1`), at any size. Falls back to float division
/// when their exponents are more than 400 apart.
pub(crate) fn is_multiple_exact(x: &Number, m: &Number) -> bool {
    if let (Some(a), Some(b)) = (x.as_i64(), m.as_i64()) {
        return b != 0 && a.checked_rem(b).map_or(true, |r| r == 0);
    }
    if let (Some((dx, ex)), Some((dm, em))) = (x.digits(), m.digits()) {
        // Both scaled to integers by the smaller exponent: digits and zeros (at most 400 of them).
        let e = ex.min(em);
        if ex - e <= 400 && em - e <= 400 {
            let pad = |d: &str, n: i64| format!("{d}{}", "0".repeat(n as usize));
            return digits_multiple_of(&pad(&dx, ex - e), &limbs_of_digits(&pad(&dm, em - e)));
        }
    }
    let q = x.as_f64() / m.as_f64();
    q.is_finite() && q.fract() == 0.0
}

/// Whether `x` is a multiple of `m` as python-jsonschema decides it (what Airflow answers):
/// float division when `m` is a float, so `0.3` is not a multiple of `0.1` (exact fractions when
/// the quotient overflows); `x % m` when `m` is an integer, exact at any size when both are
/// integers (Python's `int`s: written without fraction or exponent), in floats otherwise.
pub(crate) fn is_multiple_python(x: &Number, m: &Number) -> bool {
    if x.is_integer_text() && m.is_integer_text() {
        return match (x.as_i64(), m.as_i64()) {
            (Some(a), Some(b)) => b != 0 && a.checked_rem(b).map_or(true, |r| r == 0),
            _ => digits_multiple_of(&x.to_string(), &limbs_of_digits(&m.to_string())),
        };
    }
    let (xf, mf) = (x.as_f64(), m.as_f64());
    if xf.is_infinite() {
        // Python raises here (OverflowError: an int too large for a float, or infinity's integer
        // ratio; `inf % m` is nan): Airflow fails the request.
        return false;
    }
    if m.is_integer_text() {
        return float_multiple(xf, mf);
    }
    let q = xf / mf;
    if q.is_infinite() {
        // Python's OverflowError path: `Fraction(x) / Fraction(m)`, exact.
        return if x.is_integer_text() { float_divides_digits(mf, &x.to_string()) } else { float_multiple(xf, mf) };
    }
    q.trunc() == q
}

/// Whether `x % m == 0.0` (what Python's `%` and C's `fmod` answer, both exact), without libm's
/// `fmod` (1.2 KB of the module): with x = a·2^i and m = b·2^j, a and b odd, x / m is an integer
/// when b divides a and i >= j.
fn float_multiple(x: f64, m: f64) -> bool {
    if x == 0.0 && m.is_finite() && m != 0.0 {
        return true;
    }
    match (odd_parts(x), odd_parts(m)) {
        (Some((a, i)), Some((b, j))) => i >= j && a % b == 0,
        _ => false,
    }
}

/// A finite, non-zero `f` as `±mantissa * 2^e` with an odd mantissa; `None` for 0, infinities
/// and NaN.
fn odd_parts(f: f64) -> Option<(u64, i32)> {
    let bits = f.to_bits();
    let (exp, frac) = ((bits >> 52) & 0x7ff, bits & ((1 << 52) - 1));
    let (mut mantissa, mut e) = if exp == 0 { (frac, -1074) } else { (frac | 1 << 52, exp as i32 - 1075) };
    if exp == 0x7ff || mantissa == 0 {
        return None;
    }
    e += mantissa.trailing_zeros() as i32;
    mantissa >>= mantissa.trailing_zeros();
    Some((mantissa, e))
}

/// `mantissa * 2^shift` as limbs.
fn shifted_limbs(mantissa: u64, shift: usize) -> Limbs {
    let mut d = vec![0u32; shift / 32];
    let wide = (mantissa as u128) << (shift % 32);
    d.extend([wide as u32, (wide >> 32) as u32, (wide >> 64) as u32]);
    trim(&mut d);
    d
}

/// Whether the finite `f` (a float `multipleOf`) divides the integer written `digits` exactly.
fn float_divides_digits(f: f64, digits: &str) -> bool {
    // f = mantissa * 2^e with an odd mantissa. With e < 0, x / f = x * 2^-e / mantissa: an
    // integer when the odd mantissa divides x.
    let Some((mantissa, e)) = odd_parts(f) else { return false };
    digits_multiple_of(digits, &shifted_limbs(mantissa, e.max(0) as usize))
}

/// A non-negative integer as 32-bit limbs, least significant first, without high zero limbs.
type Limbs = Vec<u32>;

/// The decimal digits of `text` (a sign is skipped) as limbs.
fn limbs_of_digits(text: &str) -> Limbs {
    let mut n = Limbs::new();
    for b in text.bytes().filter(u8::is_ascii_digit) {
        mul_add(&mut n, 10, (b - b'0') as u32);
    }
    n
}

/// Whether the integer written `text` (decimal digits, a sign is skipped) is a multiple of `d`:
/// its digits one at a time, keeping only the remainder (time linear in the digits of `text`).
fn digits_multiple_of(text: &str, d: &[u32]) -> bool {
    if d.is_empty() {
        return false;
    }
    let mut r = Limbs::with_capacity(d.len() + 1);
    for b in text.bytes().filter(u8::is_ascii_digit) {
        mul_add(&mut r, 10, (b - b'0') as u32);
        // r < 10 d: at most nine subtractions.
        while !less(&r, d) {
            sub(&mut r, d);
        }
    }
    r.is_empty()
}

fn mul_add(n: &mut Limbs, mul: u32, add: u32) {
    let mut carry = add as u64;
    for limb in n.iter_mut() {
        let v = *limb as u64 * mul as u64 + carry;
        *limb = v as u32;
        carry = v >> 32;
    }
    if carry != 0 {
        n.push(carry as u32);
    }
}

fn less(a: &[u32], b: &[u32]) -> bool {
    if a.len() != b.len() {
        return a.len() < b.len();
    }
    a.iter().rev().cmp(b.iter().rev()) == Ordering::Less
}

/// `a -= b`, for `a >= b`.
fn sub(a: &mut Limbs, b: &[u32]) {
    let mut borrow = 0u64;
    for (i, limb) in a.iter_mut().enumerate() {
        let v = (*limb as u64).wrapping_sub(b.get(i).copied().unwrap_or(0) as u64 + borrow);
        *limb = v as u32;
        borrow = (v >> 63) & 1;
    }
    trim(a);
}

fn trim(n: &mut Limbs) {
    while n.last() == Some(&0) {
        n.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn n(v: Value) -> Number {
        match &v {
            Value::Number(n) => n.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn multiples() {
        assert!(is_multiple_exact(&n(json!(0.3)), &n(json!(0.1))));
        assert!(!is_multiple_python(&n(json!(0.3)), &n(json!(0.1))));
        assert!(is_multiple_exact(&n(json!(0.0075)), &n(json!(0.0001))));
        assert!(is_multiple_python(&n(json!(0.0075)), &n(json!(0.0001))));
        assert!(!is_multiple_exact(&n(json!(1e308)), &n(json!(0.123456789))));
        assert!(is_multiple_exact(&n(json!(4.5)), &n(json!(1.5))));
        assert!(!is_multiple_exact(&n(json!(35)), &n(json!(1.5))));
        assert!(is_multiple_exact(&n(json!(10)), &n(json!(2))));
        assert!(is_multiple_python(&n(json!(4.0)), &n(json!(2))));
        assert!(!is_multiple_python(&n(json!(4.5)), &n(json!(2))));
    }

    fn num(text: &str) -> Number {
        Number::parse(text).unwrap()
    }

    /// Python's answers (python-jsonschema 4.26 `multipleOf`, checked there) for integers of any
    /// size, float multiples whose quotient overflows, and integer multiples beyond 64 bits.
    /// `float_multiple` answers as `fmod` (`%`) does, on floats of every magnitude.
    #[test]
    fn float_multiple_is_fmod() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let pick = |r: u64| match r % 4 {
                0 => f64::from_bits(r),
                1 => (r % 1000) as f64 * 0.5f64.powi((r >> 20) as i32 % 12),
                2 => ((r % 97) as f64) * 0.1,
                _ => (r >> 11) as f64 * 2f64.powi((r % 200) as i32 - 100),
            };
            let (x, m) = (pick(next()), pick(next()));
            if x.is_finite() && m.is_finite() && m != 0.0 {
                assert_eq!(float_multiple(x, m), x % m == 0.0, "{x} % {m}");
            }
        }
    }

    #[test]
    fn python_multiples_of_integers_of_any_size() {
        for (x, m, want) in [
            ("-9223372036854775809", "3", true),
            ("-9223372036854775810", "3", false),
            ("18446744073709551616", "3", false),
            ("18446744073709551618", "3", true),
            ("340282366920938463463374607431768211456", "4294967296", true),
            ("340282366920938463463374607431768211457", "4294967296", false),
            ("10000000000000000000000000000000000000000", "1000000000000000000000000000000000000000", true),
            ("10000000000000000000000000000000000000001", "1000000000000000000000000000000000000000", false),
            ("1000000000000000000000000000000000000000", "10000000000000000000000000000000000000000", false),
            ("0", "10000000000000000000000000000000000000000", true),
            ("-0", "18446744073709551616", true),
            // A multipleOf beyond 64 bits is a Python int too (not float division).
            ("36893488147419103232", "18446744073709551616", true),
            ("36893488147419103233", "18446744073709551616", false),
            ("7", "18446744073709551616", false),
            // x % m in floats when one of them is a float.
            ("36893488147419103233.0", "18446744073709551616", true),
            ("4.0", "2", true),
            ("4.5", "2", false),
            ("36893488147419103233", "2.0", true),
            ("36893488147419103233", "18446744073709551616.0", true),
            // Float quotients that overflow: exact fractions.
            ("100000000000000000000", "1e-300", false),
            ("1e300", "1e-300", false),
            ("1e308", "0.5", true),
            ("1e308", "0.1", false),
            ("123456789012345678901234567890", "5e-324", true),
        ] {
            assert_eq!(is_multiple_python(&num(x), &num(m)), want, "{x} multipleOf {m}");
        }
        // Beyond the largest float, python-jsonschema 4.26 raises OverflowError for a float
        // multipleOf (int too large to convert), so Airflow fails: never a multiple here.
        let big = format!("{}0", "9".repeat(400));
        assert!(is_multiple_python(&num(&big), &num("30")));
        assert!(!is_multiple_python(&num(&big), &num("7")));
        assert!(!is_multiple_python(&num(&big), &num("0.5")));
        assert!(!is_multiple_python(&num(&big), &num("1e400")));
    }

    #[test]
    fn equality() {
        assert!(equal(&json!(1), &json!(1.0)));
        assert!(equal(&json!({"a": [1, {"b": 2.0}]}), &json!({"a": [1.0, {"b": 2}]})));
        assert!(!equal(&json!(true), &json!(1)));
        assert!(!equal(&json!([1]), &json!([1, 1])));
    }

    #[test]
    fn duplicates_as_pairwise() {
        let cases = [
            (json!([1, 2, 3]), None),
            (json!([1, 2, 1.0]), Some((2, 0))),
            (json!([{"a": 1, "b": [2]}, 0, {"b": [2.0], "a": 1}]), Some((2, 0))),
            (json!([0, 5, 3, 5, 3]), Some((3, 1))),
            (json!([0.0, -0.0]), Some((1, 0))),
            (json!([true, 1, false, 0, null, "", [], {}]), None),
            (json!(["ab", "ba", [1, 2], [2, 1]]), None),
        ];
        for (arr, want) in cases {
            let items = arr.as_array().unwrap();
            let mut pairwise = None;
            'i: for i in 1..items.len() {
                for j in 0..i {
                    if equal(&items[i], &items[j]) {
                        pairwise = Some((i, j));
                        break 'i;
                    }
                }
            }
            assert_eq!(pairwise, want, "{arr}");
            assert_eq!(first_duplicate(items, &mut u64::MAX.clone()), Ok(want), "{arr}");
        }
        let mut small = 3;
        assert_eq!(first_duplicate(json!([1, 2, 3, 4]).as_array().unwrap(), &mut small), Err(()));
    }
}
