//! Differential test: the crate's regex engine (src/schema/regex.rs, through the test-only hook
//! `airflow_trigger::__test::regex_is_match`) against regress with ECMAScript `u`-flag semantics,
//! on generated patterns and inputs. Search semantics (a match anywhere), as `pattern` in JSON
//! Schema. Both the verdict on the pattern (compiles or not) and each match are compared.
//!
//! The grammar: literals and escapes (`\n`, `\x61`, `\u0062`, `\u{63}`, `\cJ`, `\0`, surrogate
//! pairs, escaped syntax characters), `.`, classes (negated, ranges, class escapes, `\b`, `\-`),
//! `\d \D \w \W \s \S`, `\p{..}`/`\P{..}` (in and out of classes), `^ $ \b \B`, alternation,
//! capturing and non-capturing groups, lookahead (positive and negative), quantifiers (`* + ?`,
//! `{n}`, `{n,}`, `{n,m}`, lazy), and some invalid forms (quantified assertions and lookaheads,
//! `{3,1}`, lone brackets). Inputs are short strings over an alphabet chosen for the edges:
//! line terminators for `.`, the Unicode spaces for `\s` (with U+0085, which is not one), word
//! and non-word characters for `\w`/`\b`, astral characters, and letters/numbers on which
//! Unicode's general categories and Rust's derived properties disagree.
//!
//! Backreferences (`\1`) and lookbehind (`(?<=`, `(?<!`) are generated too: the engine refuses
//! them by design (a compile error: it stays linear in time), and each such pattern regress
//! compiles is counted as the known difference `refused by design`. Flags other than `u` are not
//! generated (JSON Schema has none).
//!
//! regress runs with its PikeVM backend: its default backtracking one can take exponential time
//! and memory on generated patterns (`(?:(?:c{0,}){0,1}){2}\${2}` exhausted the memory).
//!
//! Known differences (counted and printed each run):
//! - `property tables`: ours implements `\p{L}`, `\p{Lu}`, `\p{Ll}` with Rust's `is_alphabetic`,
//!   `is_uppercase`, `is_lowercase` (the derived properties Alphabetic, Uppercase, Lowercase) and
//!   `\p{Nd}` as ASCII digits (no general-category tables in the wasm module): they differ from
//!   the general categories on marks such as U+0345, letter numbers such as U+2160, circled
//!   letters such as U+24B6, modifier letters such as U+02B0 and U+00AA, and non-ASCII digits
//!   such as U+0663.
//! - `unsupported property`: ours refuses `\p{..}` names other than L, Lu, Ll, N, Nd (and their
//!   long names); regress accepts them.
//! - `refused by design`: a backreference or a lookbehind, which ours refuses and regress compiles.
//! - `regress: quantified \b`: regress 0.12 accepts a quantifier on `\b` or `\B` (`\b*`), which
//!   ECMA-262 makes a syntax error (V8 too: "Nothing to repeat"); ours refuses it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use airflow_trigger::__test::regex_is_match;
use common::Verdict;
use proptest::prelude::*;

const INPUT_CHARS: &[char] = &[
    'a', 'a', 'b', 'b', 'c', 'A', 'B', '0', '1', '_', '-', ' ', '.', '\n', '\r', 'é', '😀', '\u{a0}', '\u{85}',
    '\u{2028}', '\u{feff}', '\u{3000}', '\u{345}', '\u{2160}', '\u{24b6}', '\u{aa}', '\u{2b0}', '\u{663}', 'ß', 'Σ',
];

/// Characters on which Rust's derived properties and the general categories disagree (see above).
const PROPERTY_EDGES: &[char] = &['\u{345}', '\u{2160}', '\u{24b6}', '\u{aa}', '\u{2b0}', '\u{663}'];

fn literal() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "a",
        "b",
        "b",
        "c",
        "A",
        "0",
        "1",
        "-",
        "_",
        " ",
        ",",
        "é",
        "😀",
        "ß",
        "\\.",
        "\\*",
        "\\+",
        "\\?",
        "\\(",
        "\\)",
        "\\[",
        "\\]",
        "\\{",
        "\\}",
        "\\|",
        "\\/",
        "\\\\",
        "\\^",
        "\\$",
        "\\n",
        "\\r",
        "\\t",
        "\\x61",
        "\\u0062",
        "\\u{63}",
        "\\u{1F600}",
        "\\0",
        "\\cJ",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\u2028",
    ])
    .prop_map(String::from)
}

fn class() -> impl Strategy<Value = String> {
    let item = prop::sample::select(vec![
        "a",
        "b",
        "c",
        "0",
        "9",
        "A",
        "_",
        " ",
        "é",
        "😀",
        "-",
        "\\d",
        "\\w",
        "\\s",
        "\\D",
        "\\W",
        "\\S",
        "\\-",
        "\\]",
        "\\b",
        "\\n",
        "\\.",
        "a-c",
        "0-9",
        "A-Z",
        "\\u0061-\\u0063",
        "é-😀",
        "b-a",
        "\\p{L}",
        "\\p{Nd}",
        "\\P{L}",
    ]);
    (any::<bool>(), prop::collection::vec(item, 0..4))
        .prop_map(|(negated, items)| format!("[{}{}]", if negated { "^" } else { "" }, items.concat()))
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => literal(),
        2 => Just(".".to_string()),
        3 => class(),
        3 => prop::sample::select(vec!["\\d", "\\D", "\\w", "\\W", "\\s", "\\S"]).prop_map(String::from),
        2 => prop::sample::select(vec!["^", "$", "\\b", "\\B"]).prop_map(String::from),
        1 => prop::sample::select(vec![
            "\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{N}", "\\p{Nd}", "\\P{L}", "\\P{N}", "\\p{Letter}", "\\p{gc=Lu}",
            "\\p{Sc}",
        ])
        .prop_map(String::from),
        1 => prop::sample::select(vec!["{", "}", "]", ")", "a{,2}"]).prop_map(String::from),
        1 => prop::sample::select(vec!["\\1", "\\2"]).prop_map(String::from),
    ]
}

fn quantifier() -> impl Strategy<Value = String> {
    let q = prop::sample::select(vec!["*", "+", "?", "{0}", "{1}", "{2}", "{0,1}", "{1,3}", "{2,}", "{0,}", "{3,1}"]);
    prop_oneof![
        3 => Just(String::new()),
        2 => (q, prop::sample::select(vec!["", "", "?"])).prop_map(|(q, lazy)| format!("{q}{lazy}")),
    ]
}

fn pattern() -> impl Strategy<Value = String> {
    let term = (leaf(), quantifier()).prop_map(|(a, q)| a + &q);
    let seq = prop::collection::vec(term, 0..4).prop_map(|t| t.concat());
    seq.prop_recursive(3, 24, 4, |inner| {
        let alternation = prop::collection::vec(inner, 1..3).prop_map(|b| b.join("|"));
        let group =
            (prop::sample::select(vec!["(", "(", "(?:", "(?=", "(?!", "(?<=", "(?<!"]), alternation, quantifier())
                .prop_map(|(open, body, q)| format!("{open}{body}){q}"));
        prop::collection::vec(prop_oneof![2 => group, 3 => (leaf(), quantifier()).prop_map(|(a, q)| a + &q)], 1..4)
            .prop_map(|t| t.concat())
    })
    .prop_flat_map(|p| {
        // Alternation at the top too.
        (Just(p), prop::option::weighted(0.2, pattern_tail())).prop_map(|(p, tail)| match tail {
            Some(t) => format!("{p}|{t}"),
            None => p,
        })
    })
}

fn pattern_tail() -> impl Strategy<Value = String> {
    prop::collection::vec((leaf(), quantifier()).prop_map(|(a, q)| a + &q), 0..3).prop_map(|t| t.concat())
}

fn input() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(INPUT_CHARS), 0..10).prop_map(|c| c.into_iter().collect())
}

fn case() -> impl Strategy<Value = (String, Vec<String>)> {
    (pattern(), prop::collection::vec(input(), 8))
}

fn theirs(pattern: &str) -> Result<regress::Regex, String> {
    regress::Regex::with_flags(pattern, "u").map_err(|e| e.to_string())
}

fn has_property(pattern: &str, names: &[&str]) -> bool {
    names.iter().any(|n| pattern.contains(&format!("\\p{{{n}}}")) || pattern.contains(&format!("\\P{{{n}}}")))
}

/// Whether `pattern` has `\b` or `\B` (outside a class) directly followed by a quantifier.
fn quantified_word_boundary(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let (mut i, mut in_class) = (0, false);
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let quantified = chars.get(i + 2).is_some_and(|q| matches!(q, '*' | '+' | '?' | '{'));
                if !in_class && matches!(chars.get(i + 1), Some('b' | 'B')) && quantified {
                    return true;
                }
                i += 2;
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        i += 1;
    }
    false
}

fn compare(pattern: &str, inputs: &[String]) -> Verdict {
    match (regex_is_match(pattern, ""), theirs(pattern)) {
        (Err(_), Err(_)) => Verdict::Same,
        (Err(e), Ok(_)) => {
            if quantified_word_boundary(pattern) && e.contains("nothing to repeat") {
                Verdict::Known("regress: quantified \\b".into())
            } else if e.contains("backreferences are not supported") || e.contains("lookbehind is not supported") {
                Verdict::Known("refused by design".into())
            } else if e.contains("is not supported here") && has_property(pattern, &["Sc"]) {
                Verdict::Known("unsupported property".into())
            } else {
                Verdict::New(format!("ours refuses ({e}), regress compiles"))
            }
        }
        (Ok(_), Err(e)) => Verdict::New(format!("ours compiles, regress refuses ({e})")),
        (Ok(_), Ok(re)) => {
            let mut known = false;
            for text in inputs {
                let ours = regex_is_match(pattern, text).expect("compiled once");
                let theirs =
                    regress::backends::find::<regress::backends::PikeVMExecutor>(&re, text, 0).next().is_some();
                if ours != theirs {
                    let explained = has_property(pattern, &["L", "Lu", "Ll", "Nd", "Letter", "gc=Lu"])
                        && text.chars().any(|c| PROPERTY_EDGES.contains(&c));
                    if !explained {
                        return Verdict::New(format!("on {text:?}: ours {ours}, regress {theirs}"));
                    }
                    known = true;
                }
            }
            if known {
                Verdict::Known("property tables".into())
            } else {
                Verdict::Same
            }
        }
    }
}

#[test]
fn generated_patterns() {
    common::run("regex", common::cases(6_000), case(), |(p, inputs)| compare(p, inputs)).report();
}

/// Examples of each known difference, and of cases that agree, so each shows in every run.
#[test]
fn known_differences_are_what_they_say() {
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for (pattern, inputs, name) in [
        ("^\\p{L}$", s(&["\u{345}"]), "property tables"),
        ("^\\p{Lu}$", s(&["\u{24b6}"]), "property tables"),
        ("^\\p{Ll}$", s(&["\u{aa}"]), "property tables"),
        ("^\\p{Nd}$", s(&["\u{663}"]), "property tables"),
        ("\\p{Sc}", s(&["$"]), "unsupported property"),
        ("a\\b*", s(&["a"]), "regress: quantified \\b"),
        ("(a)\\1", s(&["aa"]), "refused by design"),
        ("(?<=a)b", s(&["ab"]), "refused by design"),
        ("(?<!a)b", s(&["cb"]), "refused by design"),
    ] {
        match compare(pattern, &inputs) {
            Verdict::Known(n) => assert_eq!(n, name, "{pattern}"),
            Verdict::Same => panic!("{pattern}: no difference"),
            Verdict::New(w) => panic!("{pattern}: {w}"),
        }
    }
    for (pattern, inputs) in [
        ("^\\s$", s(&["\u{85}", "\u{a0}", "\u{feff}", "\u{2028}", " "])),
        ("^.$", s(&["\n", "\r", "\u{2028}", "\u{85}", "😀"])),
        ("\\bé", s(&["aé", " é"])),
        ("^(?:a|)*b", s(&["aab", "b", "c"])),
        ("[\\P{L}]", s(&["1", "a"])),
    ] {
        assert!(matches!(compare(pattern, &inputs), Verdict::Same), "{pattern}");
    }
}
