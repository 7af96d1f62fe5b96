//! The client's logic (version detection, token exchange and re-login, retries, idempotent
//! triggers, polling), driven natively with scripted answers.
#![cfg(not(target_arch = "wasm32"))]

use airflow_trigger::json;
use airflow_trigger::json::Value;
use airflow_trigger::{Action, ApiVersion, Call, Client, ClientConfig, ErrorCode, Event, HttpRequest};

enum Answer {
    Ok(u16, &'static str),
    Network,
    Timeout,
}

struct Log {
    sent: Vec<HttpRequest>,
    sleeps: Vec<u64>,
    progress: Vec<String>,
}

/// Runs a call to the end; `answer` sees each request (and how many came before it).
fn drive(
    client: &mut Client,
    mut call: Call,
    mut answer: impl FnMut(&HttpRequest, usize) -> Answer,
) -> (Result<Value, airflow_trigger::Error>, Log) {
    let mut log = Log { sent: Vec::new(), sleeps: Vec::new(), progress: Vec::new() };
    let mut action = call.next(client, Event::Start);
    for _ in 0..100 {
        action = match action {
            Action::Done(result) => return (result, log),
            Action::Sleep { ms, progress } => {
                log.sleeps.push(ms);
                if let Some(run) = progress {
                    log.progress.push(run["state"].as_str().unwrap().to_string());
                }
                call.next(client, Event::Slept)
            }
            Action::Send { request, .. } => {
                let n = log.sent.len();
                log.sent.push(request.clone());
                match answer(&request, n) {
                    Answer::Ok(status, body) => {
                        call.next(client, Event::Response { status, content_type: "application/json", body })
                    }
                    Answer::Network => call.next(client, Event::NetworkError("Failed to fetch")),
                    Answer::Timeout => call.next(client, Event::Timeout),
                }
            }
        };
    }
    panic!("the call did not end");
}

fn client(options: Value) -> Client {
    let mut o = json!({"baseUrl": "http://af"});
    o.as_object_mut().unwrap().extend(options.as_object().unwrap().clone());
    Client::new(ClientConfig::from_json(&o).unwrap())
}

const DETAILS: &str = r#"{"dag_id":"etl","is_paused":false,"params":{"n":{"value":1,"schema":{"type":"integer"}}}}"#;
const RUN: &str = r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{"n":2}}"#;

#[test]
fn detects_the_version_once() {
    // Airflow 3: /api/v1/version is a 404, /api/v2/version answers.
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |req, _| {
        if req.url.ends_with("/api/v1/version") {
            Answer::Ok(404, r#"{"detail":"Not Found"}"#)
        } else {
            Answer::Ok(200, r#"{"version":"3.3.2"}"#)
        }
    });
    assert_eq!(result.unwrap(), json!({"version": "3.3.2", "apiVersion": "v2"}));
    assert_eq!(log.sent.len(), 3, "probe v1, probe v2, then the call");
    assert_eq!(c.api_version(), Some(ApiVersion::V2));
    let (_, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(200, r#"{"version":"3.3.2"}"#));
    assert_eq!(log.sent.len(), 1, "cached");
    // Airflow 2 answers the first probe.
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(200, r#"{"version":"2.11.2"}"#));
    assert_eq!(result.unwrap()["apiVersion"], "v1");
    assert_eq!(log.sent.len(), 2);
}

#[test]
fn a_probe_refused_like_cors_falls_through_to_the_next() {
    // A browser sees a 404 without CORS headers as a network failure: no retries, the next probe.
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |req, _| {
        if req.url.ends_with("/api/v1/version") {
            Answer::Network
        } else {
            Answer::Ok(200, r#"{"version":"3.3.2"}"#)
        }
    });
    assert_eq!(result.unwrap()["apiVersion"], "v2");
    assert_eq!(log.sleeps, Vec::<u64>::new(), "no retry of the v1 probe");
    assert_eq!(log.sent.len(), 3);
}

#[test]
fn password_auth_exchanges_a_token_and_logs_in_again_once() {
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let (result, log) =
        drive(&mut c, Call::trigger("etl", &json!({"conf": {"n": 2}, "dagRunId": "r1"})).unwrap(), |req, n| match n {
            0 => {
                assert!(req.url.ends_with("/auth/token"));
                assert_eq!(req.body.as_deref(), Some(r#"{"username":"u","password":"pw"}"#));
                Answer::Ok(201, r#"{"access_token":"t1"}"#)
            }
            1 => Answer::Ok(200, DETAILS),
            2 => Answer::Ok(401, r#"{"detail":"Token Expired"}"#),
            3 => Answer::Ok(201, r#"{"access_token":"t2"}"#),
            _ => {
                assert_eq!(req.header("Authorization"), Some("Bearer t2"));
                Answer::Ok(200, RUN)
            }
        });
    let run = result.unwrap();
    assert_eq!(run["dagRunId"], "r1");
    assert_eq!(run["alreadyExisted"], false);
    assert_eq!(log.sent[1].header("Authorization"), Some("Bearer t1"));
    assert!(!format!("{:?}", log.sent).contains("t1\""), "tokens are masked in Debug");

    // A second 401 in the same call is the answer.
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let (result, _) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |req, _| {
        if req.url.ends_with("/auth/token") {
            Answer::Ok(201, r#"{"access_token":"t"}"#)
        } else {
            Answer::Ok(401, r#"{"detail":"Token Expired"}"#)
        }
    });
    assert_eq!(result.unwrap_err().code(), ErrorCode::Unauthorized);
}

#[test]
fn a_fresh_token_that_expires_during_retries_is_renewed() {
    // The token from a re-login can expire while the next attempts time out; the 401 that
    // follows is not a refusal of the fresh token.
    let mut c = client(
        json!({"apiVersion": "v2", "retries": 3, "auth": {"type": "password", "username": "u", "password": "pw"}}),
    );
    let (result, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |req, n| {
        if req.url.ends_with("/auth/token") {
            return Answer::Ok(201, r#"{"access_token":"t"}"#);
        }
        match n {
            1 | 4 => Answer::Ok(401, r#"{"detail":"Token Expired"}"#),
            3 => Answer::Timeout,
            _ => Answer::Ok(200, RUN),
        }
    });
    assert_eq!(result.unwrap()["dagRunId"], "r1");
    assert_eq!(log.sent.iter().filter(|r| r.url.ends_with("/auth/token")).count(), 3);
}

#[test]
fn airflow_2_password_auth_is_basic() {
    let mut c =
        client(json!({"apiVersion": "v1", "auth": {"type": "password", "username": "admin", "password": "admin"}}));
    let (_, log) =
        drive(&mut c, Call::get_dag("etl").unwrap(), |_, _| Answer::Ok(200, r#"{"dag_id":"etl","is_paused":true}"#));
    assert_eq!(log.sent[0].header("Authorization"), Some("Basic YWRtaW46YWRtaW4="));
}

#[test]
fn an_ambiguous_failure_then_409_reads_the_run_back() {
    let mut c = client(json!({"apiVersion": "v2", "retries": 3}));
    let call = Call::trigger("etl", &json!({"conf": {"n": 2}})).unwrap();
    let mut run_ids = Vec::new();
    let (result, log) = drive(&mut c, call, |req, n| {
        if req.method == "POST" {
            run_ids
                .push(airflow_trigger::json::Value::parse(req.body.as_deref().unwrap()).unwrap()["dag_run_id"].clone());
        }
        match n {
            0 => Answer::Ok(200, DETAILS),
            1 => Answer::Network,
            2 => Answer::Timeout,
            3 => Answer::Ok(409, r#"{"detail":"exists"}"#),
            _ => {
                assert_eq!(req.method, "GET");
                Answer::Ok(200, RUN)
            }
        }
    });
    let run = result.unwrap();
    assert_eq!(run["alreadyExisted"], true);
    assert_eq!(log.sleeps.len(), 2);
    assert!(log.sleeps.iter().all(|&ms| (125..=5000).contains(&ms)), "{:?}", log.sleeps);
    assert_eq!(run_ids.len(), 3);
    assert!(run_ids.iter().all(|id| id == &run_ids[0]), "every retry carries the same run id: {run_ids:?}");

    // The same id with another conf is a conflict (the details are still fresh: no GET first).
    let call = Call::trigger("etl", &json!({"conf": {"n": 3}})).unwrap();
    let (result, _) = drive(&mut c, call, |_, n| match n {
        0 => Answer::Ok(502, "Bad Gateway"),
        1 => Answer::Ok(409, r#"{"detail":"exists"}"#),
        _ => Answer::Ok(200, RUN),
    });
    assert_eq!(result.unwrap_err().code(), ErrorCode::Conflict);
}

#[test]
fn a_read_back_run_must_match_every_field_the_trigger_set() {
    // After an ambiguous failure, a 409 and a run with this id: it is this trigger's only when its
    // conf, note and (when given) logical date are the trigger's.
    let existing = r#"{"dag_id":"etl","dag_run_id":"k1","state":"queued","conf":{"n":2},"note":"first",
        "logical_date":"2024-01-01T10:00:00.000000+00:00"}"#;
    let read_back = |options: Value| {
        let mut c = client(json!({"apiVersion": "v2", "retries": 1}));
        let mut options = options;
        options.as_object_mut().unwrap().insert("dagRunId".into(), json!("k1"));
        let (result, log) = drive(&mut c, Call::trigger("etl", &options).unwrap(), |_, n| match n {
            0 => Answer::Ok(200, DETAILS),
            1 => Answer::Network,
            2 => Answer::Ok(409, r#"{"detail":"exists"}"#),
            _ => Answer::Ok(200, existing),
        });
        assert_eq!(log.sent.len(), 4);
        result
    };
    let same = json!({"conf": {"n": 2}, "note": "first", "logicalDate": "2024-01-01T12:00:00+02:00"});
    assert_eq!(read_back(same).unwrap()["alreadyExisted"], true, "the same instant at another offset");
    assert_eq!(read_back(json!({"conf": {"n": 2}, "note": "first"})).unwrap()["alreadyExisted"], true);
    for (options, field) in [
        (json!({"conf": {"n": 2}, "note": "second"}), "another note"),
        (json!({"conf": {"n": 2}}), "another note"),
        (
            json!({"conf": {"n": 2}, "note": "first", "logicalDate": "2024-01-01T10:00:00.000001Z"}),
            "another logicalDate",
        ),
        (json!({"conf": {"n": 3}, "note": "other"}), "another conf and note"),
    ] {
        let err = read_back(options.clone()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Conflict, "{options}");
        assert!(err.message().contains(field), "{options}: {err}");
    }
}

#[test]
fn a_409_without_an_earlier_failure_is_a_conflict() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, log) = drive(&mut c, Call::trigger("etl", &json!({"conf": {"n": 2}})).unwrap(), |_, n| match n {
        0 => Answer::Ok(200, DETAILS),
        _ => Answer::Ok(409, r#"{"detail":{"reason":"Unique constraint violation"}}"#),
    });
    assert_eq!(result.unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!(log.sent.len(), 2);
}

#[test]
fn retries_end_in_typed_errors() {
    let mut c = client(json!({"apiVersion": "v2", "retries": 2}));
    let (result, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Network);
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network);
    assert!(err.message().contains("3 tries") && err.message().contains("CORS"), "{err}");
    assert_eq!(log.sent.len(), 3);
    let (result, _) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Timeout);
    assert_eq!(result.unwrap_err().code(), ErrorCode::Timeout);
    let (result, _) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Ok(503, "unavailable"));
    assert_eq!(result.unwrap_err().code(), ErrorCode::Server);
    let mut c = client(json!({"apiVersion": "v2", "retries": 0}));
    let (_, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Network);
    assert_eq!(log.sent.len(), 1);
}

#[test]
fn local_validation_stops_a_bad_conf() {
    let mut c = client(json!({"apiVersion": "v1"}));
    let (result, log) =
        drive(&mut c, Call::trigger("etl", &json!({"conf": {"n": "two"}})).unwrap(), |_, _| Answer::Ok(200, DETAILS));
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConf);
    assert_eq!(err.errors()[0].instance_path, "/n");
    assert_eq!(log.sent.len(), 1, "only the details");
    let mut c = client(json!({"apiVersion": "v1"}));
    let (result, _) = drive(
        &mut c,
        Call::trigger("etl", &json!({"conf": {"n": "two"}, "validate": false})).unwrap(),
        |_, n| match n {
            0 => Answer::Ok(200, r#"{"dag_id":"etl","is_paused":true,"params":{}}"#),
            _ => Answer::Ok(200, RUN),
        },
    );
    assert_eq!(result.unwrap()["dagPaused"], true);
}

#[test]
fn wait_for_run_polls_to_a_final_state() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let states = ["queued", "queued", "running", "running", "success"];
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let call = Call::wait_for_run("etl", "r1", 100, 60_000, now).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| {
        let body = format!(r#"{{"dag_id":"etl","dag_run_id":"r1","state":"{}"}}"#, states[n]);
        Answer::Ok(200, Box::leak(body.into_boxed_str()))
    });
    assert_eq!(result.unwrap()["state"], "success");
    assert_eq!(log.progress, ["queued", "running"]);
    assert_eq!(log.sleeps, [100, 100, 100, 100]);
}

#[test]
fn dag_details_are_reused_for_params_ttl_ms() {
    let trigger = || Call::trigger("etl", &json!({"conf": {"n": 2}})).unwrap();
    let mut c = client(json!({"apiVersion": "v2"}));
    let (_, log) =
        drive(&mut c, trigger(), |_, n| if n == 0 { Answer::Ok(200, DETAILS) } else { Answer::Ok(200, RUN) });
    assert_eq!(log.sent.len(), 2);
    // Fresh details: only the POST, still validated (against the Params compiled once).
    let (result, log) = drive(&mut c, trigger(), |_, _| Answer::Ok(200, RUN));
    assert_eq!((log.sent.len(), &log.sent[0].method[..]), (1, "POST"));
    assert_eq!(result.unwrap()["dagPaused"], false);
    let (result, log) =
        drive(&mut c, Call::trigger("etl", &json!({"conf": {"n": "two"}})).unwrap(), |_, _| Answer::Ok(200, RUN));
    assert_eq!((result.unwrap_err().code(), log.sent.len()), (ErrorCode::InvalidConf, 0));
    // paramsTtlMs 0: the details are read before every trigger.
    let mut c = client(json!({"apiVersion": "v2", "paramsTtlMs": 0}));
    for _ in 0..2 {
        let (_, log) =
            drive(&mut c, trigger(), |_, n| if n == 0 { Answer::Ok(200, DETAILS) } else { Answer::Ok(200, RUN) });
        assert_eq!(log.sent.len(), 2);
    }
}

#[test]
fn params_are_cached() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let (p, log) = drive(&mut c, Call::get_params("etl").unwrap(), |_, _| Answer::Ok(200, DETAILS));
    assert_eq!(p.unwrap()["n"]["value"], 1);
    assert_eq!(log.sent.len(), 1);
    let (_, log) = drive(&mut c, Call::get_params("etl").unwrap(), |_, _| Answer::Ok(200, DETAILS));
    assert_eq!(log.sent.len(), 0);
}

#[test]
fn options_are_checked_before_anything_is_sent() {
    assert_eq!(Call::trigger("bad/id", &json!({})).err().unwrap().field(), Some("dagId"));
    assert_eq!(Call::trigger("etl", &json!({"conf": [1]})).err().unwrap().field(), Some("conf"));
    assert_eq!(Call::trigger("etl", &json!({"baseUrl": "x"})).err().unwrap().field(), Some("baseUrl"));
    let err = ClientConfig::from_json(&json!({"baseUrl": "http://h", "apiVersion": "v3"})).unwrap_err();
    assert_eq!(err.field(), Some("apiVersion"));
    let err = ClientConfig::from_json(&json!({"baseUrl": "http://h", "retries": -1})).unwrap_err();
    assert_eq!(err.field(), Some("retries"));
}

#[test]
fn wait_for_run_times_out_with_the_last_state() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let call = Call::wait_for_run("etl", "r1", 100, 0, 0).unwrap();
    let (result, _) =
        drive(&mut c, call, |_, _| Answer::Ok(200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued"}"#));
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(err.message().contains("still queued"), "{err}");
}

#[test]
fn a_long_wait_outlives_several_tokens() {
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let call = Call::wait_for_run("etl", "r1", 100, 60_000, now).unwrap();
    let mut polls = 0;
    let (result, log) = drive(&mut c, call, |req, _| {
        if req.url.ends_with("/auth/token") {
            return Answer::Ok(201, r#"{"access_token":"t"}"#);
        }
        polls += 1;
        match polls {
            2 | 4 => Answer::Ok(401, r#"{"detail":"Token Expired"}"#),
            6 => Answer::Ok(200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"success"}"#),
            _ => Answer::Ok(200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"running"}"#),
        }
    });
    assert_eq!(result.unwrap()["state"], "success");
    assert_eq!(log.sent.iter().filter(|r| r.url.ends_with("/auth/token")).count(), 3);
}

#[test]
fn the_formats_option_overrides_the_servers_own() {
    let details = r#"{"dag_id":"etl","is_paused":false,"params":{"d":{"value":"2024-01-01","schema":{"type":"string","format":"date"}}}}"#;
    let mut strict = client(json!({"apiVersion": "v2"}));
    let (result, _) =
        drive(&mut strict, Call::trigger("etl", &json!({"conf": {"d": "2024-02-30"}})).unwrap(), |_, _| {
            Answer::Ok(200, details)
        });
    assert_eq!(result.unwrap_err().code(), ErrorCode::InvalidConf);
    let mut lenient = client(json!({"apiVersion": "v2", "formats": "none"}));
    let (result, log) =
        drive(&mut lenient, Call::trigger("etl", &json!({"conf": {"d": "2024-02-30"}})).unwrap(), |_, n| match n {
            0 => Answer::Ok(200, details),
            _ => Answer::Ok(200, RUN),
        });
    assert!(result.is_ok());
    assert_eq!(log.sent.len(), 2);
    assert_eq!(
        ClientConfig::from_json(&json!({"baseUrl": "http://h", "formats": "x"})).unwrap_err().field(),
        Some("formats")
    );
}

#[test]
fn list_runs_newest_first_in_both_versions() {
    for (version, order) in [("v1", "-execution_date"), ("v2", "-run_after")] {
        let mut c = client(json!({"apiVersion": version}));
        let (result, log) = drive(&mut c, Call::list_runs("etl", 5).unwrap(), |_, _| {
            Answer::Ok(
                200,
                r#"{"dag_runs":[{"dag_id":"etl","dag_run_id":"b","state":"success"},{"dag_id":"etl","dag_run_id":"a","state":"failed"}],"total_entries":2}"#,
            )
        });
        let out = result.unwrap();
        assert_eq!(out["runs"][0]["dagRunId"], "b");
        assert_eq!(out["runs"][1]["state"], "failed");
        assert_eq!(out["totalEntries"], 2);
        assert!(
            log.sent[0].url.ends_with(&format!("/dags/etl/dagRuns?limit=5&order_by={order}")),
            "{}",
            log.sent[0].url
        );
    }
    assert!(Call::list_runs("a/b", 5).is_err());
}
