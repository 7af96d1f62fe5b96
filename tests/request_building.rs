#![cfg(not(target_arch = "wasm32"))]
//! Table-driven tests of the trigger request, for both API versions and every rule.

use airflow_trigger::json;
use airflow_trigger::json::Value;
use airflow_trigger::{to_curl, ApiVersion, Auth, ErrorCode, HttpRequest, Secret, TriggerOptions};

fn opts(version: ApiVersion) -> TriggerOptions {
    let mut o = TriggerOptions::new("http://127.0.0.1:8080", version, "etl");
    o.dag_run_id = Some("r1".into());
    o
}

fn body(req: &HttpRequest) -> Value {
    airflow_trigger::json::Value::parse(req.body.as_deref().unwrap()).unwrap()
}

#[track_caller]
fn fails(o: &TriggerOptions, field: &str, why: &str) {
    let err = o.build().unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument, "{err}");
    assert_eq!(err.field(), Some(field), "{err}");
    assert!(err.message().starts_with(&format!("{field}: ")), "{err}");
    assert!(err.message().contains(why), "expected {why:?} in {err}");
}

#[test]
fn urls_for_both_versions_and_prefixes() {
    let cases = [
        ("http://127.0.0.1:8080", ApiVersion::V1, "etl", "http://127.0.0.1:8080/api/v1/dags/etl/dagRuns"),
        ("http://127.0.0.1:8080/", ApiVersion::V2, "etl", "http://127.0.0.1:8080/api/v2/dags/etl/dagRuns"),
        ("https://host/airflow", ApiVersion::V1, "a.b-c_d", "https://host/airflow/api/v1/dags/a.b-c_d/dagRuns"),
        ("https://host/airflow/", ApiVersion::V2, "café", "https://host/airflow/api/v2/dags/caf%C3%A9/dagRuns"),
    ];
    for (base, version, dag, url) in cases {
        let mut o = opts(version);
        o.base_url = base.into();
        o.dag_id = dag.into();
        assert_eq!(o.build().unwrap().url, url);
    }
}

#[test]
fn bodies_for_both_versions() {
    let v1 = opts(ApiVersion::V1).build().unwrap();
    assert_eq!(body(&v1), json!({"dag_run_id": "r1"}));
    let v2 = opts(ApiVersion::V2).build().unwrap();
    assert_eq!(body(&v2), json!({"dag_run_id": "r1", "logical_date": null}));

    let mut o = opts(ApiVersion::V2);
    o.conf = Some(json!({"a": [1, {"b": null}], "n": 1.5}));
    o.logical_date = Some("2024-01-01T00:00:00+02:00".into());
    o.note = Some("why: \"tests\"".into());
    o.data_interval_start = Some("2024-01-01T00:00:00Z".into());
    o.data_interval_end = Some("2024-01-02T00:00:00Z".into());
    o.run_after = Some("2024-01-02T00:00:00Z".into());
    assert_eq!(
        body(&o.build().unwrap()),
        json!({
            "dag_run_id": "r1", "conf": {"a": [1, {"b": null}], "n": 1.5},
            "logical_date": "2024-01-01T00:00:00+02:00", "note": "why: \"tests\"",
            "data_interval_start": "2024-01-01T00:00:00Z", "data_interval_end": "2024-01-02T00:00:00Z",
            "run_after": "2024-01-02T00:00:00Z"
        })
    );
}

#[test]
fn a_run_id_is_generated_when_absent() {
    let mut o = opts(ApiVersion::V1);
    o.dag_run_id = None;
    let a = body(&o.build().unwrap())["dag_run_id"].as_str().unwrap().to_string();
    let b = body(&o.build().unwrap())["dag_run_id"].as_str().unwrap().to_string();
    assert_ne!(a, b);
    assert!(a.starts_with("trigger__"), "{a}");
    assert!(airflow_trigger::check_dag_run_id(&a).is_ok());
}

#[test]
fn headers() {
    let req = opts(ApiVersion::V1).build().unwrap();
    assert_eq!(req.header("Content-Type"), Some("application/json"));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.header("authorization"), None);

    let mut o = opts(ApiVersion::V1);
    o.auth = Auth::Basic { username: "admin".into(), password: Secret::new("admin") };
    assert_eq!(o.build().unwrap().header("Authorization"), Some("Basic YWRtaW46YWRtaW4="));

    let mut o = opts(ApiVersion::V2);
    o.auth = Auth::Bearer { token: Secret::new("eyJabc") };
    assert_eq!(o.build().unwrap().header("Authorization"), Some("Bearer eyJabc"));

    let mut o = opts(ApiVersion::V2);
    o.auth = Auth::Headers { headers: vec![("X-Api-Key".to_string(), Secret::new("k1"))] };
    let req = o.build().unwrap();
    assert_eq!(req.header("x-api-key"), Some("k1"));
    assert!(req.headers.iter().find(|h| h.name == "X-Api-Key").unwrap().sensitive);
}

#[test]
fn every_rule_has_an_error_naming_its_field() {
    let with = |f: &dyn Fn(&mut TriggerOptions)| {
        let mut o = opts(ApiVersion::V2);
        f(&mut o);
        o
    };
    fails(&with(&|o| o.base_url = "ftp://h".into()), "baseUrl", "not supported");
    fails(&with(&|o| o.base_url = "https://u:p@h".into()), "baseUrl", "user name or password");
    fails(&with(&|o| o.dag_id = "a/b".into()), "dagId", r#""/""#);
    fails(&with(&|o| o.dag_id = "x".repeat(251)), "dagId", "at most 250");
    fails(&with(&|o| o.dag_run_id = Some("bad/id".into())), "dagRunId", "^[A-Za-z0-9_.~:+-]+$");
    fails(&with(&|o| o.dag_run_id = Some("r".repeat(251))), "dagRunId", "at most 250");
    fails(&with(&|o| o.conf = Some(json!([1, 2]))), "conf", "got an array");
    fails(&with(&|o| o.conf = Some(json!("x"))), "conf", "got a string");
    fails(&with(&|o| o.conf = Some(Value::Null)), "conf", "got null");
    fails(&with(&|o| o.logical_date = Some("2024-01-01T00:00:00".into())), "logicalDate", "no time zone");
    fails(&with(&|o| o.logical_date = Some("yesterday".into())), "logicalDate", "\"yesterday\"");
    fails(
        &with(&|o| o.data_interval_start = Some("2024-01-01T00:00:00Z".into())),
        "dataIntervalEnd",
        "with dataIntervalStart",
    );
    fails(
        &with(&|o| o.data_interval_end = Some("2024-01-01T00:00:00Z".into())),
        "dataIntervalStart",
        "with dataIntervalEnd",
    );
    fails(
        &with(&|o| {
            o.data_interval_start = Some("2024-01-01".into());
            o.data_interval_end = Some("2024-01-01T00:00:00Z".into());
        }),
        "dataIntervalStart",
        "too short",
    );
    fails(&with(&|o| o.run_after = Some("soon".into())), "runAfter", "too short");
    fails(&with(&|o| o.auth = Auth::Basic { username: "a".into(), password: Secret::new("p") }), "auth", "Airflow 3");
    fails(&with(&|o| o.auth = Auth::Bearer { token: Secret::new("a\nb") }), "auth.token", "line break");
    fails(&with(&|o| o.auth = Auth::Bearer { token: Secret::new(" ") }), "auth.token", "must not be empty");

    let mut o = opts(ApiVersion::V1);
    o.run_after = Some("2024-01-01T00:00:00Z".into());
    fails(&o, "runAfter", "only Airflow 3");
    o.run_after = None;
    o.auth = Auth::Basic { username: "a:b".into(), password: Secret::new("p") };
    fails(&o, "auth.username", "':'");
}

#[test]
fn secrets_stay_out_of_errors_debug_and_curl() {
    let mut o = opts(ApiVersion::V1);
    o.auth = Auth::Basic { username: "admin".into(), password: Secret::new("pa55word") };
    let req = o.build().unwrap();
    let b64 = req.header("Authorization").unwrap().to_string();
    assert!(!format!("{req:?}").contains(&b64[6..]));
    assert!(!format!("{o:?}").contains("pa55word"));
    let masked = to_curl(&req, false);
    assert!(masked.contains("'Authorization: Basic ***'") && !masked.contains(&b64[6..]), "{masked}");
    assert!(to_curl(&req, true).contains(&b64));

    o.dag_id = "bad id".into();
    assert!(!o.build().unwrap_err().to_string().contains("pa55word"));
}

#[test]
fn curl_command_is_exact() {
    let mut o = opts(ApiVersion::V2);
    o.conf = Some(json!({"msg": "it's"}));
    o.auth = Auth::Bearer { token: Secret::new("tok") };
    assert_eq!(
        to_curl(&o.build().unwrap(), false),
        "curl -X 'POST' 'http://127.0.0.1:8080/api/v2/dags/etl/dagRuns' \\\n  \
         -H 'Content-Type: application/json' \\\n  \
         -H 'Accept: application/json' \\\n  \
         -H 'Authorization: Bearer ***' \\\n  \
         --data-raw '{\"dag_run_id\":\"r1\",\"conf\":{\"msg\":\"it'\\''s\"},\"logical_date\":null}'"
    );
}
