//! Differential test: the crate's JSON Schema validator (`ConfValidator`, draft 2020-12,
//! `Formats::None` so `format` is an annotation, exact `multipleOf`) against the `jsonschema`
//! crate (draft 2020-12, formats not validated), on generated schema/instance pairs over the
//! keywords both implement: type, enum, const, multipleOf, minimum/maximum and their exclusive
//! forms, minLength/maxLength, pattern (simple patterns), items/prefixItems, contains with
//! minContains/maxContains, minItems/maxItems, uniqueItems, properties, patternProperties,
//! additionalProperties, required, minProperties/maxProperties, propertyNames,
//! dependentRequired, allOf/anyOf/oneOf/not, if/then/else, and boolean schemas. Only the
//! valid/invalid verdict is compared (and that ours gives the same verdict with `all_errors` on
//! and off).
//!
//! Known differences (counted and printed each run; any other divergence fails the test with a
//! shrunk example):
//! - `duplicate names`: a `required`, `type` or `dependentRequired` array that names something
//!   twice. The metaschema says these arrays are unique, and jsonschema checks schemas against
//!   it, so it refuses the schema; ours compiles it (a name listed twice changes no verdict). The
//!   instances are still compared, with jsonschema given the schema with the duplicates removed.
//! - `jsonschema rounds big integers`: with a fractional `multipleOf`, jsonschema divides an
//!   integer instance past 2^53 as its nearest `f64` (18446744073709551615 becomes 2^64, not a
//!   multiple of 1.5); ours divides the exact decimal value (it is a multiple). Explained when
//!   ours, given the instance with such integers rounded to `f64`, answers as jsonschema does.
//! - `jsonschema divides in floats`: `multipleOf` on a number of 2^53 or more written as a float
//!   (`1e300`): jsonschema's `f64` quotient has no fraction left, so it says multiple; ours
//!   divides the exact decimal values (10^300 is not a multiple of 3). Explained when the schema
//!   has `multipleOf` and the instance such a number.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use airflow_trigger::json::Value;
use airflow_trigger::{ConfValidator, Formats, ValidatorOptions};
use common::Verdict;
use proptest::prelude::*;
use serde_json::{json, Value as Serde};

fn number() -> impl Strategy<Value = Serde> {
    prop::sample::select(vec![
        json!(0),
        json!(1),
        json!(-1),
        json!(2),
        json!(3),
        json!(10),
        json!(1.5),
        json!(2.0),
        json!(-0.5),
        json!(0.1),
        json!(0.3),
        json!(0.30000000000000004),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(-9223372036854775808i64),
    ])
}

fn string() -> impl Strategy<Value = Serde> {
    prop::sample::select(vec!["", "a", "b", "ab", "abc", "ba", "é", "aé", "1", "a1", "😀", "A"]).prop_map(Serde::from)
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "c", "ab"]).prop_map(String::from)
}

fn instance() -> impl Strategy<Value = Serde> {
    let leaf = prop_oneof![
        prop::sample::select(vec![Serde::Null, json!(true), json!(false)]),
        number(),
        number(),
        string(),
        string(),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Serde::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|members| Serde::Object(members.into_iter().collect())),
        ]
    })
}

fn type_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["null", "boolean", "object", "array", "number", "string", "integer"])
}

fn pattern() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["^a", "b$", "^[a-c]+$", "a|b", "^.{2}$", "^$", "\\d", "^\\w+$", "é", "^a*b?$", "[^a]"])
}

fn small() -> impl Strategy<Value = u64> {
    0u64..4
}

/// One keyword of a schema, its subschemas from `sub`.
fn keyword(sub: BoxedStrategy<Serde>) -> impl Strategy<Value = Vec<(String, Serde)>> {
    let one = |k: &'static str, v: BoxedStrategy<Serde>| v.prop_map(move |v| vec![(k.to_string(), v)]).boxed();
    let bound = || number().boxed();
    let count = || small().prop_map(Serde::from).boxed();
    let subs = || prop::collection::vec(sub.clone(), 1..4).prop_map(Serde::Array).boxed();
    prop_oneof![
        one(
            "type",
            prop_oneof![
                type_name().prop_map(Serde::from),
                prop::collection::vec(type_name(), 1..3).prop_map(|t| json!(t)),
            ]
            .boxed()
        ),
        one("enum", prop::collection::vec(instance(), 1..4).prop_map(Serde::Array).boxed()),
        one("const", instance().boxed()),
        one(
            "multipleOf",
            prop::sample::select(vec![json!(1), json!(2), json!(3), json!(0.5), json!(0.1), json!(0.25), json!(1.5)])
                .boxed()
        ),
        one("minimum", bound()),
        one("maximum", bound()),
        one("exclusiveMinimum", bound()),
        one("exclusiveMaximum", bound()),
        one("minLength", count()),
        one("maxLength", count()),
        one("pattern", pattern().prop_map(Serde::from).boxed()),
        one("minItems", count()),
        one("maxItems", count()),
        one("uniqueItems", any::<bool>().prop_map(Serde::from).boxed()),
        one("items", sub.clone()),
        one("prefixItems", subs()),
        (sub.clone(), prop::option::of(small()), prop::option::of(small()))
            .prop_map(|(s, min, max)| {
                let mut kw = vec![("contains".to_string(), s)];
                kw.extend(min.map(|n| ("minContains".to_string(), json!(n))));
                kw.extend(max.map(|n| ("maxContains".to_string(), json!(n))));
                kw
            })
            .boxed(),
        one("minProperties", count()),
        one("maxProperties", count()),
        one("required", prop::collection::vec(key(), 0..3).prop_map(|k| json!(k)).boxed()),
        one(
            "properties",
            prop::collection::vec((key(), sub.clone()), 0..3)
                .prop_map(|m| Serde::Object(m.into_iter().collect()))
                .boxed()
        ),
        one(
            "patternProperties",
            prop::collection::vec((pattern().prop_map(String::from), sub.clone()), 1..3)
                .prop_map(|m| Serde::Object(m.into_iter().collect()))
                .boxed()
        ),
        one("additionalProperties", sub.clone()),
        one("propertyNames", sub.clone()),
        one(
            "dependentRequired",
            prop::collection::vec((key(), prop::collection::vec(key(), 0..3)), 1..3)
                .prop_map(|m| Serde::Object(m.into_iter().map(|(k, v)| (k, json!(v))).collect()))
                .boxed()
        ),
        one("allOf", subs()),
        one("anyOf", subs()),
        one("oneOf", subs()),
        one("not", sub.clone()),
        (sub.clone(), prop::option::of(sub.clone()), prop::option::of(sub))
            .prop_map(|(i, t, e)| {
                let mut kw = vec![("if".to_string(), i)];
                kw.extend(t.map(|t| ("then".to_string(), t)));
                kw.extend(e.map(|e| ("else".to_string(), e)));
                kw
            })
            .boxed(),
    ]
}

fn schema() -> impl Strategy<Value = Serde> {
    let leaf = prop_oneof![
        1 => any::<bool>().prop_map(Serde::from),
        1 => Just(json!({})),
        6 => keyword(Just(json!({})).boxed()).prop_map(|kw| Serde::Object(kw.into_iter().collect())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop::collection::vec(keyword(inner.boxed()), 1..4)
            .prop_map(|kws| Serde::Object(kws.into_iter().flatten().collect()))
    })
}

fn case() -> impl Strategy<Value = (Serde, Vec<Serde>)> {
    (schema(), prop::collection::vec(instance(), 6))
}

fn ours(v: &Serde) -> Value {
    Value::parse(&v.to_string()).expect("serde_json writes JSON that ours reads")
}

/// `schema` with the repeated names of `required`, `type` and `dependentRequired` arrays removed
/// (values under `enum` and `const` are data, left as they are).
fn without_duplicate_names(schema: &Serde) -> Serde {
    fn dedup(v: &Serde) -> Serde {
        match v {
            Serde::Array(items) => {
                let mut out: Vec<Serde> = Vec::new();
                for item in items {
                    if !out.contains(item) {
                        out.push(item.clone());
                    }
                }
                Serde::Array(out)
            }
            v => v.clone(),
        }
    }
    match schema {
        Serde::Object(members) => Serde::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "enum" | "const" => v.clone(),
                        "required" | "type" => dedup(v),
                        "dependentRequired" => match v {
                            Serde::Object(deps) => {
                                Serde::Object(deps.iter().map(|(k, v)| (k.clone(), dedup(v))).collect())
                            }
                            v => v.clone(),
                        },
                        _ => without_duplicate_names(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Serde::Array(items) => Serde::Array(items.iter().map(without_duplicate_names).collect()),
        v => v.clone(),
    }
}

/// `v` with the integers past 2^53 as their nearest `f64`.
fn round_big_integers(v: &Serde) -> Serde {
    match v {
        Serde::Number(n) if n.is_u64() || n.is_i64() => match n.as_f64() {
            Some(f) if f.abs() > (1u64 << 53) as f64 => json!(f),
            _ => v.clone(),
        },
        Serde::Array(items) => Serde::Array(items.iter().map(round_big_integers).collect()),
        Serde::Object(m) => Serde::Object(m.iter().map(|(k, v)| (k.clone(), round_big_integers(v))).collect()),
        v => v.clone(),
    }
}

fn jsonschema_validator(schema: &Serde) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(schema)
        .map_err(|e| e.to_string())
}

fn compare(schema: &Serde, instances: &[Serde]) -> Verdict {
    let options = |all_errors| ValidatorOptions { formats: Formats::None, all_errors, ..Default::default() };
    let ours_all = ConfValidator::new(&ours(schema), options(true));
    let ours_first = ConfValidator::new(&ours(schema), options(false));
    let mut known = None;
    let mut theirs = jsonschema_validator(schema);
    if ours_all.is_ok() && theirs.is_err() {
        // Explained when jsonschema compiles the schema without the duplicates.
        let deduped = without_duplicate_names(schema);
        if deduped != *schema && jsonschema_validator(&deduped).is_ok() {
            theirs = jsonschema_validator(&deduped);
            known = Some("duplicate names");
        }
    }
    let (ours_all, ours_first, theirs) = match (ours_all, ours_first, theirs) {
        (Err(_), Err(_), Err(_)) => return Verdict::Same,
        (Ok(a), Ok(f), Ok(t)) => (a, f, t),
        (a, _, t) => return Verdict::New(format!("compiles: ours {:?}, jsonschema {:?}", a.err(), t.err())),
    };
    for instance in instances {
        let o = ours(instance);
        let (all, first, theirs) =
            (ours_all.validate(&o).valid, ours_first.validate(&o).valid, theirs.is_valid(instance));
        if all != first {
            return Verdict::New(format!("on {instance}: ours {all} with all errors, {first} with the first"));
        }
        if all != theirs {
            let rounded = round_big_integers(instance);
            if rounded != *instance && ours_all.validate(&ours(&rounded)).valid == theirs {
                known = Some(known.map_or("jsonschema rounds big integers", |_| "duplicate names + rounded integers"));
                continue;
            }
            if schema.to_string().contains("multipleOf") && has_huge_number(instance) {
                known = Some(known.map_or("jsonschema divides in floats", |_| "duplicate names + floats"));
                continue;
            }
            return Verdict::New(format!("on {instance}: ours {all}, jsonschema {theirs}"));
        }
    }
    match known {
        Some(name) => Verdict::Known(name.into()),
        None => Verdict::Same,
    }
}

/// A number of 2^53 or more: past it, a quotient in `f64` has no fraction left to test.
fn has_huge_number(v: &Serde) -> bool {
    match v {
        Serde::Number(n) => n.as_f64().is_some_and(|f| f.abs() >= 9_007_199_254_740_992.0),
        Serde::Array(a) => a.iter().any(has_huge_number),
        Serde::Object(m) => m.values().any(has_huge_number),
        _ => false,
    }
}

#[test]
fn generated_schemas() {
    common::run("validator", common::cases(3_000), case(), |(s, i)| compare(s, i)).report();
}
