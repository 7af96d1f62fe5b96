//! The Rust API attacked as a hostile caller would: values nested far deeper than any stack,
//! budgets that stop a validation inside `oneOf`/`anyOf`/`not`, patterns that hang backtracking
//! engines, and inputs that made costs explode.

use airflow_trigger::json::{Map, Value};
use airflow_trigger::{
    json, params_to_schema, ApiVersion, ConfValidator, ErrorCode, Formats, ParamsOptions, ParamsValidator,
    TriggerOptions, ValidatorOptions, MAX_DEPTH_LIMIT,
};

/// `[[[...1...]]]` (arrays) or `{"a":{"a":...}}` (objects), built without recursion.
fn deep(depth: usize, objects: bool) -> Value {
    let mut v = json!(1);
    for _ in 0..depth {
        v = if objects {
            let mut m = Map::new();
            m.insert("a".into(), v);
            Value::Object(m)
        } else {
            Value::Array(vec![v])
        };
    }
    v
}

#[test]
fn values_nested_100_000_deep_never_overflow_the_stack() {
    for objects in [false, true] {
        let value = deep(100_000, objects);
        let text = value.to_string();
        let copy = value.clone();
        assert!(copy == value, "cloned and compared without recursion");
        assert!(format!("{copy:?}").len() == text.len(), "Debug is the JSON text");
        drop(copy);
        assert_eq!(text.len(), if objects { 100_000 * 6 + 1 } else { 200_001 });
        assert!(
            airflow_trigger::json::deeper_than(&value, 128) && !airflow_trigger::json::deeper_than(&value, 100_000)
        );

        let mut conf = Map::new();
        conf.insert("x".into(), value);
        let conf = Value::Object(conf);

        let params = ParamsValidator::new(&json!({"x": {"value": 1, "schema": {}}}), ParamsOptions::default()).unwrap();
        let r = params.validate(&conf);
        assert!(!r.valid);
        assert_eq!(r.errors[0].keyword, "maxDepth");

        let mut opts = TriggerOptions::new("http://127.0.0.1:8080", ApiVersion::V2, "etl");
        opts.conf = Some(conf.clone());
        let e = opts.build().unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidArgument, Some("conf")));

        let v = ConfValidator::new(&json!({"type": "object"}), ValidatorOptions::default()).unwrap();
        let r = v.validate(&conf);
        assert!(r.valid, "type alone does not descend");
        let v = ConfValidator::new(&json!({"$ref": "#/$defs/any", "$defs": {"any": {"items": {"$ref": "#/$defs/any"}, "additionalProperties": {"$ref": "#/$defs/any"}}}}), ValidatorOptions::default()).unwrap();
        let r = v.validate(&conf);
        assert!(!r.valid && r.stopped(), "{:?}", r.errors.last());

        assert!(ConfValidator::new(&conf, ValidatorOptions::default()).is_err());
        assert!(ParamsValidator::new(&conf, ParamsOptions::default()).is_err());
        assert!(params_to_schema(&conf).is_err());
        drop(conf);
    }
}

#[test]
fn an_exponential_schema_ends_in_max_steps() {
    // Two branches at every level, 40 levels: 2^40 evaluations without a budget.
    let v = ConfValidator::new(
        &json!({"$defs": {"n": {"anyOf": [
            {"type": "array", "items": {"$ref": "#/$defs/n"}},
            {"type": "array", "items": {"$ref": "#/$defs/n"}, "minItems": 0}
        ]}}, "$ref": "#/$defs/n"}),
        ValidatorOptions::default(),
    )
    .unwrap();
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = Value::Array(vec![deep]);
    }
    let r = v.validate(&deep);
    assert!(!r.valid && r.stopped(), "{:?}", r.errors.last());
    assert_eq!(r.errors.last().unwrap().keyword, "maxSteps");
}

#[test]
fn max_depth_is_capped() {
    let opts = |max_depth| ValidatorOptions { max_depth, ..Default::default() };
    assert!(ConfValidator::new(&json!({"$ref": "#"}), opts(MAX_DEPTH_LIMIT)).is_ok());
    let e = ConfValidator::new(&json!({"$ref": "#"}), opts(MAX_DEPTH_LIMIT + 1)).err().unwrap();
    assert!(e.to_string().contains("maxDepth"), "{e}");
    // At the cap, every recursive path fits the 2 MB stack of a test thread in a debug build.
    let instance = {
        let mut m = Map::new();
        m.insert("a".into(), deep(1000, true));
        m.insert("b".into(), deep(1000, false));
        Value::Object(m)
    };
    for schema in [
        json!({"anyOf": [{"not": {"$ref": "#"}}]}),
        json!({"oneOf": [{"if": {"$ref": "#"}}]}),
        json!({"allOf": [{"dependentSchemas": {"a": {"$ref": "#"}}}]}),
        json!({"properties": {"a": {"$ref": "#"}}, "items": {"$ref": "#"}, "additionalProperties": {"$ref": "#"}}),
        json!({"patternProperties": {"^": {"$ref": "#"}}, "prefixItems": [{"$ref": "#"}], "unevaluatedProperties": false}),
        json!({"propertyNames": {"$ref": "#/$defs/s"}, "$defs": {"s": {"allOf": [{"$ref": "#/$defs/s"}]}}}),
        json!({"additionalProperties": {"$ref": "#"}, "contains": {"$ref": "#"}, "unevaluatedItems": {"$ref": "#"}}),
        json!({"$dynamicAnchor": "n", "anyOf": [{"$dynamicRef": "#n"}]}),
    ] {
        let v = ConfValidator::new(&schema, opts(MAX_DEPTH_LIMIT)).unwrap();
        let r = v.validate(&instance);
        assert!(r.stopped(), "{schema}: {:?}", r.errors.last());
    }
}

#[test]
fn a_budget_stop_is_never_valid_and_never_invalid_without_errors() {
    let distinct = Value::Array((0..5000).map(|i| json!(i)).collect());
    let schemas = [
        json!({"oneOf": [{"type": "array"}, {"type": "array", "uniqueItems": true}]}),
        json!({"anyOf": [{"type": "array", "uniqueItems": true}, {"type": "string"}], "unevaluatedItems": false}),
        json!({"anyOf": [{"type": "string"}, {"type": "array", "uniqueItems": true}]}),
        json!({"not": {"type": "array", "uniqueItems": true}}),
        json!({"if": {"uniqueItems": true}, "then": true, "else": false}),
    ];
    for schema in schemas {
        for all_errors in [true, false] {
            let v = ConfValidator::new(&schema, ValidatorOptions { max_steps: 1000, all_errors, ..Default::default() })
                .unwrap();
            let r = v.validate(&distinct);
            assert!(!r.valid, "{schema}");
            assert!(r.stopped(), "{schema}: {:?}", r.errors);
        }
    }
}

#[test]
fn a_params_budget_stop_is_the_last_error() {
    let params = ParamsValidator::new(
        &json!({
            "a": {"value": [], "schema": {"uniqueItems": true, "items": {"$ref": "#"}}},
            "b": {"value": 0, "schema": {"type": "string"}},
        }),
        ParamsOptions::default(),
    )
    .unwrap();
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = Value::Array(vec![deep]);
    }
    let r = params.validate(&json!({"a": [deep], "b": 1}));
    assert!(!r.valid);
    assert_eq!(r.errors.last().unwrap().keyword, "maxDepth", "{:?}", r.errors);
}

#[test]
fn enum_and_const_pay_for_what_they_compare() {
    // 2,000 values of 1,000 members each, compared with an object that differs in its last member.
    let member = |last: i64| {
        let mut m = Map::new();
        for k in 0..1000 {
            m.insert(format!("k{k}"), json!(if k == 999 { last } else { 7 }));
        }
        Value::Object(m)
    };
    let values: Vec<Value> = (0..2000).map(member).collect();
    let v = ConfValidator::new(&json!({"enum": values}), ValidatorOptions { max_steps: 100_000, ..Default::default() })
        .unwrap();
    let r = v.validate(&member(-1));
    assert!(!r.valid && r.stopped(), "{:?}", r.errors.last());
}

#[test]
fn patterns_that_hang_backtracking_engines_finish() {
    // ECMA-262 patterns (formats "all"/"none") run on the Pike VM: linear, a verdict every time.
    let v = |p: &str| {
        ConfValidator::new(&json!({"pattern": p}), ValidatorOptions { formats: Formats::All, ..Default::default() })
    };
    for (pattern, s) in [
        ("^(a|a)*$", format!("{}!", "a".repeat(40))),
        ("^(\\d|\\d\\d)*$", format!("{}x", "1".repeat(5000))),
        ("^\\d*\\d*\\d*\\d*\\d*x$", "1".repeat(400)),
        ("(?=a*b)", "a".repeat(20_000)),
    ] {
        let r = v(pattern).unwrap().validate(&Value::String(s));
        assert!(!r.valid, "{pattern}");
        assert_eq!(r.errors[0].keyword, "pattern");
    }
    for refused in ["^(a+)+\\1$", "(?<=a)b"] {
        assert!(v(refused).is_err(), "{refused}");
    }
    #[cfg(feature = "python-re")]
    python_patterns_stop();
}

#[cfg(feature = "python-re")]
fn python_patterns_stop() {
    // The Airflow modes backtrack as Python's `re` does (Airflow would hang on these): the budget
    // stops them, and a stopped validation is never valid.
    let py = |p: &str| {
        ConfValidator::new(&json!({"pattern": p}), ValidatorOptions { max_steps: 200_000, ..Default::default() })
    };
    for (pattern, s) in [
        ("^(a|a)*$", format!("{}!", "a".repeat(40))),
        ("^(\\d|\\d\\d)*$", format!("{}x", "1".repeat(5000))),
        ("^(a+)+\\1$", format!("{}!", "a".repeat(40))),
    ] {
        let r = py(pattern).unwrap().validate(&Value::String(s));
        assert!(!r.valid && r.stopped(), "{pattern}: {:?}", r.errors);
    }
}

/// The bytes of text a result's errors hold (paths, keyword, message, params).
fn error_bytes(r: &airflow_trigger::ValidationResult) -> usize {
    let bytes = |e: &airflow_trigger::ValidationError| {
        e.instance_path.len() + e.schema_path.len() + e.keyword.len() + e.message.len() + e.params.to_string().len()
    };
    r.errors.iter().map(bytes).sum()
}

#[test]
fn error_reports_are_bounded() {
    let values: Vec<Value> = (0..500).map(|i| Value::String(format!("value-{i}"))).collect();
    let v = ConfValidator::new(&json!({"items": {"enum": values}}), ValidatorOptions::default()).unwrap();
    let conf = Value::Array((0..2000).map(|_| json!("nope")).collect());
    let r = v.validate(&conf);
    assert_eq!(r.errors.len(), 101);
    assert_eq!(r.errors[100].keyword, "maxErrors");
    let size = error_bytes(&r);
    assert!(size < 200_000, "{size} bytes of errors");

    // 100 errors naming 10 KB keys: cut by size, not only by count.
    let mut keys = Map::new();
    for i in 0..100 {
        keys.insert(format!("{i}{}", "k".repeat(10_000)), json!(1));
    }
    let v =
        ConfValidator::new(&json!({"additionalProperties": {"type": "string"}}), ValidatorOptions::default()).unwrap();
    let r = v.validate(&Value::Object(keys));
    let size = error_bytes(&r);
    assert!(size < 300 << 10, "{size} bytes of errors");
    assert_eq!(r.errors.last().unwrap().keyword, "maxErrors");
    assert!(r.errors.len() < 40, "{} errors", r.errors.len());

    let params = ParamsValidator::new(
        &json!({"a": {"value": 0, "schema": {"type": "string"}}, "b": {"value": 0, "schema": {"items": {"type": "string"}}}}),
        ParamsOptions { max_errors: 3, ..Default::default() },
    )
    .unwrap();
    let r = params.validate(&json!({"b": [1, 2, 3, 4, 5]}));
    assert_eq!(r.errors.iter().map(|e| e.keyword.as_str()).collect::<Vec<_>>(), ["type", "type", "type", "maxErrors"]);
}

#[test]
fn unique_items_and_compile_scale() {
    // 3,000 objects of 101 keys (~3 MB of JSON): pairwise comparison took 35 s for less.
    let objects: Vec<Value> = (0..3000)
        .map(|i| {
            let mut m = Map::new();
            for k in 0..101 {
                m.insert(format!("k{k}"), json!(if k == 100 { i } else { k }));
            }
            Value::Object(m)
        })
        .collect();
    let v = ConfValidator::new(&json!({"uniqueItems": true}), ValidatorOptions::default()).unwrap();
    assert!(v.validate(&Value::Array(objects)).valid);

    let mut properties = Map::new();
    for i in 0..20_000 {
        properties.insert(format!("p{i}"), json!({"type": "integer"}));
    }
    let v = ConfValidator::new(&json!({"properties": Value::Object(properties)}), ValidatorOptions::default()).unwrap();
    assert!(!v.validate(&json!({"p19999": "x"})).valid);
}

/// Dynamic references among resources with relative ids: each lookup hands each possible winner
/// another base URI, which this crate compiles ahead (Python, lazily). 400 of them would need
/// 160,000 recompiled subschemas: a clear error, not minutes of compiling (a loop over every
/// base URI made it take 226 s at 400 before); 100 still compile.
#[cfg(feature = "python-re")]
#[test]
fn dynamic_winners_under_relative_ids_are_bounded() {
    let schema = |n: usize| {
        let mut defs = Map::new();
        for i in 0..n {
            defs.insert(
                format!("d{i}"),
                json!({"$id": format!("r{i}/"), "$dynamicAnchor": "m", "properties": {"a": {"$dynamicRef": "#m"}, "b": {"type": "string"}}}),
            );
        }
        json!({"$id": "http://localhost/root", "$ref": "r0/", "$defs": Value::Object(defs)})
    };
    let opts = || ValidatorOptions { formats: Formats::Airflow3, ..Default::default() };
    let v = ConfValidator::new(&schema(100), opts()).expect("100 compile");
    assert!(v.validate(&json!({"a": {"b": "x"}})).valid);
    assert!(!v.validate(&json!({"a": {"b": 1}})).valid);
    let e = ConfValidator::new(&schema(400), opts()).err().expect("400 refused").to_string();
    assert!(e.contains("compiled again for other base URIs"), "{e}");
}
