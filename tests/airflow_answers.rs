#![cfg(not(target_arch = "wasm32"))]
//! Airflow's real answers (recorded by tests/fixtures/record.py from 2.11.2 and 3.3.2) become
//! DAG runs and typed errors.

use airflow_trigger::json::Value;
use airflow_trigger::{error_from_response, parse_dag_run, ApiVersion, ErrorCode};

fn fixture(api: &str, case: &str) -> (u16, String, String) {
    let path = format!("{}/tests/fixtures/{api}/{case}.json", env!("CARGO_MANIFEST_DIR"));
    let f: Value = airflow_trigger::json::Value::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let body = match &f["body"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    (f["status"].as_u64().unwrap() as u16, f["content_type"].as_str().unwrap().to_string(), body)
}

#[test]
fn runs_from_both_versions_have_one_shape() {
    for api in ["v1", "v2"] {
        for case in ["success", "get_run"] {
            let (status, _, body) = fixture(api, case);
            assert_eq!(status, 200);
            let run = parse_dag_run(&body).unwrap();
            assert_eq!(run.dag_id, "trigger_params");
            assert!(run.dag_run_id.starts_with("fixture_"));
            assert!(["queued", "running"].contains(&run.state.as_str()), "{}", run.state);
            assert_eq!(run.conf, airflow_trigger::json!({"target": "x", "count": 3}));
            assert_eq!(run.note.as_deref(), Some("from fixtures"));
            assert_eq!(run.run_type.as_deref(), Some("manual"));
            assert_eq!(run.raw["dag_run_id"], run.dag_run_id.as_str());
            // Airflow 3 runs triggered "now" have no logical date.
            assert_eq!(run.logical_date.is_some(), api == "v1", "{api} {case}");
        }
    }
}

#[test]
fn error_answers_become_typed_errors() {
    let cases = [
        ("v1", "duplicate", ErrorCode::Conflict, "already exists"),
        ("v2", "duplicate", ErrorCode::Conflict, "Unique constraint violation"),
        ("v1", "bad_run_id", ErrorCode::Server, "Something bad has happened"),
        ("v2", "bad_run_id", ErrorCode::BadRequest, "does not match regex pattern"),
        ("v1", "unknown_dag", ErrorCode::NotFound, "DAG with dag_id: 'no_such_dag' not found"),
        ("v2", "unknown_dag", ErrorCode::NotFound, "Dag with dag_id: 'no_such_dag' not found"),
        ("v1", "param_minimum", ErrorCode::InvalidConf, "Invalid input for param count"),
        ("v2", "param_minimum", ErrorCode::InvalidConf, "Invalid input for param count"),
        ("v1", "param_missing", ErrorCode::InvalidConf, "No value passed"),
        ("v2", "param_missing", ErrorCode::InvalidConf, "No value passed"),
        ("v1", "conf_array", ErrorCode::BadRequest, "conf"),
        ("v2", "conf_array", ErrorCode::BadRequest, "body.conf: Input should be a valid dictionary"),
        ("v1", "naive_logical_date", ErrorCode::BadRequest, "is not a 'date-time'"),
        ("v2", "naive_logical_date", ErrorCode::BadRequest, "logical_date"),
        ("v1", "unknown_field", ErrorCode::BadRequest, "bogus"),
        ("v2", "unknown_field", ErrorCode::BadRequest, "bogus"),
        ("v1", "wrong_credentials", ErrorCode::Forbidden, "Forbidden"),
        ("v1", "no_credentials", ErrorCode::Forbidden, "Forbidden"),
        ("v2", "wrong_credentials", ErrorCode::Forbidden, "Invalid JWT token"),
        ("v2", "no_credentials", ErrorCode::Unauthorized, "Not authenticated"),
        ("v2", "empty_body", ErrorCode::BadRequest, "body.logical_date: Field required"),
        ("v1", "logical_date_null", ErrorCode::BadRequest, "is not an instance of"),
    ];
    for (api, case, code, detail) in cases {
        let version = if api == "v1" { ApiVersion::V1 } else { ApiVersion::V2 };
        let (status, content_type, body) = fixture(api, case);
        let err = error_from_response(version, status, &content_type, &body);
        assert_eq!(err.code(), code, "{api} {case}: {err}");
        assert_eq!(err.status(), Some(status));
        let got = err.detail().unwrap_or_default();
        assert!(got.contains(detail), "{api} {case}: detail {got:?} lacks {detail:?}");
        assert!(!err.message().is_empty());
    }
}

#[test]
fn airflow_2_forbidden_says_it_may_be_the_credentials() {
    let (status, ct, body) = fixture("v1", "wrong_credentials");
    let err = error_from_response(ApiVersion::V1, status, &ct, &body);
    assert!(err.message().contains("Airflow 2 answers 403 for wrong or missing credentials"), "{err}");
}
