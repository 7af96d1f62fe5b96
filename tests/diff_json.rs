//! Differential test: the crate's JSON reader and writer (`airflow_trigger::json`) against
//! serde_json (with `float_roundtrip`: correctly rounded floats, and `preserve_order`: members in
//! the order written). Every case is compared; divergences are counted under a known difference
//! or fail the test.
//!
//! Known differences (counted and printed each run, never generated around):
//! - `beyond f64`: a number whose value is past the largest `f64` (`1e400`). Ours reads it as
//!   `±inf` and writes its text back unchanged (Python's `json` reads `inf`, `JSON.parse`
//!   `Infinity`); serde_json refuses the text.
//! - `minus zero`: `-0` is the integer 0 for ours (Python's `json` reads the `int` 0; written back
//!   as `-0`); serde_json reads the float `-0.0`.
//! - `nesting 128`: exactly 128 nested arrays/objects: ours reads them (its limit is 128 levels),
//!   serde_json stops at 127.
//!
//! A case is explained only when serde_json, given the text rewritten without the difference
//! (each number beyond f64 as `null` on both sides), reads what
//! ours read; a case with several differences counts under their names joined by ` + `. The
//! writing is checked in every case that ours reads, explained or not.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use airflow_trigger::json::Value;
use common::Verdict;
use proptest::prelude::*;
use serde_json::Value as Serde;

// ---- generators (JSON text) ----

fn digits(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, min..=max).prop_map(|v| v.into_iter().map(|d| (b'0' + d) as char).collect())
}

/// A JSON number in the grammar: any sign, integer part, fraction and exponent lengths.
fn grammar_number() -> impl Strategy<Value = String> {
    let int = prop_oneof![
        1 => Just("0".to_string()),
        4 => (1u8..10, prop_oneof![digits(0, 3), digits(0, 20), digits(15, 45)]).prop_map(|(d, rest)| format!("{d}{rest}")),
    ];
    let frac = prop::option::of(prop_oneof![digits(1, 3), digits(1, 20), digits(15, 45)]);
    let exp = prop::option::of((
        prop::sample::select(vec!["e", "E"]),
        prop::sample::select(vec!["", "+", "-"]),
        prop_oneof![4 => digits(1, 3), 1 => digits(4, 25)],
    ));
    (any::<bool>(), int, frac, exp).prop_map(|(neg, int, frac, exp)| {
        let mut s = if neg { "-".to_string() } else { String::new() };
        s += &int;
        if let Some(f) = frac {
            s = s + "." + &f;
        }
        if let Some((e, sign, d)) = exp {
            s = s + e + sign + &d;
        }
        s
    })
}

/// An `f64` as Rust writes it (shortest, exponent, many exact digits).
fn float_number() -> impl Strategy<Value = String> {
    (any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |f| f.is_finite()), 0u8..4, 0usize..40).prop_map(
        |(f, style, precision)| match style {
            0 => format!("{f:?}"),
            1 => format!("{f:e}"),
            2 => format!("{f:.precision$e}"),
            _ => format!("{f}"),
        },
    )
}

/// The exact halfway point between two neighbouring `f64`s (`m` with 53 bits, `2^e`), or one unit
/// in its last digit either side: where a reader that is not correctly rounded goes wrong.
fn halfway_number() -> impl Strategy<Value = String> {
    ((1u64 << 52)..(1u64 << 53), -30i32..=60, -1i8..=1).prop_map(|(m, e, nudge)| {
        let odd = 2 * m as u128 + 1;
        let (n, k) = if e >= 1 { (odd << (e - 1), 0) } else { (odd * 5u128.pow((1 - e) as u32), 1 - e) };
        let n = (n as i128 + nudge as i128) as u128;
        if k == 0 {
            n.to_string()
        } else {
            format!("{n}e-{k}")
        }
    })
}

/// Integers around the 64-bit limits and powers of ten.
fn edge_integer() -> impl Strategy<Value = String> {
    let bases = vec![
        "0",
        "9007199254740992",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "100000000000000000000",
        "340282366920938463463374607431768211455",
    ];
    (prop::sample::select(bases), -3i32..=3, any::<bool>(), 0usize..3).prop_map(|(b, delta, neg, zeros)| {
        let n: u128 = b.parse().expect("an integer");
        let n = n.checked_add_signed(delta as i128).unwrap_or(n);
        format!("{}{}{}", if neg { "-" } else { "" }, n, "0".repeat(zeros))
    })
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![4 => grammar_number(), 2 => float_number(), 2 => halfway_number(), 1 => edge_integer()]
}

/// One piece of string literal text (valid, except raw control characters).
fn string_piece() -> BoxedStrategy<String> {
    prop_oneof![
        6 => prop::sample::select(vec!['a', 'Z', ' ', '~', 'é', '€', '😀', '\u{7f}', '/', '\u{2028}', '\u{feff}', '\u{fffd}'])
            .prop_map(String::from),
        3 => prop::sample::select(vec!["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]).prop_map(String::from),
        3 => prop_oneof![0u16..0x80, 0x80u16..0xd800, 0xe000u16..=0xffff].prop_map(|c| format!("\\u{c:04x}")),
        2 => (0xd800u16..0xdc00, 0xdc00u16..0xe000, any::<bool>())
            .prop_map(|(h, l, upper)| if upper { format!("\\u{h:04X}\\u{l:04X}") } else { format!("\\u{h:04x}\\u{l:04x}") }),
        1 => (0xd800u16..0xe000).prop_map(|c| format!("\\u{c:04x}")),
        1 => (0xd800u16..0xdc00, 0u16..0xd800).prop_map(|(h, c)| format!("\\u{h:04x}\\u{c:04x}")),
        1 => (0u8..0x20).prop_map(|c| (c as char).to_string()),
    ]
    .boxed()
}

fn string_text() -> impl Strategy<Value = String> {
    prop::collection::vec(string_piece(), 0..8).prop_map(|p| format!("\"{}\"", p.concat()))
}

fn ws() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "", "", " ", "\n", "\t", "\r\n  "])
}

fn key_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["\"a\"", "\"b\"", "\"\"", "\"\\u0061\"", "\"é\"", "\"a b\""]).prop_map(String::from),
        1 => string_text(),
    ]
}

/// Nested values with whitespace, repeated keys (`"a"` and `"\u0061"` are the same key) and
/// members in any order.
fn value_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["null", "true", "false"]).prop_map(String::from),
        number_text(),
        string_text(),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            (ws(), prop::collection::vec((ws(), inner.clone(), ws()), 0..6)).prop_map(|(w, items)| {
                let items: Vec<String> = items.into_iter().map(|(a, v, b)| format!("{a}{v}{b}")).collect();
                format!("[{w}{}]", items.join(","))
            }),
            (ws(), prop::collection::vec((ws(), key_text(), ws(), ws(), inner, ws()), 0..6)).prop_map(
                |(w, members)| {
                    let members: Vec<String> =
                        members.into_iter().map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}")).collect();
                    format!("{{{w}{}}}", members.join(","))
                }
            ),
        ]
    })
}

/// Valid texts broken (or not) by a few edits, and nesting around the limits.
fn edited_text() -> impl Strategy<Value = String> {
    let alphabet = vec![
        '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '1', '9', '-', '+', '.', 'e', 'E', 't', 'r', 'u', 'f', 'a',
        'l', 's', 'n', 'x', '\u{0}', '\n', '\u{b}', '\u{c}', '\u{a0}', '\u{feff}', '/', '\'',
    ];
    let edits = prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(alphabet)), 1..4);
    let edited = (value_text(), edits).prop_map(|(text, edits)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, op, c) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 if i < chars.len() => {
                    chars.remove(i);
                }
                1 if i < chars.len() => chars[i] = c,
                _ => chars.insert(i, c),
            }
        }
        chars.into_iter().collect()
    });
    let deep = (120usize..=132, any::<bool>(), any::<bool>()).prop_map(|(depth, objects, close)| {
        let (open, shut) = if objects { ("{\"a\":", "}") } else { ("[", "]") };
        let inner = if objects { "1" } else { "" };
        let tail = if close { shut.repeat(depth) } else { shut.repeat(depth.saturating_sub(1)) };
        format!("{}{inner}{tail}", open.repeat(depth))
    });
    prop_oneof![9 => edited, 1 => deep]
}

// ---- comparison ----

/// Whether ours reads what serde_json reads: same kinds, numbers as the same integer or the same
/// `f64` (bit for bit), members in the same order.
fn same(ours: &Value, theirs: &Serde) -> bool {
    match (ours, theirs) {
        (Value::Null, Serde::Null) => true,
        (Value::Bool(a), Serde::Bool(b)) => a == b,
        (Value::String(a), Serde::String(b)) => a == b,
        (Value::Number(a), Serde::Number(b)) => {
            if let Some(b) = b.as_u64() {
                !a.is_f64() && a.as_u64() == Some(b)
            } else if let Some(b) = b.as_i64() {
                !a.is_f64() && a.as_i64() == Some(b)
            } else {
                a.is_f64() && b.as_f64().map(f64::to_bits) == Some(a.as_f64().to_bits())
            }
        }
        (Value::Array(a), Serde::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (Value::Object(a), Serde::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(a) => a.iter().any(has_float),
        Value::Object(m) => m.values().any(has_float),
        _ => false,
    }
}

/// Which known differences explain the difference between ours reading `text` as `ours` and
/// serde_json (which refused it, or read something else): the text is rewritten without each
/// difference in turn (numbers beyond f64 as `null` on both sides) until serde_json reads what
/// ours reads.
fn explain(text: &str, ours: &Value) -> Option<String> {
    let mut names = Vec::new();
    let replaced = text.to_string();
    let (replaced, ours) = match replace_infinite_numbers(&replaced) {
        Some(t) => {
            names.push("beyond f64");
            (t, infinite_as_null(ours))
        }
        None => (replaced, ours.clone()),
    };
    match serde_json::from_str::<Serde>(&replaced) {
        Ok(t) if same(&ours, &t) => {}
        Ok(t) if only_minus_zero(&ours, &t) => names.push("minus zero"),
        Err(e) if e.to_string().contains("recursion limit exceeded") && depth(&ours) == 128 => {
            names.push("nesting 128")
        }
        _ => return None,
    }
    (!names.is_empty()).then(|| names.join(" + "))
}

/// `text` with each number (outside strings) that reads as `±inf` written `null`, if any.
fn replace_infinite_numbers(text: &str) -> Option<String> {
    let (mut out, mut in_string, mut escaped, mut changed) = (String::new(), false, false, false);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c == '"' {
            in_string = true;
        } else if c == '-' || c.is_ascii_digit() {
            let end = (i..chars.len())
                .find(|&j| !matches!(chars[j], '0'..='9' | '.' | 'e' | 'E' | '+' | '-'))
                .unwrap_or(chars.len());
            let token: String = chars[i..end].iter().collect();
            if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str("null");
                changed = true;
            } else {
                out.push_str(&token);
            }
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

fn infinite_as_null(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.as_f64().is_infinite() => Value::Null,
        Value::Array(a) => Value::Array(a.iter().map(infinite_as_null).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), infinite_as_null(v))).collect()),
        v => v.clone(),
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether the values differ only by `-0` read as an integer by ours and as `-0.0` by serde_json.
fn only_minus_zero(ours: &Value, theirs: &Serde) -> bool {
    match (ours, theirs) {
        (Value::Number(a), Serde::Number(b)) => {
            same(ours, theirs) || (a.as_i64() == Some(0) && a.to_string() == "-0" && b.as_f64() == Some(-0.0))
        }
        (Value::Array(a), Serde::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| only_minus_zero(a, b)),
        (Value::Object(a), Serde::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && only_minus_zero(va, vb))
        }
        _ => same(ours, theirs),
    }
}

/// Reads `text` with both; then writes what ours read and checks that text: ours reads it back
/// as the same value and text, serde_json reads it as ours does (up to the known differences),
/// and it is serde_json's own text when serde_json read the same and there are no floats (whose
/// text ours keeps as written). The writing is checked in the cases of known differences too.
fn compare(text: &str) -> Verdict {
    let theirs = serde_json::from_str::<Serde>(text);
    let (ours, known) = match (Value::parse(text), &theirs) {
        (Err(_), Err(_)) => return Verdict::Same,
        (Err(e), Ok(t)) => return Verdict::New(format!("ours: {e}; serde_json reads {t}")),
        (Ok(o), Ok(t)) if same(&o, t) => (o, None),
        (Ok(o), t) => match explain(text, &o) {
            Some(names) => (o, Some(names)),
            None => return Verdict::New(format!("ours reads {o:?}; serde_json {t:?}")),
        },
    };
    let written = ours.to_json_string();
    let again = match Value::parse(&written) {
        Ok(again) if again == ours && again.to_json_string() == written => again,
        again => return Verdict::New(format!("ours writes {written:?} and reads back {again:?}")),
    };
    match serde_json::from_str::<Serde>(&written) {
        Ok(t) if same(&again, &t) => {}
        _ if explain(&written, &again).is_some() => {}
        t => return Verdict::New(format!("ours writes {written:?}; serde_json reads {t:?}")),
    }
    match (known, theirs) {
        (Some(names), _) => Verdict::Known(names),
        (None, Ok(t)) if !has_float(&ours) => {
            let serde_text = serde_json::to_string(&t).expect("serde_json writes");
            if serde_text == written {
                Verdict::Same
            } else {
                Verdict::New(format!("ours writes {written:?}, serde_json {serde_text:?}"))
            }
        }
        _ => Verdict::Same,
    }
}

#[test]
fn numbers() {
    common::run("json numbers", common::cases(20_000), number_text(), |t| compare(t)).report();
}

#[test]
fn strings() {
    common::run("json strings", common::cases(20_000), string_text(), |t| compare(t)).report();
}

#[test]
fn values() {
    common::run("json values", common::cases(4_000), value_text(), |t| compare(t)).report();
}

#[test]
fn edited_texts() {
    common::run("json edited", common::cases(4_000), edited_text(), |t| compare(t)).report();
}

/// The examples the known differences are named after, so each shows in every run.
#[test]
fn known_differences_are_what_they_say() {
    for (text, name) in [
        ("1e400", "beyond f64"),
        ("-1e400", "beyond f64"),
        ("-0", "minus zero"),
        (format!("{}{}", "[".repeat(128), "]".repeat(128)).as_str(), "nesting 128"),
    ] {
        match compare(text) {
            Verdict::Known(n) => assert_eq!(n, name, "{text}"),
            Verdict::Same => panic!("{text}: no difference"),
            Verdict::New(w) => panic!("{text}: {w}"),
        }
    }
    // Lone surrogates: both refuse them (ours read U+FFFD once, which made "\ud800" equal "\ud801").
    for text in [
        "602607.937896902964",
        "-9223372036854775809",
        "18446744073709551616",
        "[-0.0]",
        "127",
        r#""\ud800""#,
        r#""\udc00x""#,
    ] {
        assert!(matches!(compare(text), Verdict::Same), "{text}");
    }
}
