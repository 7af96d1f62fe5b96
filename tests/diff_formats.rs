//! Differential test: the `format` checkers of the Airflow modes (src/schema/format.rs,
//! `"airflow2"` and `"airflow3"`) against python-jsonschema's `FormatChecker()` in the real
//! Airflow 2.11.2 and 3.3.2 venvs (each venv's packages decide which formats are asserted:
//! rfc3339-validator gives 2.11.2 `date-time`, isoduration gives 3.3.2 `duration`). Strings are
//! generated around each checker's edges: `time` at 23:59:60 and 24:00:00, one-digit fields,
//! offsets, fractions; dates; durations with fractions, signs and weeks; emails; IPv4 with
//! leading zeros; IPv6 with embedded IPv4 and zone ids; UUIDs without hyphens or with braces;
//! IDN hostnames; Python regex syntax. Every divergence fails. `idn-hostname` is also compared on
//! every code point (in a label and alone) and on labels built from its edges: NFC, Hangul,
//! joiners after viramas and between Arabic letters, CONTEXTO neighbours, right-to-left labels,
//! A-labels, separators and lengths. `FUZZ_CASES=n` (default 20,000
//! strings), `FUZZ_SEED=n`.

#![cfg(all(not(target_arch = "wasm32"), feature = "python-re"))]

mod common;

use airflow_trigger::__test::format_check;
use serde_json::json;

use common::Rng;

const FORMATS: &[&str] =
    &["date", "date-time", "time", "duration", "email", "idn-email", "idn-hostname", "ipv4", "ipv6", "regex", "uuid"];

fn string(r: &mut Rng, format: &str) -> String {
    let pieces: &[&str] = match format {
        "date" => &[
            "2024-01-01",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "20240101",
            "2024-01-01T",
            "0000-01-01",
            "9999-12-31",
            "2024-01-32",
            "٢٠٢٤-01-01",
        ],
        "date-time" => &[
            "2024-01-01T10:00:00Z",
            "2024-01-01t10:00:00z",
            "2024-01-01 10:00:00Z",
            "2024-01-01T10:00:00",
            "2024-01-01T23:59:60Z",
            "1998-12-31T23:59:60Z",
            "2024-01-01T10:00:00.5+02:00",
            "2024-01-01T10:00:00+24:00",
            "2024-01-01T10:00:00-00:00",
            "2024-01-01T24:00:00Z",
            "2024-02-30T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2024-01-01T10:00:00+02:60",
            "2024-001T10:00:00Z",
        ],
        "time" => &[
            "10:00:00",
            "1:2:3",
            "23:59:59",
            "23:59:60",
            "23:59:61",
            "23:59:62",
            "24:00:00",
            "00:00:00",
            "10:00",
            "10:00:00Z",
            "10:00:00.5",
            "10:00:00+01:00",
            " 10:00:00",
            "10:00:00 ",
            "010:00:00",
            "10:60:00",
            "٢:00:00",
            "+1:00:00",
            "1 :00:00",
        ],
        "duration" => &[
            "P1D",
            "PT1H",
            "P1Y2M3DT4H5M6S",
            "P1W",
            "P1.5D",
            "-P1D",
            "P1Y2D",
            "P",
            "PT",
            "1 day",
            "P1M2W",
            "p1d",
            "",
            "P1,5D",
            "PT-1H",
            "P1DT",
            "P0001-02-03",
            "+P1D",
            "P1W2D",
            "PT1S1M",
            "P1DT1H1S",
            "P١D",
        ],
        "email" | "idn-email" => &["a@b.c", "x@", "@", "plain", "", "a@@b", "é@ü.de", " @ ", "a@b@c"],
        "idn-hostname" => &[
            "example.com",
            "xn--bcher-kva.example",
            "bücher.example",
            "-bad.com",
            "a..b",
            "",
            "例え.テスト",
            "a_b.com",
            "xn--",
            "ab--c.com",
            "a.b.",
            "ß.de",
            "\u{200d}.com",
            "l·l.cat",
            "٣.com",
        ],
        "ipv4" => &[
            "192.168.0.1",
            "0.0.0.0",
            "256.1.1.1",
            "1.2.3",
            "01.2.3.4",
            "1.2.3.4.5",
            "1.2.3.04",
            "١.2.3.4",
            "1.2.3.4 ",
            "127.0.0.1\n",
        ],
        "ipv6" => &[
            "::1",
            "fe80::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:192.168.0.1",
            "fe80::1%eth0",
            ":::1",
            "12345::",
            "1.2.3.4",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "::",
            "1::2::3",
            "::ffff:1.2.3.04",
            "١::",
        ],
        "regex" => &[
            "^a+$",
            "[a-z]{2,}",
            "x|y",
            "(",
            "[a-",
            "*a",
            "(?i)abc",
            "a{,3}",
            "\\p{L}",
            "(?<x>a)",
            "(?P<x>a)(?P=x)",
            "\\d+$",
            "a{3,1}",
            "(?<=ab)c",
            "(?<=a+)c",
            "\\N{DIGIT ONE}",
        ],
        _ => &[
            "2eb8aa08-aa98-11ea-b4aa-73b441d16380",
            "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
            "2eb8aa08aa9811eab4aa73b441d16380",
            "not-a-uuid",
            "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
            "urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380",
            "2eb8aa08-aa98-11ea-b4aa-73b4-41d16380",
            "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
        ],
    };
    if format == "idn-hostname" && r.next() % 3 == 0 {
        // One code point in a label, anywhere in Unicode (the idna package's tables decide).
        let c = char::from_u32(0x80 + (r.next() % 0x2ff80) as u32).unwrap_or('x');
        return format!("a{c}b.{}", r.pick(&["com", "de", "xn--bcher-kva"]));
    }
    let base = r.pick(pieces).to_string();
    // Sometimes a character changed, added or removed at a random place.
    match r.next() % 5 {
        0 => {
            let mut cs: Vec<char> = base.chars().collect();
            if !cs.is_empty() {
                let i = (r.next() % cs.len() as u64) as usize;
                cs[i] =
                    r.pick(&["0", "9", ":", "-", ".", "T", "Z", "+", " ", "a", "é", "٣"]).chars().next().unwrap_or('0');
            }
            cs.into_iter().collect()
        }
        1 => base + r.pick(&["0", ":", "Z", ".5", "a", "\n"]),
        _ => base,
    }
}

#[test]
fn airflow_format_checkers_agree() {
    let cases = common::cases(20_000) as usize;
    let mut r = Rng::from_env(0x51_7cc1_b727_220a, 0x9e37_79b9_7f4a_7c15);
    let items: Vec<(String, String)> = (0..cases)
        .map(|_| {
            let f = r.pick(FORMATS);
            (f.to_string(), string(&mut r, f))
        })
        .collect();
    let input = json!(items.iter().map(|(f, s)| json!([f, s])).collect::<Vec<_>>());
    let mut bad = Vec::new();
    for (version, mode) in [("2.11.2", "airflow2"), ("3.3.2", "airflow3")] {
        let answers = common::python_of(version, "pyformats.py", &input);
        for ((f, s), want) in items.iter().zip(answers.as_array().expect("answers")) {
            let got = format_check(mode, f, s);
            if Some(got) != want.as_bool() {
                bad.push(format!("Airflow {version}: format {f} on {s:?}: Python {want}, we {got}"));
            }
        }
    }
    println!("FUZZ diff_formats: {cases} strings on each of 2 venvs, {} divergences", bad.len());
    let limit = std::env::var("DIFF_SHOW").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    for b in bad.iter().take(limit) {
        println!("  NEW {b}");
    }
    assert!(bad.is_empty());
}

/// Pieces of labels at idna's edges (each a string; a label is 1 to 6 of them).
const IDNA_PIECES: &[&str] = &[
    "a",
    "b",
    "l",
    "x",
    "n",
    "-",
    "0",
    "A",
    "X",
    "\u{301}",
    "\u{323}",
    "\u{340}",
    "\u{344}",
    "\u{94d}",
    "\u{915}",
    "\u{200c}",
    "\u{200d}",
    "\u{1100}",
    "\u{1161}",
    "\u{11a8}",
    "가",
    "각",
    "é",
    "e\u{301}",
    "Å",
    "\u{212b}",
    "ª",
    "ǅ",
    "\u{628}",
    "\u{627}",
    "\u{660}",
    "\u{6f0}",
    "\u{640}",
    "\u{64b}",
    "\u{5d0}",
    "\u{5f3}",
    "\u{5b0}",
    "\u{375}",
    "α",
    "\u{30fb}",
    "ア",
    "あ",
    "中",
    "\u{b7}",
    "ß",
    "ς",
    "Ꭰ",
    "ꭰ",
    "\u{11f04}",
    "\u{1e4d0}",
    "١",
    "٣",
    "xn--",
    "XN--",
    "xn--bcher-kva",
    "xn--abc-",
    "xn---",
    "xn--ls8h",
    "xn--mnchen-3ya",
    "xn--MNCHEN-3YA",
    "xn--a-ecp",
];

#[test]
fn idn_hostname_agrees_on_every_code_point_and_edges() {
    let every = common::python("pyidna.py", &json!(null));
    let every = every.as_str().expect("verdicts").as_bytes();
    let mut bad = Vec::new();
    let code_points = (0..0x110000u32).filter_map(char::from_u32);
    for (i, c) in code_points.enumerate() {
        for (form, want) in [(format!("a{c}b"), every[2 * i]), (c.to_string(), every[2 * i + 1])] {
            if format_check("airflow3", "idn-hostname", &form) != (want == b'1') {
                bad.push(format!("{form:?} (U+{:04X}): Python {}", c as u32, want == b'1'));
            }
        }
    }
    let cases = common::cases(20_000) as usize;
    let mut r = Rng::from_env(0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1);
    // Half the labels from one script's pieces, which idna accepts more often (its accepting
    // paths: NFC, joiners, Bidi), half from all the edges at once.
    let scripts: [&[&str]; 7] = [
        &["\u{5d0}", "\u{5d1}", "\u{5b0}", "\u{5f3}", "1", "-"],
        &["\u{628}", "\u{627}", "\u{644}", "\u{64b}", "\u{200c}", "\u{660}", "\u{661}", "\u{6f1}"],
        &["\u{915}", "\u{94d}", "\u{200d}", "\u{200c}", "\u{930}", "\u{93f}"],
        &["a", "e", "l", "\u{301}", "\u{323}", "é", "\u{b7}", "\u{17000}", "\u{200c}"],
        &["\u{1100}", "\u{1161}", "\u{11a8}", "가", "각"],
        &["ア", "あ", "中", "\u{30fb}"],
        &["α", "β", "\u{375}", "\u{301}"],
    ];
    let label = |r: &mut Rng| match r.below(20) {
        0 => "a".repeat(62 + r.below(3)),
        1..=9 => {
            let pieces = scripts[r.below(scripts.len())];
            (0..1 + r.below(6)).map(|_| r.pick(pieces)).collect::<String>()
        }
        _ => (0..1 + r.below(6)).map(|_| r.pick(IDNA_PIECES)).collect::<String>(),
    };
    let domains: Vec<String> = (0..cases)
        .map(|_| {
            let mut s = label(&mut r);
            for _ in 0..r.below(3) {
                s += r.pick(&[".", "\u{3002}", "\u{ff0e}", "\u{ff61}"]);
                s += &label(&mut r);
            }
            match r.below(10) {
                0 => s + ".",
                1 => format!("{}.{s}", "abcdefghi.".repeat(24 + r.below(2))),
                2 => format!(".{s}"),
                _ => s,
            }
        })
        .collect();
    let want = common::python("pyidna.py", &json!(domains));
    for (s, want) in domains.iter().zip(want.as_array().expect("verdicts")) {
        if Some(format_check("airflow3", "idn-hostname", s)) != want.as_bool() {
            bad.push(format!("{s:?}: Python {want}"));
        }
    }
    let accepted = want.as_array().expect("verdicts").iter().filter(|v| v.as_bool() == Some(true)).count();
    println!(
        "FUZZ diff_formats idn-hostname: every code point in 2 labels, {cases} edge domains ({accepted} accepted by Python), {} divergences",
        bad.len()
    );
    for b in bad.iter().take(40) {
        println!("  NEW {b}");
    }
    assert!(bad.is_empty());
}
