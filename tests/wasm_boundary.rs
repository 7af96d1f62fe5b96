//! The JS boundary under Node (wasm-bindgen-test): options in, plain objects out, and errors
//! crossing as JS `Error`s named "AirflowError" with a `code`.
#![cfg(target_arch = "wasm32")]

use airflow_trigger::wasm::exports::{
    build_trigger_request, parse_trigger_response, to_curl, trigger_dag_run,
};
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

#[track_caller]
fn assert_airflow_error(err: &JsValue, code: &str, message_part: &str) {
    let e: &js_sys::Error = err.dyn_ref().expect("an Error instance");
    assert_eq!(String::from(e.name()), "AirflowError");
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code));
    let message = String::from(e.message());
    assert!(
        message.contains(message_part),
        "{message:?} lacks {message_part:?}"
    );
}

#[wasm_bindgen_test]
fn builds_a_plain_request_object() {
    let req = build_trigger_request(js(
        r#"{"baseUrl":"http://h/airflow/","apiVersion":"v2","dagId":"etl","dagRunId":"r1",
            "conf":{"n":5,"x":1.5,"list":[true,null]},"auth":{"type":"bearer","token":"tok"}}"#,
    ))
    .unwrap();
    assert_eq!(get(&req, "method").as_string().unwrap(), "POST");
    assert_eq!(
        get(&req, "url").as_string().unwrap(),
        "http://h/airflow/api/v2/dags/etl/dagRuns"
    );
    let headers = get(&req, "headers");
    assert!(
        !headers.is_instance_of::<js_sys::Map>(),
        "headers must be a plain object"
    );
    assert_eq!(
        get(&headers, "Authorization").as_string().unwrap(),
        "Bearer tok"
    );
    assert_eq!(
        get(&req, "body").as_string().unwrap(),
        r#"{"conf":{"list":[true,null],"n":5,"x":1.5},"dag_run_id":"r1","logical_date":null}"#
    );
    let curl = to_curl(req, None).unwrap();
    assert!(
        curl.contains("'Authorization: Bearer ***'") && !curl.contains("tok'"),
        "{curl}"
    );
}

#[wasm_bindgen_test]
fn bad_options_become_airflow_errors() {
    let cases = [
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a/b"}"#,
            "dagId: character '/'",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v3","dagId":"a"}"#,
            "apiVersion",
        ),
        (r#"{"baseUrl":"http://h","apiVersion":"v1"}"#, "dagId"),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","conf":[1]}"#,
            "conf: must be a JSON object",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","conf":null}"#,
            "conf: must be a JSON object",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","dagID":"b"}"#,
            "options.dagID: is not an option; did you mean \"dagId\"?",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","auth":{"type":"magic"}}"#,
            "magic",
        ),
        (
            r#"{"baseUrl":"http://h","apiVersion":"v2","dagId":"a","auth":{"type":"basic","username":"u","password":"p"}}"#,
            "Airflow 3",
        ),
    ];
    for (options, part) in cases {
        let err = build_trigger_request(js(options))
            .err()
            .unwrap_or_else(|| panic!("accepted: {options}"));
        assert_airflow_error(&err, "INVALID_ARGUMENT", part);
    }
    let err = build_trigger_request(JsValue::from_str("nope")).unwrap_err();
    assert_airflow_error(&err, "INVALID_ARGUMENT", "options: must be an object");
}

#[wasm_bindgen_test]
fn conf_values_json_cannot_carry_are_refused_with_their_path() {
    let opts =
        js(r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","conf":{"a":{"b":[1,2]}}}"#);
    let b = get(&get(&get(&opts, "conf"), "a"), "b");
    Reflect::set(&b, &1.into(), &f64::NAN.into()).unwrap();
    assert_airflow_error(
        &build_trigger_request(opts.clone()).unwrap_err(),
        "INVALID_ARGUMENT",
        "conf.a.b[1]: NaN",
    );

    Reflect::set(&b, &1.into(), &js_sys::Date::new_0().into()).unwrap();
    assert_airflow_error(
        &build_trigger_request(opts.clone()).unwrap_err(),
        "INVALID_ARGUMENT",
        "conf.a.b[1]: is a Date",
    );

    // A cycle is an error, not a stack overflow.
    let a = get(&get(&opts, "conf"), "a");
    Reflect::set(&a, &"self".into(), &a).unwrap();
    Reflect::set(&b, &1.into(), &2.into()).unwrap();
    assert_airflow_error(
        &build_trigger_request(opts.clone()).unwrap_err(),
        "INVALID_ARGUMENT",
        "deeper than 128",
    );

    // undefined properties are left out, as JSON.stringify does.
    let opts =
        js(r#"{"baseUrl":"http://h","apiVersion":"v1","dagId":"a","dagRunId":"r","conf":{"k":1}}"#);
    Reflect::set(&get(&opts, "conf"), &"gone".into(), &JsValue::UNDEFINED).unwrap();
    let body = get(&build_trigger_request(opts).unwrap(), "body")
        .as_string()
        .unwrap();
    assert_eq!(body, r#"{"conf":{"k":1},"dag_run_id":"r"}"#);
}

#[wasm_bindgen_test]
fn errors_carry_status_and_detail() {
    let err = parse_trigger_response(
        "v2".into(),
        409,
        "application/json",
        r#"{"detail":{"reason":"Unique constraint violation","message":"m"}}"#,
    )
    .unwrap_err();
    assert_airflow_error(&err, "CONFLICT", "already exists");
    assert_eq!(get(&err, "status").as_f64(), Some(409.0));
    assert_eq!(
        get(&err, "detail").as_string().unwrap(),
        "Unique constraint violation: m"
    );

    let run = parse_trigger_response(
        "v1".into(),
        200,
        "application/json",
        r#"{"dag_id":"d","dag_run_id":"r","state":"queued","conf":{"a":1},"logical_date":"2024-01-01T00:00:00+00:00"}"#,
    )
    .unwrap();
    assert_eq!(get(&run, "dagRunId").as_string().unwrap(), "r");
    assert_eq!(
        get(&run, "logicalDate").as_string().unwrap(),
        "2024-01-01T00:00:00+00:00"
    );
    assert!(get(&run, "note").is_null());
    assert!(!get(&run, "raw").is_instance_of::<js_sys::Map>());
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    // Port 9 (discard) on loopback: nothing listens there in the test environment.
    let promise = trigger_dag_run(js(
        r#"{"baseUrl":"http://127.0.0.1:9","apiVersion":"v2","dagId":"a"}"#,
    ));
    let err = JsFuture::from(promise).await.unwrap_err();
    assert_airflow_error(&err, "NETWORK", "CORS refusal looks exactly like this");
    let promise = trigger_dag_run(js(
        r#"{"baseUrl":"http://127.0.0.1:9","apiVersion":"v2","dagId":"a/b"}"#,
    ));
    assert_airflow_error(
        &JsFuture::from(promise).await.unwrap_err(),
        "INVALID_ARGUMENT",
        "dagId",
    );
}
