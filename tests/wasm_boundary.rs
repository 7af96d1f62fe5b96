//! The JS boundary under Node (wasm-bindgen-test): JSON in, JSON out, and errors crossing as
//! JS `Error`s named "AirflowError" with a `code`, `status`, `detail` and `field`.
#![cfg(all(target_arch = "wasm32", feature = "js"))]

use airflow_trigger::json;
use airflow_trigger::json::Value;
use airflow_trigger::wasm::client::ClientHandle;
use airflow_trigger::wasm::exports::{json_op, ValidatorHandle};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

// The validators cross as one class: these name its two kinds.
struct ConfValidatorHandle;

impl ConfValidatorHandle {
    #[allow(clippy::new_ret_no_self)]
    fn new(schema: &str, options: &str) -> Result<ValidatorHandle, JsValue> {
        ValidatorHandle::new(false, schema, options, None)
    }
}

struct ParamsValidatorHandle(ValidatorHandle);

impl ParamsValidatorHandle {
    fn new(params: &str, options: &str) -> Result<ParamsValidatorHandle, JsValue> {
        ValidatorHandle::new(true, params, options, None).map(ParamsValidatorHandle)
    }

    fn validate(&self, conf: &[u8]) -> Result<String, JsValue> {
        self.0.validate(conf).map(|r| r.expect("Params always answer"))
    }
}

// The free functions cross as one export (json_op); these name its kinds.
fn build_trigger_request(options: &str) -> Result<String, JsValue> {
    json_op(0, options, "", "", 0, false)
}

fn to_curl(request: &str, reveal: bool) -> Result<String, JsValue> {
    json_op(1, request, "", "", 0, reveal)
}

fn parse_trigger_response(version: &str, status: u16, content_type: &str, body: &str) -> Result<String, JsValue> {
    json_op(2, version, content_type, body, status, false)
}

fn params_to_schema(params: &str) -> Result<String, JsValue> {
    json_op(3, params, "", "", 0, false)
}

/// A field of an error from the exports: they throw an `Error` named "AirflowError" whose
/// message is the fields as JSON (js/api.js makes the AirflowError from it).
fn get(v: &JsValue, key: &str) -> JsValue {
    let e: &js_sys::Error = v.dyn_ref().expect("an Error instance");
    assert_eq!(String::from(e.name()), "AirflowError");
    let fields = js_sys::JSON::parse(&String::from(e.message())).expect("the fields as JSON");
    Reflect::get(&fields, &key.into()).unwrap()
}

#[track_caller]
fn assert_airflow_error(err: &JsValue, code: &str, message_part: &str) {
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code));
    let message = get(err, "message").as_string().unwrap();
    assert!(message.contains(message_part), "{message:?} lacks {message_part:?}");
}

#[wasm_bindgen_test]
fn builds_a_request() {
    let options = json!({"baseUrl": "http://h/airflow/", "apiVersion": "v2", "dagId": "etl", "dagRunId": "r1",
        "conf": {"n": 5, "x": 1.5, "list": [true, null]}, "auth": {"type": "bearer", "token": "tok"}});
    let out = build_trigger_request(&options.to_string()).unwrap();
    let req: Value = airflow_trigger::json::Value::parse(&out).unwrap();
    assert_eq!(req["url"], "http://h/airflow/api/v2/dags/etl/dagRuns");
    assert_eq!(req["headers"]["Authorization"], "Bearer tok");
    assert_eq!(req["sensitiveHeaders"], json!(["Authorization"]));
    assert_eq!(req["body"], r#"{"dag_run_id":"r1","conf":{"n":5,"x":1.5,"list":[true,null]},"logical_date":null}"#);
    let curl = to_curl(&out, false).unwrap();
    assert!(curl.contains("'Authorization: Bearer ***'") && !curl.contains("tok'"), "{curl}");
    assert!(to_curl(&out, true).unwrap().contains("'Authorization: Bearer tok'"));
}

#[wasm_bindgen_test]
fn bad_options_become_airflow_errors_with_their_field() {
    let cases = [
        (r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a/b"}"#, "dagId", r#"character "/""#),
        (r#"{"baseUrl":"http://h","apiVersion":"v3","dagId":"a"}"#, "apiVersion", "must be"),
        (r#"{"baseUrl":"http://h","apiVersion":"v1"}"#, "dagId", "is required"),
        (r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","conf":[1]}"#, "conf", "must be a JSON object"),
        (r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","dagID":"b"}"#, "dagID", "did you mean \"dagId\"?"),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","auth":{"type":"magic"}}"#,
            "auth.type",
            "is not an auth type",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v2","dagId":"a","auth":{"type":"basic","username":"u","password":"p"}}"#,
            "auth",
            "Airflow 3",
        ),
        (r#"{"baseUrl":"http://u:p@h","apiVersion":"v1","dagId":"a"}"#, "baseUrl", "user name or password"),
        ("{not json", "options", "is not valid JSON"),
    ];
    for (options, field, part) in cases {
        let err = build_trigger_request(options).err().unwrap_or_else(|| panic!("accepted: {options}"));
        assert_airflow_error(&err, "INVALID_ARGUMENT", part);
        assert_eq!(get(&err, "field").as_string().as_deref(), Some(field), "{options}");
        assert!(get(&err, "status").is_undefined());
    }
}

#[wasm_bindgen_test]
fn answers_become_runs_or_errors_with_status_and_detail() {
    let body = r#"{"detail":{"reason":"Unique constraint violation","message":"m"}}"#;
    let err = parse_trigger_response("v2", 409, "application/json", body).unwrap_err();
    assert_airflow_error(&err, "CONFLICT", "already exists");
    assert_eq!(get(&err, "status").as_f64(), Some(409.0));
    assert_eq!(get(&err, "detail").as_string().unwrap(), "Unique constraint violation: m");

    let body =
        r#"{"dag_id":"d","dag_run_id":"r","state":"queued","conf":{"a":1},"logical_date":"2024-01-01T00:00:00+00:00"}"#;
    let run: Value =
        airflow_trigger::json::Value::parse(&parse_trigger_response("v1", 200, "application/json", body).unwrap())
            .unwrap();
    assert_eq!(run["dagRunId"], "r");
    assert_eq!(run["logicalDate"], "2024-01-01T00:00:00+00:00");
    assert_eq!(run["note"], Value::Null);
    assert_eq!(run["raw"]["dag_id"], "d");

    let err = parse_trigger_response("v2", 200, "text/html", "<html>").unwrap_err();
    assert_airflow_error(&err, "SERVER", "not JSON");
    let err = parse_trigger_response("v7", 200, "", "").unwrap_err();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "apiVersion");
}

#[wasm_bindgen_test]
fn client_calls_cross_the_boundary() {
    let mut client = ClientHandle::new(r#"{"baseUrl":"http://127.0.0.1:9","apiVersion":"v2","retries":0}"#).unwrap();
    let some = |s: &str| Some(s.to_string());
    let mut call = client.call("trigger", some("a"), some(r#"{"validate":false}"#), None, None).unwrap();
    let first: Value = airflow_trigger::json::Value::parse(&call.next(&mut client, 0, 0, "", "").unwrap()).unwrap();
    assert_eq!(first["send"]["request"]["method"], "GET");
    assert_eq!(first["send"]["timeoutMs"], 30000);
    let err = call.next(&mut client, 2, 0, "", "Failed to fetch").unwrap_err();
    assert_airflow_error(&err, "NETWORK", "CORS refusal looks exactly like this");

    let mut call = client.call("getRun", some("a"), some("r"), None, None).unwrap();
    call.next(&mut client, 0, 0, "", "").unwrap();
    let done: Value = airflow_trigger::json::Value::parse(
        &call
            .next(&mut client, 1, 200, "application/json", r#"{"dag_id":"a","dag_run_id":"r","state":"queued"}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(done["done"]["dagRunId"], "r");

    let err = client.call("trigger", some("a/b"), some("{}"), None, None).err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "dagId");
    let err = ClientHandle::new(r#"{"baseUrl":"ftp://x"}"#).err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "baseUrl");
    // A typo in the client's auth type lists every type the client takes, and never echoes
    // the value (a token pasted there).
    let err = ClientHandle::new(r#"{"baseUrl":"http://h","auth":{"type":"Bearer eyJhbGciOi.x.y"}}"#).err().unwrap();
    assert_airflow_error(
        &err,
        "INVALID_ARGUMENT",
        r#"auth.type: is not an auth type; use "none", "basic", "bearer" or "headers" (AirflowClient also takes "password" and "session")"#,
    );
    assert!(!get(&err, "message").as_string().unwrap().contains("eyJ"));
    let err = ClientHandle::new(r#"{"baseUrl":"http://h/api/v2"}"#).err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "baseUrl: ends with /api/v2");
}

#[wasm_bindgen_test]
fn validations_reuse_their_memory_and_leave_the_rest_alone() {
    // Large and small validations in turn, with results and validators made between them: every
    // one must stay intact (a bump region reset after each validation once broke this).
    let v = ConfValidatorHandle::new(r##"{"items":{"type":"object","required":["n"]}}"##, "{}").unwrap();
    let p = ParamsValidatorHandle::new(r##"{"s":{"value":"x","schema":{"type":"string"}}}"##, "{}").unwrap();
    let mut kept = Vec::new();
    // (At most ~3.3 MB of JSON: the conf limit is 4 MiB.)
    for size in [1, 50_000, 3, 100_000, 10, 90_000] {
        let items: Vec<String> = (0..size).map(|i| format!("{{\"n\":{i},\"name\":\"item {i}\"}}")).collect();
        let mut doc = format!("[{}]", items.join(","));
        assert_eq!(v.validate(doc.as_bytes()).unwrap(), None, "{size} items");
        doc.insert_str(1, "{},");
        let r: Value = Value::parse(&v.validate(doc.as_bytes()).unwrap().unwrap()).unwrap();
        assert_eq!(r["errors"][0]["instancePath"], "/0", "{size} items");
        let conf = format!("{{\"big\":{doc}}}");
        let r: Value = Value::parse(&p.validate(conf.as_bytes()).unwrap()).unwrap();
        assert_eq!(r["conf"]["s"], "x");
        assert_eq!(r["conf"]["big"].as_array().map(Vec::len), Some(size + 1));
        kept.push((ConfValidatorHandle::new(&format!(r##"{{"maxItems":3,"title":"{size}"}}"##), "{}").unwrap(), r));
    }
    for (i, (v, r)) in kept.iter().enumerate() {
        assert_eq!(r["conf"]["big"][1]["name"], "item 0", "result {i}");
        assert!(v.validate(b"[1,2,3,4]").unwrap().is_some(), "validator {i}");
        assert_eq!(v.validate(b"[1,2,3]").unwrap(), None, "validator {i}");
    }
}

#[wasm_bindgen_test]
fn validators_cross_the_boundary() {
    // ECMA-262 patterns (formats "all"; the Airflow modes use Python's `re` with python-re).
    let v = ConfValidatorHandle::new(r##"{"properties":{"id":{"pattern":"^\\p{Lu}\\d+$"}}}"##, r#"{"formats":"all"}"#)
        .unwrap();
    // Valid: nothing comes back (JS answers { valid: true, errors: [] } itself).
    assert_eq!(v.validate(r##"{"id":"É42"}"##.as_bytes()).unwrap(), None, "the host RegExp knows the Lu property");
    let r: Value =
        airflow_trigger::json::Value::parse(&v.validate(r##"{"id":"e42"}"##.as_bytes()).unwrap().unwrap()).unwrap();
    assert_eq!(r["errors"][0]["instancePath"], "/id");
    assert_eq!(r["errors"][0]["schemaPath"], "#/properties/id/pattern");

    // A pathological pattern runs on the linear-time engine: this returns at once.
    let v = ConfValidatorHandle::new(r##"{"pattern":"^(a+)+$"}"##, r#"{"formats":"all"}"#).unwrap();
    let long = format!("\"{}!\"", "a".repeat(10_000));
    assert!(v.validate(long.as_bytes()).unwrap().unwrap().contains("\"valid\":false"));

    // Values cross as UTF-8 bytes: anything else is an error, not a trap.
    assert_airflow_error(&v.validate(b"\"\xff\"").err().unwrap(), "INVALID_ARGUMENT", "instance: is not valid UTF-8");

    // (In the Airflow modes with Python's `re`, such a `$ref` stops only the validations that
    // reach it, as python-jsonschema raises only there.)
    let err = ConfValidatorHandle::new(r##"{"$ref":"other.json"}"##, r#"{"formats":"all"}"#).err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "register that document in the `resources` option");
    let err = ConfValidatorHandle::new(r##"{"pattern":"("}"##, "{}").err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "invalid regular expression");
    let err = ConfValidatorHandle::new("{}", r##"{"formats":"strict"}"##).err().unwrap();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "options.formats");

    // Limits produce errors, not traps.
    let v = ConfValidatorHandle::new(
        r##"{"$defs":{"a":{"items":{"$ref":"#/$defs/a"}}},"$ref":"#/$defs/a"}"##,
        r##"{"maxDepth":50}"##,
    )
    .unwrap();
    let deep = format!("{}{}", "[".repeat(120), "]".repeat(120));
    let r: Value = airflow_trigger::json::Value::parse(&v.validate(deep.as_bytes()).unwrap().unwrap()).unwrap();
    assert_eq!(r["valid"], false);
    assert_eq!(r["errors"][0]["keyword"], "maxDepth");
    let v = ConfValidatorHandle::new(r##"{"$ref":"#"}"##, "{}").unwrap();
    let r: Value = airflow_trigger::json::Value::parse(&v.validate(b"1").unwrap().unwrap()).unwrap();
    assert_eq!(r["errors"][0]["keyword"], "maxDepth", "a $ref loop stops");

    let p = ParamsValidatorHandle::new(
        r##"{"n":{"value":1,"schema":{"type":"integer"}}}"##,
        r##"{"unknownKeys":"error"}"##,
    )
    .unwrap();
    let r: Value = airflow_trigger::json::Value::parse(&p.validate(br##"{"x":1}"##).unwrap()).unwrap();
    assert_eq!(r["conf"], json!({"n": 1, "x": 1}));
    assert_eq!(r["errors"][0]["instancePath"], "/x");
    let schema: Value = airflow_trigger::json::Value::parse(
        &params_to_schema(r##"{"n":{"value":null,"schema":{"type":"integer"}}}"##).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["required"], json!(["n"]));
}

/// The crate's allocator (src/wasm/alloc.rs): alignment, reuse, and realloc keeping the data.
#[wasm_bindgen_test]
fn the_heap_keeps_data_and_alignment() {
    use std::alloc::{alloc, dealloc, realloc, Layout};
    let mut blocks = Vec::new();
    for (i, (size, align)) in [(1, 1), (15, 8), (16, 16), (17, 4), (100, 64), (4096, 4096), (70_000, 8), (3, 128)]
        .into_iter()
        .cycle()
        .take(200)
        .enumerate()
    {
        let layout = Layout::from_size_align(size, align).unwrap();
        let p = unsafe { alloc(layout) };
        assert!(!p.is_null() && (p as usize) % align == 0, "{size} bytes aligned {align}: {p:?}");
        unsafe { p.write_bytes(i as u8, size) };
        blocks.push((p, layout, i as u8));
    }
    // Every block still holds its own bytes: no two overlap.
    for &(p, layout, fill) in &blocks {
        assert!(unsafe { std::slice::from_raw_parts(p, layout.size()) }.iter().all(|b| *b == fill));
    }
    // Grow and shrink in place or by moving, keeping the prefix.
    let (p, layout, fill) = blocks.pop().unwrap();
    let grown = unsafe { realloc(p, layout, 100_000) };
    assert!(unsafe { std::slice::from_raw_parts(grown, layout.size()) }.iter().all(|b| *b == fill));
    let grown_layout = Layout::from_size_align(100_000, layout.align()).unwrap();
    let shrunk = unsafe { realloc(grown, grown_layout, 2) };
    assert_eq!(unsafe { *shrunk.add(1) }, fill);
    unsafe { dealloc(shrunk, Layout::from_size_align(2, layout.align()).unwrap()) };
    // Freed blocks are reused: the heap does not grow under a steady load.
    for (p, layout, _) in blocks.drain(..) {
        unsafe { dealloc(p, layout) };
    }
    let pages = core::arch::wasm32::memory_size(0);
    for _ in 0..1000 {
        let v: Vec<u8> = vec![7; 50_000];
        let s = format!("{}", v.len());
        drop((v, s));
    }
    assert_eq!(core::arch::wasm32::memory_size(0), pages);
}

/// Floats in wasm are read by the host's `parseFloat`: the same `f64` as core's parser for every
/// JSON number text (long decimals, halfway cases, exponents, subnormals, past the largest).
#[wasm_bindgen_test]
fn floats_read_in_wasm_equal_cores_parser() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut texts: Vec<String> = [
        "602607.937896902964",
        "9007199254740993",
        "9007199254740993.0",
        "2.2250738585072011e-308",
        "4.9e-324",
        "1e-400",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e400",
        "-0.0",
        "0.1",
        "123456789012345678901234567890e-10",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..20_000 {
        let digits = 1 + next() % 25;
        let mut t: String = (0..digits).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
        t = t.trim_start_matches('0').to_string();
        if t.is_empty() {
            t.push('0');
        }
        if next() % 2 == 0 && t.len() > 1 {
            let at = 1 + (next() as usize) % (t.len() - 1);
            t.insert(at, '.');
        }
        if next() % 3 == 0 {
            t.push_str(&format!("e{}", (next() % 700) as i64 - 350));
        }
        if next() % 2 == 0 {
            t.insert(0, '-');
        }
        texts.push(t);
    }
    for t in texts {
        let ours = json::Number::parse(&t).unwrap_or_else(|| panic!("{t} is JSON")).as_f64();
        let core: f64 = t.parse().unwrap();
        // `-0` written as an integer is the integer 0 (as Python reads it); "-0.0" stays -0.0.
        let integer_zero = ours == 0.0 && core == 0.0 && !t.contains(['.', 'e', 'E']);
        assert!(ours.to_bits() == core.to_bits() || integer_zero, "{t}: {ours:e} against core's {core:e}");
    }
}
