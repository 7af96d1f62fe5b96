//! Differential test: python-jsonschema's `uniqueItems` (its sort-then-neighbours path with its
//! blind spots for booleans and numbers, and its pairwise fallback) and Python's order of
//! numbers (integers of any size against floats, exactly), as src/schema/python.rs and
//! src/schema/json.rs implement them for the Airflow modes, against the Python of the Airflow
//! venvs (`PYTHON` overrides). Generated arrays lean toward mixed booleans, numbers (`1`, `1.0`,
//! `true`), nested arrays, objects, nulls and strings; numbers toward 2^53, 2^64, 10^20 and
//! beyond i128. Every divergence fails. `FUZZ_CASES=n` (default 20,000), `FUZZ_SEED=n`.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use airflow_trigger::__test::{compare_numbers, pendulum_datetime, python_unique};
use serde_json::{json, Value};

use common::Rng;

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "1.0",
    "-1",
    "0.0",
    "-0.0",
    "2",
    "2.0",
    "1e0",
    "10",
    "1e1",
    "0.5",
    "9007199254740992",
    "9007199254740993",
    "9007199254740992.0",
    "9.007199254740993e15",
    "18446744073709551616",
    "18446744073709551615",
    "1.8446744073709552e19",
    "100000000000000000000",
    "1e20",
    "100000000000000000001",
    "1000000000000000000000000000000",
    "1e30",
    "-1000000000000000000000000000000",
    "-1e30",
    "170141183460469231731687303715884105728",
    "1.7014118346046923e38",
    "-170141183460469231731687303715884105729",
    "1e308",
    "1.7976931348623157e308",
    "123456789012345678901234567890123456789012",
    "0.1",
    "0.30000000000000004",
    "3e-1",
    "1E2",
    "100",
];

fn value(r: &mut Rng, depth: usize) -> String {
    match r.below(if depth > 1 { 6 } else { 9 }) {
        0 | 1 => NUMBERS[r.below(12)].to_string(),
        2 => ["true", "false"][r.below(2)].to_string(),
        3 => "null".into(),
        4 => ["\"a\"", "\"b\"", "\"\"", "\"1\""][r.below(4)].to_string(),
        5 => NUMBERS[r.below(NUMBERS.len())].to_string(),
        6 | 7 => {
            let n = r.below(3);
            format!("[{}]", (0..n).map(|_| value(r, depth + 1)).collect::<Vec<_>>().join(","))
        }
        _ => format!("{{\"{}\":{}}}", ["a", "b"][r.below(2)], value(r, depth + 1)),
    }
}

/// Strings around pendulum's ISO 8601 forms: calendar, ordinal and week dates (basic and
/// extended), separators, times with and without colons, fractions, offsets, and broken pieces.
fn stamp(r: &mut Rng) -> String {
    let pick = |r: &mut Rng, xs: &[&str]| xs[r.below(xs.len())].to_string();
    let year = pick(r, &["2024", "2023", "2020", "2026", "0001", "9999", "0000", "2021", "1900", "2000", "2015"]);
    let date = match r.below(8) {
        0 => format!(
            "{year}-{}-{}",
            pick(r, &["01", "02", "12", "13", "00", "1"]),
            pick(r, &["01", "29", "30", "31", "00", "1", "28"])
        ),
        1 => format!("{year}{}{}", pick(r, &["01", "02", "12", "13"]), pick(r, &["01", "29", "30", "31", "00"])),
        2 => format!("{year}-{}", pick(r, &["001", "365", "366", "000", "367", "01", "12", "13", "1"])),
        3 => format!("{year}{}", pick(r, &["001", "365", "366", "000", "0101", "01"])),
        4 => format!(
            "{year}-W{}{}",
            pick(r, &["01", "52", "53", "00", "54", "1"]),
            pick(r, &["", "-1", "-7", "-0", "-8", "1", "-"])
        ),
        5 => format!("{year}W{}{}", pick(r, &["01", "52", "53", "00"]), pick(r, &["", "1", "7", "0", "8", "-1"])),
        6 => pick(r, &["", "P1D", "yesterday", "２０２４-01-01", "+2024-01-01"]),
        _ => format!("{year}-01-01"),
    };
    let sep = if r.below(10) < 8 { pick(r, &["T", " "]) } else { pick(r, &["t", "", "  ", "_"]) };
    let time = match r.below(7) {
        0 => String::new(),
        1 => pick(r, &["10", "23", "24", "00", "1", "99", "10", "12"]),
        2 => format!("{}:{}", pick(r, &["10", "23", "24"]), pick(r, &["00", "59", "60", "0", "5"])),
        3 => format!("{}{}", pick(r, &["10", "23"]), pick(r, &["00", "59", "60", "0000", "5959", "0060"])),
        4 => format!("10:00:{}", pick(r, &["00", "59", "60", "0", "00.5", "00,123", "00.", "00.1234567890123"])),
        5 => format!("1000{}", pick(r, &["00", "00.5", ".5", ":00", "0"])),
        _ => format!("10:{}", pick(r, &["0000", "00:00:00", "00.5"])),
    };
    let zone = pick(
        r,
        &[
            "", "", "Z", "z", "+02", "+0230", "+02:30", "-00:00", "+24:00", "+23:59", "+25", "+00:99", "+01:", "+2",
            "-", "Z+01", " ", "\n",
        ],
    );
    format!("{date}{sep}{time}{zone}").replace("\\n", "\n")
}

#[test]
fn python_uniq_and_number_order_agree() {
    let cases = common::cases(20_000) as usize;
    let mut r = Rng::from_env(0x2545_f491_4f6c_dd1d, 0x9e37_79b9_7f4a_7c15);
    let arrays: Vec<String> = (0..cases)
        .map(|_| {
            // Few distinct values, so duplicates are common.
            if r.below(8) == 0 {
                // Long arrays the sort path takes (only numbers, or only lists of numbers and
                // booleans): Python's sort runs merges beyond 64 items, with ties everywhere.
                let lists = r.below(2) == 0;
                let n = r.below(130);
                let items: Vec<String> = (0..n)
                    .map(|_| {
                        let x = ["1", "true", "1.0", "0", "false", "2", "0.0", "-0.0"]
                            [r.below(if lists { 8 } else { 3 }) + if lists { 0 } else { 3 }];
                        if lists {
                            format!("[{x}]")
                        } else {
                            x.to_string()
                        }
                    })
                    .collect();
                return format!("[{}]", items.join(","));
            }
            let n = if r.below(20) == 0 { r.below(90) } else { r.below(6) };
            format!("[{}]", (0..n).map(|_| value(&mut r, 0)).collect::<Vec<_>>().join(","))
        })
        .collect();
    let pairs: Vec<(String, String)> = (0..cases)
        .map(|_| (NUMBERS[r.below(NUMBERS.len())].to_string(), NUMBERS[r.below(NUMBERS.len())].to_string()))
        .collect();
    let mut bad = Vec::new();
    let stamps: Vec<String> = (0..cases).map(|_| stamp(&mut r)).collect();
    let answer = common::python("pyvalues.py", &json!({"uniq": arrays, "compare": pairs, "pendulum": stamps}));
    for (s, want) in stamps.iter().zip(answer["pendulum"].as_array().expect("pendulum")) {
        if Some(pendulum_datetime(s)) != want.as_bool() {
            bad.push(format!("pendulum({s:?}): Airflow 2 keeps it: {want}"));
        }
    }
    for (a, want) in arrays.iter().zip(answer["uniq"].as_array().expect("uniq")) {
        if Some(python_unique(a)) != want.as_bool() {
            bad.push(format!("uniq({a}): Python {want}"));
        }
    }
    for ((a, b), want) in pairs.iter().zip(answer["compare"].as_array().expect("compare")) {
        let got = compare_numbers(a, b);
        if Some(got as i64) != want.as_i64() {
            bad.push(format!("compare({a}, {b}): Python {want}, we {got}"));
        }
    }
    let kept = answer["pendulum"].as_array().expect("pendulum").iter().filter(|v| v.as_bool() == Some(true)).count();
    println!(
        "FUZZ diff_python: {cases} arrays, {cases} pairs of numbers, {cases} date-time strings ({kept} pendulum datetimes), {} divergences",
        bad.len()
    );
    for b in bad.iter().take(30) {
        println!("  NEW {b}");
    }
    assert!(bad.is_empty());
    let _: Value = answer;
}
