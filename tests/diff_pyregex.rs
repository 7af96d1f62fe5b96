//! Differential test: the crate's Python-mode regex engine (src/schema/pyregex.rs, used by the
//! Airflow modes) against Python's own `re`, run by the Python of the Airflow venvs (3.11, the
//! one Airflow validates Params with; `PYTHON` overrides). Generated patterns lean toward where
//! Python differs from ECMA-262: inline and scoped flags, `$` before a final newline, `\Z`,
//! Unicode `\d \w \s \b`, case folding (with `_EXTRA_CASES` letters and astral letters),
//! `{,n}`, named groups and backreferences, conditionals, atomic groups, possessive quantifiers,
//! lookbehind, octal escapes, and syntax Python refuses. For each pattern: whether it compiles
//! and, for each text, whether `re.search` finds it. Every divergence fails the test. Also
//! compares the generated Unicode tables with Python on every code point, and `\N{name}` on
//! every name and alias.
//! `FUZZ_CASES=n` patterns (default 3,000; `make fuzz` runs more), `FUZZ_SEED=n` others.

#![cfg(all(not(target_arch = "wasm32"), feature = "python-re"))]

mod common;

use airflow_trigger::__test::{py_cased, py_lower, py_name_lookup, py_table_names, pyregex_is_match};
use serde_json::{json, Value};

use common::Rng;

/// Characters chosen for the edges: ASCII, a newline, non-ASCII digits (Arabic-Indic, Devanagari,
/// fullwidth), letters Python's `\w` takes and ECMAScript's does not (é, ß, Greek, Cyrillic,
/// CJK, a combining mark, a letter number), `_EXTRA_CASES` letters (ı, ſ, K Kelvin, µ, ς), an
/// astral letter pair (Deseret), spaces (NBSP, U+2028, U+0085, U+001C).
const ALPHABET: &[&str] = &[
    "a",
    "b",
    "A",
    "B",
    "z",
    "Z",
    "0",
    "1",
    "9",
    "_",
    "-",
    " ",
    "\n",
    "\t",
    ".",
    "é",
    "É",
    "ß",
    "ẞ",
    "σ",
    "ς",
    "Σ",
    "ı",
    "İ",
    "i",
    "I",
    "ſ",
    "s",
    "S",
    "K",
    "k",
    "\u{212a}",
    "µ",
    "μ",
    "\u{0663}",
    "\u{096a}",
    "\u{ff13}",
    "²",
    "Ⅻ",
    "ⅻ",
    "\u{0301}",
    "中",
    "\u{10400}",
    "\u{10428}",
    "\u{a0}",
    "\u{2028}",
    "\u{85}",
    "\u{1c}",
    "ǅ",
    "ǆ",
    "Ǆ",
];

fn literal(r: &mut Rng) -> String {
    let s = r.pick(ALPHABET);
    match s {
        "." => "\\.".into(),
        "\n" if r.chance(50) => "\\n".into(),
        _ => s.into(),
    }
}

fn class(r: &mut Rng) -> String {
    let mut s = String::from("[");
    if r.chance(25) {
        s.push('^');
    }
    if r.chance(5) {
        s.push(']');
    }
    for _ in 0..1 + r.below(3) {
        match r.below(8) {
            0 => s += r.pick(&["\\d", "\\w", "\\s", "\\D", "\\W", "\\S"]),
            1 => {
                s += r.pick(&[
                    "a-z",
                    "A-Z",
                    "0-9",
                    "α-ω",
                    "Α-Ω",
                    "\\x41-\\x5a",
                    "\\u0400-\\u04ff",
                    "\\U00010400-\\U0001044f",
                    "z-a",
                    "\\d-z",
                ])
            }
            2 => {
                s += r.pick(&["\\b", "\\n", "\\-", "\\]", "\\\\", "\\101", "\\0", "-", "\\A", "\\p", "\\N{DIGIT ONE}"])
            }
            _ => s += &literal(r),
        }
    }
    if r.chance(97) {
        s.push(']');
    }
    s
}

fn atom(r: &mut Rng, depth: usize) -> String {
    match r.below(if depth > 2 { 6 } else { 14 }) {
        0..=2 => literal(r),
        3 => class(r),
        4 => r.pick(&["\\d", "\\w", "\\s", "\\D", "\\W", "\\S", ".", "\\b", "\\B", "^", "$", "\\A", "\\Z"]).into(),
        5 if r.chance(80) => r
            .pick(&["\\x41", "\\u00e9", "\\U0001F600", "\\101", "\\0", "\\07", "{", "}", "{}", "\\$", "\\^", "\\\\"])
            .into(),
        5 => r
            .pick(&["\\400", "\\q", "\\", "\\p{L}", "{,}", "\\N{LATIN SMALL LETTER A}", "\\8", "\\N{NO SUCH NAME}"])
            .into(),
        6 => format!("({})", seq(r, depth + 1)),
        7 => format!("(?:{})", seq(r, depth + 1)),
        8 if r.chance(15) => {
            // Names on the edges of str.isidentifier (XID_Start/XID_Continue of Unicode 14).
            let name = r.pick(&[
                "a\u{301}",
                "\u{2118}",
                "a\u{b7}",
                "a\u{203f}",
                "a\u{b2}",
                "a\u{24d0}",
                "_",
                "1a",
                "\u{aa}",
                "é",
                "a-b",
                "Ⅻ",
                "a\u{200c}",
            ]);
            format!("(?P<{name}{}>{})", r.below(1000), seq(r, depth + 1))
        }
        8 => {
            let range = if r.chance(10) { 3 } else { 1000 };
            let n = r.below(range);
            format!("(?P<g{n}>{})", seq(r, depth + 1))
        }
        9 if r.chance(30) => r.pick(&["\\1", "\\2", "(?P=g0)", "(?P=g1)", "\\10"]).into(),
        9 => {
            let n = r.below(1_000_000);
            format!("(?P<r{n}>{}){}(?P=r{n})", seq(r, depth + 1), quantifier(r))
        }
        10 => {
            let kind = if r.chance(95) { r.pick(&["?=", "?!", "?<=", "?<!", "?>"]) } else { "?<" };
            format!("({kind}{})", seq(r, depth + 1))
        }
        11 => {
            let flags = if r.chance(90) {
                r.pick(&["i", "-i", "s", "m", "x", "a", "u", "i-s", "ia"])
            } else {
                r.pick(&["L", "t", "au", "-a", "i-i"])
            };
            format!("(?{flags}:{})", seq(r, depth + 1))
        }
        12 if r.chance(25) => {
            format!("(?({}){}|{})", r.pick(&["1", "g0", "2", "0", "x y"]), seq(r, depth + 1), seq(r, depth + 1))
        }
        12 => {
            let n = r.below(1_000_000);
            format!("(?P<c{n}>{})?(?(c{n}){}|{})", seq(r, depth + 1), seq(r, depth + 1), seq(r, depth + 1))
        }
        _ => format!("({}|{})", seq(r, depth + 1), seq(r, depth + 1)),
    }
}

fn quantifier(r: &mut Rng) -> String {
    let q = if r.chance(95) {
        r.pick(&["*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}", "{0}", "{1,2"])
    } else {
        r.pick(&["{3,1}", "**", "{99999999999}"])
    };
    let suffix = r.pick(&["", "", "", "?", "+"]);
    format!("{q}{suffix}")
}

fn seq(r: &mut Rng, depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..r.below(4) + usize::from(depth == 0) {
        s += &atom(r, depth);
        let assertion = s.ends_with(['^', '$'])
            || s.ends_with("\\b")
            || s.ends_with("\\B")
            || s.ends_with("\\A")
            || s.ends_with("\\Z");
        if r.chance(if assertion { 3 } else { 30 }) {
            s += &quantifier(r);
        }
        if r.chance(5) {
            s += r.pick(&["|", " ", "#c\n"]);
        }
    }
    s
}

fn pattern(r: &mut Rng) -> String {
    let mut p = String::new();
    if r.chance(30) {
        p += &format!("(?{})", r.pick(&["i", "m", "s", "x", "a", "u", "im", "ix", "ai", "i", "ims", "L", "t", "-i"]));
    }
    p += &seq(r, 0);
    if r.chance(3) {
        p += &format!("(?{})", r.pick(&["i", "s"]));
    }
    if r.chance(3) {
        p += r.pick(&[")", "(", "["]);
    }
    p
}

fn text(r: &mut Rng) -> String {
    let mut t = String::new();
    for _ in 0..r.below(9) {
        t += r.pick(ALPHABET);
    }
    if r.chance(20) {
        t.push('\n');
    }
    t
}

#[test]
fn python_re_agrees() {
    let cases = std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3000u64);
    let mut r = Rng::from_env(0x9e37_79b9_7f4a_7c15, 0x2545_f491_4f6c_dd1d);
    let mut batch = Vec::new();
    for _ in 0..cases {
        let p = pattern(&mut r);
        let texts: Vec<String> = (0..6).map(|_| text(&mut r)).collect();
        batch.push((p, texts));
    }
    let input = Value::Array(batch.iter().map(|(p, t)| json!([p, t])).collect());
    let answers = common::python("pyre.py", &input);
    let (mut compiled, mut refused, mut matches, mut stopped, mut slow) = (0, 0, 0, 0, 0);
    let mut bad = Vec::new();
    for ((p, texts), answer) in batch.iter().zip(answers.as_array().expect("a list")) {
        match answer {
            Value::Null => {
                refused += 1;
                if std::env::var_os("PYRE_SHOW").is_some() {
                    println!("refused {p:?}: {:?}", pyregex_is_match(p, "", 1_000_000).err());
                }
                if let Ok(None) | Ok(Some(_)) = pyregex_is_match(p, "", 1_000_000) {
                    bad.push(format!("{p:?}: Python refuses it, we compile it"));
                }
            }
            Value::Array(found) => {
                compiled += 1;
                for (t, want) in texts.iter().zip(found) {
                    match pyregex_is_match(p, t, 10_000_000) {
                        Err(e) => {
                            bad.push(format!("{p:?}: Python compiles it, we refuse it ({e})"));
                            break;
                        }
                        Ok(None) if want.is_null() => slow += 1,
                        Ok(None) => {
                            stopped += 1;
                            bad.push(format!("{p:?} on {t:?}: Python {want}, our budget ran out"));
                        }
                        Ok(Some(_)) if want.is_null() => slow += 1,
                        Ok(Some(got)) => {
                            matches += 1;
                            if Some(got) != want.as_bool() {
                                bad.push(format!("{p:?} on {t:?}: Python {want}, we {got}"));
                            }
                        }
                    }
                }
            }
            other => panic!("unexpected answer {other}"),
        }
    }
    println!(
        "FUZZ diff_pyregex: {cases} patterns ({compiled} compile, {refused} refused by Python), {matches} searches, {stopped} stopped by our budget where Python answered, {} divergences",
        bad.len()
    );
    println!("  Python took more than a second on {slow} searches (not compared)");
    for b in bad.iter().take(40) {
        println!("  NEW {b}");
    }
    assert!(bad.is_empty(), "{} divergences from Python's re", bad.len());
}

/// `_sre.unicode_tolower` and `_sre.unicode_iscased` (which needs the uppercase table too) on
/// every code point equal ours (the other tables are checked through `\d \w \s` and
/// case-insensitive patterns above).
#[test]
fn python_tables_agree() {
    let answer = common::python("pytables.py", &json!(null));
    let (lower, cased) = (answer["lower"].as_array().expect("lower"), answer["cased"].as_array().expect("cased"));
    assert_eq!(lower.len(), 0x110000);
    let bad_lower = (0..0x110000u32).filter(|&c| lower[c as usize].as_u64() != Some(py_lower(c) as u64)).count();
    let bad_cased = (0..0x110000u32).filter(|&c| cased[c as usize].as_bool() != Some(py_cased(c))).count();
    assert_eq!(
        (bad_lower, bad_cased),
        (0, 0),
        "code points where the lowercase table or casedness differ from Python's"
    );
}

/// `\N{name}` against Python's `re` on every name Python knows (Hangul and CJK computed ones
/// included), every name and alias of our table, every entry of a Unicode 14 name list where
/// the machine has one (Perl's `unicore/Name.pl`: aliases, Unicode 1 names, named sequences),
/// and a seeded variant of each (case, spaces, hyphens, hex digits, a letter dropped).
#[test]
fn python_names_agree() {
    let all = common::python("pynames.py", &json!(null));
    let mut names: Vec<String> =
        all.as_array().expect("names").iter().map(|p| p[0].as_str().expect("name").into()).collect();
    let python_names = names.len();
    names.extend(py_table_names().into_iter().map(|(n, _)| n));
    let perl = std::fs::read_dir("/usr/share/perl").ok().and_then(|dirs| {
        dirs.flatten()
            .map(|d| d.path().join("unicore/Name.pl"))
            .find(|p| p.exists())
            .and_then(|p| std::fs::read_to_string(p).ok())
    });
    match &perl {
        Some(text) => {
            names.extend(text.split("\n\n").filter_map(|b| b.split_once('\n')).map(|(_, n)| n.trim_end().to_string()))
        }
        None => println!("  no Perl unicore/Name.pl here: aliases only from our own table"),
    }
    let mut r = Rng::from_env(0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b);
    let variants: Vec<String> = names
        .iter()
        .map(|n| match r.below(8) {
            7 => n.rsplit_once('-').map_or_else(|| n.to_lowercase(), |(a, b)| format!("{a}-{}", b.to_lowercase())),
            0 => n.to_lowercase(),
            1 => n.split(' ').map(|w| w[..1].to_string() + &w[1..].to_lowercase()).collect::<Vec<_>>().join(" "),
            2 => n.replacen(' ', "-", 1),
            3 => n.replacen('-', " ", 1),
            4 => n.replacen(' ', "  ", 1),
            5 => n[..n.len() - 1].to_string(),
            _ => n.to_ascii_lowercase().replacen("hangul", "HANGUL", 1).replacen("cjk unified", "CJK UNIFIED", 1),
        })
        .collect();
    names.extend(variants);
    names.extend(
        [
            "",
            " ",
            "LATIN SMALL LETTER A ",
            "HANGUL SYLLABLE ",
            "CJK UNIFIED IDEOGRAPH-",
            "CJK UNIFIED IDEOGRAPH-2A6E0",
            "NO SUCH NAME",
        ]
        .map(String::from),
    );
    names.retain(|n| !n.is_empty() && !n.contains(['}', '\\']));
    names.sort();
    names.dedup();
    let want = common::python("pynames.py", &json!(names));
    let want = want.as_array().expect("verdicts");
    let mut bad = Vec::new();
    let mut known = 0;
    for (i, (name, want)) in names.iter().zip(want).enumerate() {
        let got = py_name_lookup(name);
        known += usize::from(got.is_some());
        if got.map(u64::from) != want.as_u64() {
            bad.push(format!("{name:?}: Python {want}, we {got:?}"));
        } else if let (Some(c), true) = (got, i % 97 == 0) {
            // Through the parser and matcher as a pattern uses it.
            let text = char::from_u32(c).map(String::from).unwrap_or_default();
            let pattern = format!("\\A\\N{{{name}}}\\Z");
            if pyregex_is_match(&pattern, &text, 1_000) != Ok(Some(true)) {
                bad.push(format!("{pattern:?} does not match U+{c:04X}"));
            }
        }
    }
    println!("FUZZ diff_pyregex names: {} candidates ({python_names} Python names), {known} named a character, {} divergences", names.len(), bad.len());
    for b in bad.iter().take(40) {
        println!("  NEW {b}");
    }
    assert!(bad.is_empty(), "{} divergences from Python's \\N{{name}}", bad.len());
}
