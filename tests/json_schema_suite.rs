//! The official JSON-Schema-Test-Suite (draft2020-12 and draft7), natively.
//!
//! Read from `../shared/json-schema-test-suite` or `$JSON_SCHEMA_TEST_SUITE`; never copied
//! into the repository. A missing suite is a visible skip, except in CI (`CI=true`) where it
//! fails. Remotes are registered as resources at `http://localhost:1234/`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use airflow_trigger::json::Value;
use airflow_trigger::{ConfValidator, Formats, ValidatorOptions};

fn suite_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("JSON_SCHEMA_TEST_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/json-schema-test-suite"));
    if dir.join("tests").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the JSON-Schema-Test-Suite is missing at {} (set JSON_SCHEMA_TEST_SUITE)", dir.display());
    }
    eprintln!("SKIPPED: the JSON-Schema-Test-Suite is not at {}", dir.display());
    None
}

fn remotes(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let root = dir.join("remotes");
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                let value = airflow_trigger::json::Value::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
                out.push((format!("http://localhost:1234/{rel}"), value));
            }
        }
    }
    out
}

struct Outcome {
    passed: usize,
    failed: Vec<String>,
}

fn run(dir: &Path, files: &[PathBuf], formats: Formats, excluded: &[(&str, &str)], draft7: bool) -> Outcome {
    let resources = remotes(dir);
    let mut out = Outcome { passed: 0, failed: Vec::new() };
    for file in files {
        let groups: Value = airflow_trigger::json::Value::parse(&std::fs::read_to_string(file).unwrap()).unwrap();
        let fname = file.file_name().unwrap().to_string_lossy().to_string();
        for group in groups.as_array().unwrap() {
            let gdesc = group["description"].as_str().unwrap();
            let options = ValidatorOptions { formats, resources: resources.clone(), ..Default::default() };
            // The draft7 folder's schemas mostly leave `$schema` out; they are draft 7 all the same.
            let mut schema = group["schema"].clone();
            if let (true, Some(obj)) = (draft7, schema.as_object_mut()) {
                obj.get_or_insert_with("$schema", || "http://json-schema.org/draft-07/schema#".into());
            }
            let validator = ConfValidator::new(&schema, options);
            for test in group["tests"].as_array().unwrap() {
                let name = format!("{fname}: {gdesc}: {}", test["description"].as_str().unwrap());
                if excluded.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let want = test["valid"].as_bool().unwrap();
                match &validator {
                    Ok(v) => {
                        let got = v.validate(&test["data"]);
                        if got.valid == want && got.valid == got.errors.is_empty() {
                            out.passed += 1;
                        } else {
                            out.failed.push(format!(
                                "{name} (data {}, expected valid={want}, errors={:?})",
                                test["data"],
                                got.errors.first().map(|e| &e.message)
                            ));
                        }
                    }
                    Err(e) => out.failed.push(format!("{name} (compile error: {e})")),
                }
            }
        }
    }
    out
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[track_caller]
fn report(label: &str, outcome: Outcome, excluded: &[(&str, &str)]) {
    println!("{label}: {} passed, {} failed", outcome.passed, outcome.failed.len());
    for (name, why) in excluded {
        println!("  excluded: {name} -- {why}");
    }
    for f in &outcome.failed {
        println!("  FAILED: {f}");
    }
    assert!(outcome.failed.is_empty(), "{label}: {} failed", outcome.failed.len());
}

/// Required tests left out, each with its reason.
const EXCLUDED: &[(&str, &str)] = &[];

#[test]
fn draft2020_12_required() {
    let Some(dir) = suite_dir() else { return };
    let outcome = run(&dir, &json_files(&dir.join("tests/draft2020-12")), Formats::None, EXCLUDED, false);
    report("draft2020-12", outcome, EXCLUDED);
}

#[test]
fn draft7_required() {
    let Some(dir) = suite_dir() else { return };
    let outcome = run(&dir, &json_files(&dir.join("tests/draft7")), Formats::None, EXCLUDED, true);
    report("draft7", outcome, EXCLUDED);
}

#[test]
fn optional_formats_with_all() {
    let Some(dir) = suite_dir() else { return };
    for draft in ["draft2020-12", "draft7"] {
        let files: Vec<PathBuf> = json_files(&dir.join(format!("tests/{draft}/optional/format")))
            .into_iter()
            .filter(|f| {
                let name = f.file_stem().unwrap().to_string_lossy().to_string();
                Formats::All.asserts(&name) || name == "unknown"
            })
            .collect();
        let outcome = run(&dir, &files, Formats::All, EXCLUDED, draft == "draft7");
        report(&format!("{draft} optional/format (formats: all)"), outcome, EXCLUDED);
    }
}
