//! The harness of the differential tests (tests/diff_*.rs): deterministic generation with
//! proptest, every case compared, every divergence counted under the name of the known
//! difference that explains it, or as new (which fails the test, with shrunk examples).
//!
//! `FUZZ_CASES=n` raises the number of cases (each target has a bounded default that `cargo test`
//! runs in a few seconds); `FUZZ_SEED=n` picks another fixed seed; `FUZZ_TRACE=1` prints each
//! case before it runs. `make fuzz` runs long.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Debug;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// How many cases: `FUZZ_CASES`, else `default`.
pub fn cases(default: u64) -> u64 {
    std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// A runner with a fixed seed (`FUZZ_SEED`, else 0) mixed with the target's name: the same
/// cases on every run.
pub fn runner(target: &str) -> TestRunner {
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    for (i, b) in target.bytes().enumerate() {
        bytes[8 + i % 24] ^= b;
    }
    let config = Config { failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// The outcome of one case.
pub enum Verdict {
    /// Both sides agree.
    Same,
    /// They differ in ways listed by these names (known differences, counted and printed),
    /// joined by ` + `.
    Known(String),
    /// They differ otherwise: what each side said.
    New(String),
}

/// Runs `cases` cases of `strategy` through `check`, counts, prints and fails on new divergences
/// (each shown shrunk to a small case by proptest).
pub fn run<S>(target: &str, cases: u64, strategy: S, mut check: impl FnMut(&S::Value) -> Verdict) -> Tally
where
    S: Strategy,
    S::Value: Debug,
{
    let mut runner = runner(target);
    let mut tally = Tally { target: target.to_string(), ..Tally::default() };
    let trace = std::env::var_os("FUZZ_TRACE").is_some();
    for _ in 0..cases {
        let mut tree = strategy.new_tree(&mut runner).expect("generate a case");
        if trace {
            eprintln!("case {}: {:?}", tally.cases, tree.current());
        }
        tally.cases += 1;
        match check(&tree.current()) {
            Verdict::Same => {}
            Verdict::Known(name) => {
                let entry = tally.known.entry(name).or_insert((0, String::new()));
                entry.0 += 1;
                if entry.1.is_empty() {
                    entry.1 = format!("{:?}", tree.current());
                }
            }
            Verdict::New(what) => {
                tally.new += 1;
                if tally.examples.len() < 5 {
                    let (case, what) = shrink(&mut tree, &mut check).unwrap_or((format!("{:?}", tree.current()), what));
                    tally.examples.push(format!("{case}\n      {what}"));
                }
            }
        }
    }
    tally
}

/// The smallest failing case proptest's shrinking reaches from `tree` (bounded).
fn shrink<T: ValueTree>(tree: &mut T, check: &mut impl FnMut(&T::Value) -> Verdict) -> Option<(String, String)>
where
    T::Value: Debug,
{
    let mut last = None;
    if !tree.simplify() {
        return None;
    }
    for _ in 0..2000 {
        let fails = match check(&tree.current()) {
            Verdict::New(what) => {
                last = Some((format!("{:?}", tree.current()), what));
                true
            }
            _ => false,
        };
        let more = if fails { tree.simplify() } else { tree.complicate() };
        if !more {
            break;
        }
    }
    last
}

/// What one target found.
#[derive(Default)]
pub struct Tally {
    pub target: String,
    pub cases: u64,
    /// Known difference -> (count, first example).
    pub known: BTreeMap<String, (u64, String)>,
    pub new: u64,
    pub examples: Vec<String>,
}

impl Tally {
    pub fn divergences(&self) -> u64 {
        self.new + self.known.values().map(|(n, _)| n).sum::<u64>()
    }

    /// Prints the figures (one `FUZZ` line per target, which `make fuzz` collects), and panics
    /// on any new divergence.
    pub fn report(self) {
        // On a line of its own (the test harness may have written "test name ... " before it).
        println!(
            "\nFUZZ {}: {} cases, {} divergences ({} known, {} new)",
            self.target,
            self.cases,
            self.divergences(),
            self.divergences() - self.new,
            self.new
        );
        for (name, (n, example)) in &self.known {
            let example: String = example.chars().take(160).collect();
            println!("  known {name}: {n} (e.g. {example})");
        }
        if self.new > 0 {
            for e in &self.examples {
                println!("  NEW (shrunk): {e}");
            }
            panic!("{}: {} new divergences (see above)", self.target, self.new);
        }
    }
}

/// Runs `tests/agreement/<script>` with the Python of the Airflow 3.3.2 venv (3.11, the one
/// Airflow validates Params with; `PYTHON` overrides) on `input` as JSON, and reads its JSON.
pub fn python(script: &str, input: &serde_json::Value) -> serde_json::Value {
    python_of("3.3.2", script, input)
}

/// [`python`] with the venv of Airflow `version` (`PYTHON` does not override it).
pub fn python_of(version: &str, script: &str, input: &serde_json::Value) -> serde_json::Value {
    use std::process::{Command, Stdio};
    let python = std::env::var("PYTHON").ok().filter(|_| version == "3.3.2").unwrap_or_else(|| {
        let venv = format!("{}/.airflow/venv-{version}/bin/python", env!("CARGO_MANIFEST_DIR"));
        assert!(
            std::path::Path::new(&venv).exists(),
            "{venv} is missing: run `make airflow` (make test does) or set PYTHON to a Python 3.11"
        );
        venv
    });
    let child = Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agreement/").to_string() + script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python");
    let text = input.to_string();
    serde_json::from_slice(&run_text(child, text, script)).expect("python's JSON")
}

/// [`python_of`] on JSON text (kept as it is: integers beyond 64 bits stay integers), answering text.
pub fn python_text(version: &str, script: &str, input: String) -> Vec<u8> {
    use std::process::{Command, Stdio};
    let python = format!("{}/.airflow/venv-{version}/bin/python", env!("CARGO_MANIFEST_DIR"));
    assert!(std::path::Path::new(&python).exists(), "{python} is missing: run `make airflow` (make test does)");
    let child = Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agreement/").to_string() + script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run python");
    run_text(child, input, script)
}

fn run_text(mut child: std::process::Child, text: String, script: &str) -> Vec<u8> {
    use std::io::Write;
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("python output");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{script} failed");
    out.stdout
}

/// A small xorshift generator for the tests that batch their cases for Python (proptest's runner
/// asks for one case at a time): `salt ^ FUZZ_SEED * mul`, so each target has its own cases.
pub struct Rng(u64);

impl Rng {
    pub fn from_env(salt: u64, mul: u64) -> Rng {
        let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        Rng(salt ^ seed.wrapping_mul(mul) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}
