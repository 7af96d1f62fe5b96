//! Differential test: the Airflow modes' `urljoin` (src/schema/pyurl.rs, how `referencing` joins
//! `$id`s and `$ref`s) against Python 3.11's own, on URIs built from the parts where it differs
//! from RFC 3986: dot segments in absolute URIs, empty segments, `;params`, schemes outside
//! `uses_relative`/`uses_netloc`, upper-case schemes, brackets, queries and fragments, relative
//! bases. Every divergence fails. `FUZZ_CASES=n` pairs (default 20,000), `FUZZ_SEED=n` others.

#![cfg(all(not(target_arch = "wasm32"), feature = "python-re"))]

mod common;

use airflow_trigger::__test::py_urljoin;
use serde_json::json;

const SCHEMES: &[&str] =
    &["", "", "", "http:", "HTTP:", "https:", "urn:", "tag:", "file:", "svn+ssh:", "telnet:", "mailto:", "x1:", "1x:"];
const AUTHS: &[&str] = &[
    "",
    "",
    "//x",
    "//x:80",
    "//",
    "//[::1]",
    "//[x",
    "//u@h",
    "//[v1.a]",
    "//[1.2.3.4]",
    "//a\u{ff03}b",
    "//\u{2100}",
    "//é",
    "//a\u{ff0f}",
];
const SEGMENTS: &[&str] = &["a", "b", "", ".", "..", "c;p", "d;", "%2e", "...", "a:b", " "];
const TAILS: &[&str] = &["", "", "?q", "?", "#f", "#", "?q#f", "#/a/b", "##", "\t", "\n#x"];

fn uri(rng: &mut common::Rng) -> String {
    let mut s = String::new();
    if rng.chance(10) {
        s.push(' ');
    }
    s.push_str(rng.pick(SCHEMES));
    s.push_str(rng.pick(AUTHS));
    let absolute = rng.chance(50);
    for i in 0..rng.below(5) {
        if i > 0 || absolute {
            s.push('/');
        }
        s.push_str(rng.pick(SEGMENTS));
    }
    if rng.chance(20) {
        s.push('/');
    }
    s.push_str(rng.pick(TAILS));
    s
}

#[test]
fn urljoin_as_python() {
    let n = common::cases(20_000) as usize;
    let mut rng = common::Rng::from_env(0x75726c6a, 31);
    let pairs: Vec<(String, String)> = (0..n).map(|_| (uri(&mut rng), uri(&mut rng))).collect();
    let answer = common::python("pyurl.py", &json!(pairs));
    let answer = answer.as_array().expect("a list");
    let mut diverged = 0;
    for ((base, url), want) in pairs.iter().zip(answer) {
        let ours = py_urljoin(base, url);
        if ours.as_deref() != want.as_str() {
            diverged += 1;
            if diverged <= 20 {
                println!("urljoin({base:?}, {url:?}): Python {want}, ours {ours:?}");
            }
        }
    }
    println!("urljoin: {n} pairs, {diverged} divergences");
    assert_eq!(diverged, 0);
}
