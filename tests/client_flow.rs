//! The client's logic (version detection, token exchange and re-login, retries, idempotent
//! triggers, polling), driven natively with scripted answers.
#![cfg(not(target_arch = "wasm32"))]

use airflow_trigger::json;
use airflow_trigger::json::Value;
use airflow_trigger::{
    Action, ApiVersion, AssetRef, Auth, Call, Client, ClientAuth, ClientConfig, DagRun, ErrorCode, Event, Formats,
    HttpRequest, Output, Secret, Trigger,
};

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

/// The typed result as one JSON value, for short assertions: a run's fields by their Airflow
/// names plus `already_existed` and `dag_paused`; lists as `{items, total_entries}`.
fn view(out: Output) -> Value {
    fn run(r: DagRun) -> Value {
        let mut v = r.raw.clone();
        v.as_object_mut().unwrap().insert("state".into(), json!(r.state));
        v
    }
    match out {
        Output::Triggered(t) => {
            let mut v = run(t.run);
            v.as_object_mut().unwrap().insert("already_existed".into(), json!(t.already_existed));
            v.as_object_mut().unwrap().insert("dag_paused".into(), json!(t.dag_paused));
            v.as_object_mut().unwrap().insert("unpaused".into(), json!(t.unpaused));
            v
        }
        Output::Run(r) => run(r),
        Output::Params(p) => p,
        Output::Version(v) => json!({"version": v.version, "api_version": v.api_version.as_str()}),
        Output::Runs(page) => json!({
            "items": Value::Array(page.items.into_iter().map(run).collect()),
            "total_entries": page.total_entries,
        }),
        Output::Dag(d) => d.raw,
        Output::AssetEvent(e) => e.raw,
        Output::Asset(a) => a.raw,
        Output::Assets(page) => json!({
            "items": Value::Array(page.items.into_iter().map(|a| a.raw).collect()),
            "total_entries": page.total_entries,
        }),
        other => panic!("unexpected {other:?}"),
    }
}

/// The driver's clock starts here and moves only by the sleeps the call asks for.
const T0: u64 = 1_795_482_201_009;

/// Runs a call to the end; `answer` sees each request (and how many came before it).
fn drive(
    client: &mut Client,
    mut call: Call,
    mut answer: impl FnMut(&HttpRequest, usize) -> Answer,
) -> (Result<Value, airflow_trigger::Error>, Log) {
    let mut log = Log { sent: Vec::new(), sleeps: Vec::new(), progress: Vec::new() };
    let mut now = T0;
    let mut action = call.next(client, now, Event::Start);
    for _ in 0..100 {
        action = match action {
            Action::Done(result) => return (result.map(view), log),
            Action::Sleep { ms, progress } => {
                log.sleeps.push(ms);
                if let Some(run) = progress {
                    log.progress.push(run.state);
                }
                now += ms;
                call.next(client, now, Event::Slept)
            }
            Action::Send { request, .. } => {
                let n = log.sent.len();
                log.sent.push(request.clone());
                match answer(&request, n) {
                    Answer::Ok(status, body) => {
                        call.next(client, now, Event::Response { status, content_type: "application/json", body })
                    }
                    Answer::Network => call.next(client, now, Event::NetworkError("Failed to fetch")),
                    Answer::Timeout => call.next(client, now, Event::Timeout),
                }
            }
        };
    }
    panic!("the call did not end");
}

/// A client of `http://af` with the settings in `options` (the JS option names, for brevity).
fn client(options: Value) -> Client {
    let mut config = ClientConfig::new("http://af").unwrap();
    for (key, value) in options.as_object().unwrap().iter() {
        config = match key.as_str() {
            "apiVersion" => config.api_version(ApiVersion::parse(value.as_str().unwrap()).unwrap()),
            "retries" => config.retries(value.as_u64().unwrap() as u32),
            "paramsTtlMs" => config.params_ttl_ms(value.as_u64().unwrap()),
            "formats" => config.formats(Formats::parse(value.as_str().unwrap()).unwrap()),
            "auth" if value["type"] == "password" => config.auth(ClientAuth::Password {
                username: value["username"].as_str().unwrap().into(),
                password: Secret::new(value["password"].as_str().unwrap()),
            }),
            "auth" => config.auth(ClientAuth::Fixed(Auth::Basic {
                username: value["username"].as_str().unwrap().into(),
                password: Secret::new(value["password"].as_str().unwrap()),
            })),
            other => panic!("no option {other}"),
        };
    }
    Client::with_seed(config, 7)
}

/// A trigger from `{conf, dagRunId, note, logicalDate, validate}`.
fn t(options: &Value) -> Trigger {
    let mut t = Trigger::new();
    let text = |k: &str| options.get(k).and_then(Value::as_str).map(String::from);
    t.conf = options.get("conf").cloned();
    t.dag_run_id = text("dagRunId");
    t.note = text("note");
    t.logical_date = text("logicalDate");
    t.validate = options.get("validate").and_then(Value::as_bool).unwrap_or(true);
    t
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
    assert_eq!(result.unwrap(), json!({"version": "3.3.2", "api_version": "v2"}));
    assert_eq!(log.sent.len(), 3, "probe v1, probe v2, then the call");
    assert_eq!(c.api_version(), Some(ApiVersion::V2));
    let (_, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(200, r#"{"version":"3.3.2"}"#));
    assert_eq!(log.sent.len(), 1, "cached");
    // Airflow 2 answers the first probe.
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(200, r#"{"version":"2.11.2"}"#));
    assert_eq!(result.unwrap()["api_version"], "v1");
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
    assert_eq!(result.unwrap()["api_version"], "v2");
    assert_eq!(log.sleeps, Vec::<u64>::new(), "no retry of the v1 probe");
    assert_eq!(log.sent.len(), 3);
}

#[test]
fn a_server_that_is_not_airflow_is_named_so_with_what_was_tried() {
    // A web server's 404 page, then a 200 that is not a version (an SPA's index.html).
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |req, _| {
        if req.url.ends_with("/api/v1/version") {
            Answer::Ok(404, "<html>Not Found</html>")
        } else {
            Answer::Ok(200, "<html>app</html>")
        }
    });
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.code().as_str(), err.status()), (ErrorCode::NotAirflow, "NOT_AIRFLOW", Some(200)));
    assert_eq!(
        err.message(),
        "http://af does not look like Airflow's REST API: GET /api/v1/version answered 404, GET /api/v2/version \
         answered 200 without a version. Check baseUrl, or set apiVersion."
    );
    assert_eq!(log.sent.len(), 2, "each probe once, nothing after");
    // A probe with no answer (a browser's CORS failure) says so.
    let mut c = client(json!({}));
    let (result, _) = drive(&mut c, Call::version(), |req, _| {
        if req.url.ends_with("/api/v1/version") {
            Answer::Network
        } else {
            Answer::Ok(404, "Not Found")
        }
    });
    let err = result.unwrap_err();
    assert!(err.message().contains("/api/v1/version got no answer, GET /api/v2/version answered 404"), "{err}");
    // A busy server is retried, not called "not Airflow".
    let mut c = client(json!({"retries": 2}));
    let (result, log) = drive(&mut c, Call::version(), |_, n| {
        if n < 2 {
            Answer::Ok(503, "busy")
        } else {
            Answer::Ok(200, r#"{"version":"2.11.2"}"#)
        }
    });
    assert_eq!(result.unwrap()["api_version"], "v1");
    assert_eq!(log.sleeps.len(), 2);
    let mut c = client(json!({"retries": 1}));
    let (result, _) = drive(&mut c, Call::version(), |_, _| Answer::Ok(429, "slow down"));
    assert_eq!(result.unwrap_err().code(), ErrorCode::Server);
    // A proxy asking for credentials is named, with the way around it.
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(401, "login first"));
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.status()), (ErrorCode::Unauthorized, Some(401)));
    assert!(
        err.message()
            .contains("(/api/v1/version 401): something in front of Airflow wants credentials; set apiVersion."),
        "{err}"
    );
    assert_eq!(log.sent.len(), 2);
    // A proxy guarding /api/v1 alone: Airflow 3 behind it is still found.
    let mut c = client(json!({}));
    let (result, _) = drive(&mut c, Call::version(), |req, _| {
        if req.url.ends_with("/api/v1/version") {
            Answer::Ok(403, "forbidden")
        } else {
            Answer::Ok(200, r#"{"version":"3.3.2"}"#)
        }
    });
    assert_eq!(result.unwrap()["api_version"], "v2");
}

#[test]
fn password_auth_exchanges_a_token_and_logs_in_again_once() {
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let (result, log) = drive(
        &mut c,
        Call::trigger("etl", t(&json!({"conf": {"n": 2}, "dagRunId": "r1"}))).unwrap(),
        |req, n| match n {
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
        },
    );
    let run = result.unwrap();
    assert_eq!(run["dag_run_id"], "r1");
    assert_eq!(run["already_existed"], false);
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
    assert_eq!(result.unwrap()["dag_run_id"], "r1");
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
    let call = Call::trigger("etl", t(&json!({"conf": {"n": 2}}))).unwrap();
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
    assert_eq!(run["already_existed"], true);
    assert_eq!(log.sleeps.len(), 2);
    assert!(log.sleeps.iter().all(|&ms| (125..=5000).contains(&ms)), "{:?}", log.sleeps);
    assert_eq!(run_ids.len(), 3);
    assert!(run_ids.iter().all(|id| id == &run_ids[0]), "every retry carries the same run id: {run_ids:?}");

    // The same id with another conf is a conflict (the details are still fresh: no GET first).
    let call = Call::trigger("etl", t(&json!({"conf": {"n": 3}}))).unwrap();
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
        let (result, log) = drive(&mut c, Call::trigger("etl", t(&options)).unwrap(), |_, n| match n {
            0 => Answer::Ok(200, DETAILS),
            1 => Answer::Network,
            2 => Answer::Ok(409, r#"{"detail":"exists"}"#),
            _ => Answer::Ok(200, existing),
        });
        assert_eq!(log.sent.len(), 4);
        result
    };
    let same = json!({"conf": {"n": 2}, "note": "first", "logicalDate": "2024-01-01T12:00:00+02:00"});
    assert_eq!(read_back(same).unwrap()["already_existed"], true, "the same instant at another offset");
    assert_eq!(read_back(json!({"conf": {"n": 2}, "note": "first"})).unwrap()["already_existed"], true);
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
    let (result, log) = drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"n": 2}}))).unwrap(), |_, n| match n {
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
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.status()), (ErrorCode::Server, Some(503))); // the last answer's status
    let mut c = client(json!({"apiVersion": "v2", "retries": 0}));
    let (_, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Network);
    assert_eq!(log.sent.len(), 1);
}

#[test]
fn local_validation_stops_a_bad_conf() {
    let mut c = client(json!({"apiVersion": "v1"}));
    let (result, log) = drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"n": "two"}}))).unwrap(), |_, _| {
        Answer::Ok(200, DETAILS)
    });
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConf);
    assert_eq!(err.errors()[0].instance_path, "/n");
    assert_eq!(log.sent.len(), 1, "only the details");
    let mut c = client(json!({"apiVersion": "v1"}));
    let (result, _) =
        drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"n": "two"}, "validate": false}))).unwrap(), |_, n| {
            match n {
                0 => Answer::Ok(200, r#"{"dag_id":"etl","is_paused":true,"params":{}}"#),
                _ => Answer::Ok(200, RUN),
            }
        });
    assert_eq!(result.unwrap()["dag_paused"], true);
}

/// Params this crate cannot compile do not stop a trigger: Airflow's own answer decides, as
/// with `validate: false`. A schema Airflow refuses too ends in Airflow's 400; one past this
/// crate's limits (groups nested 300 deep, which Python compiles) creates the run.
#[test]
fn params_that_do_not_compile_here_leave_the_verdict_to_airflow() {
    let details = |pattern: &str| {
        json!({"dag_id": "etl", "is_paused": false, "params": {"s": {"value": "a", "schema": {"type": "string", "pattern": pattern}}}})
            .to_string()
            .leak() as &'static str
    };
    let broken = details("(");
    let mut c = client(json!({"apiVersion": "v1"}));
    let refused = r#"{"detail":"Invalid input for param s: missing ), unterminated subpattern at position 0","status":400,"title":"Bad Request"}"#;
    let (result, log) = drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"s": "a"}}))).unwrap(), |r, _| {
        if r.method == "POST" {
            Answer::Ok(400, refused)
        } else {
            Answer::Ok(200, broken)
        }
    });
    let err = result.unwrap_err();
    assert_eq!((err.status(), log.sent.len()), (Some(400), 2), "{err}");
    assert!(err.message().contains("unterminated subpattern"), "Airflow's words: {err}");
    // Compiled once per DAG: the next trigger within params_ttl_ms sends only its POST.
    let (result, log) =
        drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"s": "a"}}))).unwrap(), |_, _| Answer::Ok(400, refused));
    assert_eq!((result.unwrap_err().status(), log.sent.len()), (Some(400), 1));
    let deep = details(&format!("^{}a{}$", "(".repeat(300), ")".repeat(300)));
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, log) = drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"s": "a"}}))).unwrap(), |_, n| {
        if n == 0 {
            Answer::Ok(200, deep)
        } else {
            Answer::Ok(200, RUN)
        }
    });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(log.sent.len(), 2);
}

#[test]
fn wait_for_run_polls_to_a_final_state() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let states = ["queued", "queued", "running", "running", "success"];
    let call = Call::wait_for_run("etl", "r1", 100, 60_000).unwrap();
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
    let trigger = || Call::trigger("etl", t(&json!({"conf": {"n": 2}}))).unwrap();
    let mut c = client(json!({"apiVersion": "v2"}));
    let (_, log) =
        drive(&mut c, trigger(), |_, n| if n == 0 { Answer::Ok(200, DETAILS) } else { Answer::Ok(200, RUN) });
    assert_eq!(log.sent.len(), 2);
    // Fresh details: only the POST, still validated (against the Params compiled once).
    let (result, log) = drive(&mut c, trigger(), |_, _| Answer::Ok(200, RUN));
    assert_eq!((log.sent.len(), &log.sent[0].method[..]), (1, "POST"));
    assert_eq!(result.unwrap()["dag_paused"], false);
    let (result, log) =
        drive(&mut c, Call::trigger("etl", t(&json!({"conf": {"n": "two"}}))).unwrap(), |_, _| Answer::Ok(200, RUN));
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
    assert_eq!(Call::trigger("bad/id", t(&json!({}))).err().unwrap().field(), Some("dagId"));
    assert_eq!(Call::trigger("etl", t(&json!({"conf": [1]}))).err().unwrap().field(), Some("conf"));
    assert_eq!(Call::trigger("etl", t(&json!({"dagRunId": "a b"}))).err().unwrap().field(), Some("dagRunId"));
    assert_eq!(
        Call::trigger("etl", t(&json!({"logicalDate": "2024-01-01"}))).err().unwrap().field(),
        Some("logicalDate")
    );
    assert_eq!(ClientConfig::new("ftp://h").unwrap_err().field(), Some("baseUrl"));
}

#[test]
fn wait_for_run_times_out_with_the_last_state() {
    let mut c = client(json!({"apiVersion": "v2"}));
    let call = Call::wait_for_run("etl", "r1", 100, 0).unwrap();
    let (result, _) =
        drive(&mut c, call, |_, _| Answer::Ok(200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued"}"#));
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(err.message().contains("still queued"), "{err}");
}

#[test]
fn a_long_wait_outlives_several_tokens() {
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let call = Call::wait_for_run("etl", "r1", 100, 60_000).unwrap();
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
        drive(&mut strict, Call::trigger("etl", t(&json!({"conf": {"d": "2024-02-30"}}))).unwrap(), |_, _| {
            Answer::Ok(200, details)
        });
    assert_eq!(result.unwrap_err().code(), ErrorCode::InvalidConf);
    let mut lenient = client(json!({"apiVersion": "v2", "formats": "none"}));
    let (result, log) =
        drive(&mut lenient, Call::trigger("etl", t(&json!({"conf": {"d": "2024-02-30"}}))).unwrap(), |_, n| match n {
            0 => Answer::Ok(200, details),
            _ => Answer::Ok(200, RUN),
        });
    assert!(result.is_ok());
    assert_eq!(log.sent.len(), 2);
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
        assert_eq!(out["items"][0]["dag_run_id"], "b");
        assert_eq!(out["items"][1]["state"], "failed");
        assert_eq!(out["total_entries"], 2);
        assert!(
            log.sent[0].url.ends_with(&format!("/dags/etl/dagRuns?limit=5&order_by={order}")),
            "{}",
            log.sent[0].url
        );
    }
    assert!(Call::list_runs("a/b", 5).is_err());
}

#[test]
fn a_redirect_is_never_followed() {
    for status in [301, 302, 303, 307, 308] {
        let mut c = client(json!({"apiVersion": "v2"}));
        let (result, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Ok(status, ""));
        let err = result.unwrap_err();
        assert_eq!((err.code(), err.status(), log.sent.len()), (ErrorCode::BadRequest, Some(status), 1));
        assert!(err.message().contains("GET /api/v2/dags/etl/dagRuns/r1 with a redirect"), "{err}");
    }
}

#[test]
fn a_redirect_during_version_detection_or_login_is_named_a_redirect() {
    let mut c = client(json!({}));
    let (result, log) = drive(&mut c, Call::version(), |_, _| Answer::Ok(302, ""));
    let err = result.unwrap_err();
    assert_eq!((err.code(), log.sent.len()), (ErrorCode::BadRequest, 1));
    assert!(err.message().contains("GET /api/v1/version with a redirect (302)"), "{err}");
    let mut c = client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
    let (result, _) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Ok(307, ""));
    assert!(result.unwrap_err().message().contains("POST /auth/token with a redirect (307)"));
}

#[test]
fn an_answer_over_the_size_limit_ends_the_call() {
    let big: &'static str = Box::leak("x".repeat(airflow_trigger::MAX_ANSWER_BYTES + 1).into_boxed_str());
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, log) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| Answer::Ok(200, big));
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.status(), log.sent.len()), (ErrorCode::Server, Some(200), 1));
    assert!(err.message().contains("larger than 16 MiB"), "{err}");
    // A trigger that worked but whose echo is too large names the run it created.
    let mut c = client(json!({"apiVersion": "v2"}));
    let call = Call::trigger("etl", t(&json!({"validate": false, "dagRunId": "big1"}))).unwrap();
    let (result, _) =
        drive(&mut c, call, |r, _| if r.method == "POST" { Answer::Ok(200, big) } else { Answer::Ok(200, DETAILS) });
    let err = result.unwrap_err();
    assert!(err.message().contains(r#"its id is "big1""#), "{err}");
    assert_eq!(err.dag_run_id(), Some("big1"));
    // A refusal that is too large created nothing.
    let mut c = client(json!({"apiVersion": "v2"}));
    let call = Call::trigger("etl", t(&json!({"validate": false, "dagRunId": "big1"}))).unwrap();
    let (result, _) = drive(&mut c, call, |r, _| {
        Answer::Ok(if r.method == "POST" { 400 } else { 200 }, if r.method == "POST" { big } else { DETAILS })
    });
    let err = result.unwrap_err();
    assert!(!err.message().contains("created") && err.dag_run_id().is_none(), "{err}");
}

#[test]
fn a_conf_of_128_levels_is_sent_and_its_echo_read_back() {
    // Airflow echoes the conf inside the run (and a list of runs): answers get the conf's 128
    // levels plus theirs, or a run that was created would read as a failure.
    let mut text = String::from("1");
    for _ in 0..128 {
        text = format!("{{\"a\":{text}}}");
    }
    let conf = Value::parse(&text).unwrap();
    let mut c = client(json!({"apiVersion": "v2"}));
    let mut trigger = t(&json!({"dagRunId": "r1", "validate": false}));
    trigger.conf = Some(conf);
    let run = format!(r#"{{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{text}}}"#);
    let (result, log) = drive(&mut c, Call::trigger("etl", trigger).unwrap(), |_, _| {
        Answer::Ok(200, Box::leak(run.clone().into_boxed_str()))
    });
    assert_eq!(result.unwrap()["dag_run_id"], "r1");
    assert_eq!(log.sent.iter().filter(|r| r.method == "POST").count(), 1, "one POST, read back");
    let page = format!(r#"{{"dag_runs":[{run}],"total_entries":1}}"#);
    assert!(Value::parse(&page).is_err(), "deeper than a value may be");
    let (result, _) = drive(&mut c, Call::list_runs("etl", 10).unwrap(), |_, _| {
        Answer::Ok(200, Box::leak(page.clone().into_boxed_str()))
    });
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn a_trigger_that_fails_after_its_post_names_the_run_it_may_have_created() {
    for (answer, kind) in [
        (Answer::Network, "network"),
        (Answer::Timeout, "timeout"),
        (Answer::Ok(503, "x"), "503"),
        (Answer::Ok(200, "<html>"), "not JSON"),
    ] {
        let mut c = client(json!({"apiVersion": "v2", "retries": 0}));
        let call = Call::trigger("etl", t(&json!({"dagRunId": "r9"}))).unwrap();
        let mut answer = Some(answer);
        let (result, _) =
            drive(
                &mut c,
                call,
                |r, _| if r.method == "POST" { answer.take().unwrap() } else { Answer::Ok(200, DETAILS) },
            );
        let err = result.unwrap_err();
        assert_eq!(err.dag_run_id(), Some("r9"), "{kind}: {err}");
        assert!(err.message().contains(r#"its id is "r9""#), "{kind}: {err}");
    }
    // Before the POST, or refused by Airflow: no run to name.
    let mut c = client(json!({"apiVersion": "v2", "retries": 0}));
    let (result, _) =
        drive(&mut c, Call::trigger("etl", t(&json!({"dagRunId": "r9"}))).unwrap(), |_, _| Answer::Network);
    assert_eq!(result.unwrap_err().dag_run_id(), None);
    let (result, _) = drive(&mut c, Call::trigger("etl", t(&json!({"dagRunId": "r9"}))).unwrap(), |r, _| {
        if r.method == "POST" {
            Answer::Ok(400, r#"{"detail":"bad"}"#)
        } else {
            Answer::Ok(200, DETAILS)
        }
    });
    assert_eq!(result.unwrap_err().dag_run_id(), None);
}

const EVENT3: &str =
    r#"{"id":5,"asset_id":2,"uri":"s3://b/k","extra":{"from_rest_api":true},"timestamp":"2026-11-30T07:00:00Z"}"#;

#[test]
fn an_asset_event_resolves_a_uri_exactly_on_airflow_3() {
    let mut c = client(json!({"apiVersion": "v2"}));
    // The prefix search finds a longer URI first, then the exact one on the next page.
    let page1 = r#"{"assets":[{"id":1,"uri":"s3://b/k2"}],"total_entries":2}"#;
    let page2 = r#"{"assets":[{"id":2,"uri":"s3://b/k"}],"total_entries":2}"#;
    let call = Call::create_asset_event("s3://b/k".into(), Some(json!({"rows": 1}))).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| Answer::Ok(200, [page1, page2, EVENT3][n]));
    assert_eq!(result.unwrap()["id"], 5);
    let urls: Vec<&str> = log.sent.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://af/api/v2/assets?uri_pattern=s3%3A%2F%2Fb%2Fk&limit=100&offset=0",
            "http://af/api/v2/assets?uri_pattern=s3%3A%2F%2Fb%2Fk&limit=100&offset=1",
            "http://af/api/v2/assets/events",
        ]
    );
    assert_eq!(log.sent[2].body.as_deref(), Some(r#"{"asset_id":2,"extra":{"rows":1}}"#));
    // No exact match: NOT_FOUND naming the URI, and no POST.
    let call = Call::create_asset_event("s3://b/k".into(), None).unwrap();
    let (result, log) =
        drive(&mut c, call, |_, _| Answer::Ok(200, r#"{"assets":[{"id":1,"uri":"s3://b/k2"}],"total_entries":1}"#));
    let err = result.unwrap_err();
    assert_eq!((err.code(), log.sent.len()), (ErrorCode::NotFound, 1));
    assert!(err.message().contains(r#"no asset with URI "s3://b/k""#), "{err}");
    // An endless list ends after its pages, saying to give the id (not that the URI is unknown).
    let call = Call::create_asset_event("s3://b/k".into(), None).unwrap();
    let (result, log) = drive(&mut c, call, |_, _| {
        Answer::Ok(200, r#"{"assets":[{"id":1,"uri":"s3://b/k2"}],"total_entries":100000}"#)
    });
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.field(), log.sent.len()), (ErrorCode::InvalidArgument, Some("uri"), 10), "{err}");
    // A full page without total_entries is read on.
    let full: &'static str = Box::leak(
        format!(
            r#"{{"assets":[{}]}}"#,
            (0..100).map(|i| format!(r#"{{"id":{i},"uri":"s3://b/k{i}"}}"#)).collect::<Vec<_>>().join(",")
        )
        .into_boxed_str(),
    );
    let call = Call::get_asset("|s3://b/k".into()).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| {
        Answer::Ok(200, if n == 0 { full } else { r#"{"assets":[{"id":7,"uri":"|s3://b/k"}]}"# })
    });
    assert_eq!((result.unwrap()["id"].as_u64(), log.sent.len()), (Some(7), 2));
}

#[test]
fn an_asset_event_posts_the_uri_on_airflow_2_and_names_an_unknown_one() {
    let mut c = client(json!({"apiVersion": "v1"}));
    let call = Call::create_asset_event("s3://b/k".into(), None).unwrap();
    let (result, log) = drive(&mut c, call, |_, _| {
        Answer::Ok(200, r#"{"id":3,"dataset_id":1,"dataset_uri":"s3://b/k","extra":{"from_rest_api":true}}"#)
    });
    assert_eq!(result.unwrap()["dataset_id"], 1);
    assert_eq!(log.sent[0].body.as_deref(), Some(r#"{"dataset_uri":"s3://b/k"}"#));
    let call = Call::create_asset_event("s3://b/nope".into(), None).unwrap();
    let (result, _) = drive(&mut c, call, |_, _| Answer::Ok(404, r#"{"detail":"Dataset not found","status":404}"#));
    let err = result.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.message().contains(r#"no dataset with URI "s3://b/nope""#), "{err}");
    // Airflow 2 names datasets by URI; it cannot materialize.
    let (result, log) = drive(&mut c, Call::create_asset_event(AssetRef::Id(1), None).unwrap(), |_, _| Answer::Network);
    assert_eq!((result.unwrap_err().field(), log.sent.len()), (Some("assetId"), 0));
    let (result, _) = drive(&mut c, Call::materialize_asset("s3://b/k".into()).unwrap(), |_, _| Answer::Network);
    assert!(result.unwrap_err().message().contains("Airflow 2 cannot materialize"));
}

#[test]
fn an_asset_event_is_never_sent_twice() {
    for answer in [Answer::Network, Answer::Timeout, Answer::Ok(503, "busy"), Answer::Ok(500, "oops")] {
        let mut c = client(json!({"apiVersion": "v2", "retries": 3}));
        let call = Call::create_asset_event(AssetRef::Id(2), None).unwrap();
        let kind = match &answer {
            Answer::Network => "network",
            Answer::Timeout => "timeout",
            Answer::Ok(..) => "5xx",
        };
        let mut once = Some(answer);
        let (result, log) = drive(&mut c, call, |_, _| once.take().unwrap_or(Answer::Ok(200, EVENT3)));
        let err = result.unwrap_err();
        assert_eq!(log.sent.len(), 1, "{kind}: one POST");
        assert!(err.message().contains("may or may not exist"), "{kind}: {err}");
    }
    // What comes before the POST is retried as usual.
    let mut c = client(json!({"retries": 3}));
    let call = Call::create_asset_event(AssetRef::Id(2), None).unwrap();
    let answers = [Answer::Network, Answer::Ok(200, r#"{"version":"3.3.2"}"#), Answer::Ok(200, EVENT3)];
    let mut answers = answers.into_iter();
    let (result, log) = drive(&mut c, call, |_, _| answers.next().unwrap());
    assert!(result.is_ok());
    assert_eq!(log.sent.len(), 3);
}

#[test]
fn assets_are_listed_and_read_in_one_shape() {
    let mut c = client(json!({"apiVersion": "v1"}));
    let (result, log) = drive(&mut c, Call::list_assets(Some("s3://".into()), 5), |_, _| {
        Answer::Ok(
            200,
            r#"{"datasets":[{"id":1,"uri":"s3://b/k","consuming_dags":[{"dag_id":"load"}]}],"total_entries":1}"#,
        )
    });
    assert_eq!(result.unwrap()["items"][0]["uri"], "s3://b/k");
    assert_eq!(log.sent[0].url, "http://af/api/v1/datasets?limit=5&uri_pattern=s3%3A%2F%2F");
    let (_, log) = drive(&mut c, Call::get_asset("s3://b/k".into()).unwrap(), |_, _| Answer::Ok(200, "{}"));
    assert_eq!(log.sent[0].url, "http://af/api/v1/datasets/s3%3A%2F%2Fb%2Fk");
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, log) = drive(&mut c, Call::get_asset("s3://b/k".into()).unwrap(), |_, _| {
        Answer::Ok(
            200,
            r#"{"assets":[{"id":2,"uri":"s3://b/k","scheduled_dags":[{"dag_id":"load"}]}],"total_entries":1}"#,
        )
    });
    assert_eq!((result.unwrap()["id"].as_u64(), log.sent.len()), (Some(2), 1), "the lookup's answer is the asset");
    for bad in ["", " ", "s3://b/\nk"] {
        assert_eq!(Call::get_asset(bad.into()).err().unwrap().field(), Some("uri"), "{bad:?}");
    }
    assert!(Call::get_asset("x".repeat(1501).into()).is_err());
}

#[test]
fn unpause_patches_a_paused_dag_before_the_trigger() {
    const PAUSED: &str = r#"{"dag_id":"etl","is_paused":true,"params":{}}"#;
    for (version, patch) in
        [("v1", "http://af/api/v1/dags/etl?update_mask=is_paused"), ("v2", "http://af/api/v2/dags/etl")]
    {
        let mut c = client(json!({"apiVersion": version}));
        let call = Call::trigger("etl", t(&json!({})).unpause(true)).unwrap();
        let (result, log) = drive(&mut c, call, |_, n| Answer::Ok(200, [PAUSED, r#"{"is_paused":false}"#, RUN][n]));
        let out = result.unwrap();
        assert_eq!((out["dag_paused"].as_bool(), out["unpaused"].as_bool()), (Some(false), Some(true)));
        assert_eq!((log.sent[1].method.as_str(), log.sent[1].url.as_str()), ("PATCH", patch));
        assert_eq!(log.sent[1].body.as_deref(), Some(r#"{"is_paused":false}"#));
        assert_eq!(log.sent[2].method, "POST");
        // Without unpause: no PATCH, and the run is said to wait on a paused DAG.
        let mut c = client(json!({"apiVersion": version}));
        let (result, log) =
            drive(&mut c, Call::trigger("etl", t(&json!({}))).unwrap(), |_, n| Answer::Ok(200, [PAUSED, RUN][n]));
        let out = result.unwrap();
        assert_eq!(
            (out["dag_paused"].as_bool(), out["unpaused"].as_bool(), log.sent.len()),
            (Some(true), Some(false), 2)
        );
    }
    // With unpause, cached details are not trusted: another actor may have paused the DAG.
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, _) =
        drive(&mut c, Call::trigger("etl", t(&json!({}))).unwrap(), |_, n| Answer::Ok(200, [DETAILS, RUN][n]));
    assert_eq!(result.unwrap()["dag_paused"].as_bool(), Some(false));
    let call = Call::trigger("etl", t(&json!({})).unpause(true)).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| Answer::Ok(200, [PAUSED, r#"{}"#, RUN][n]));
    assert_eq!((result.unwrap()["unpaused"].as_bool(), log.sent.len()), (Some(true), 3));
    // A refused PATCH says what permission it needs and that nothing was triggered; a failure
    // after the PATCH says the DAG is unpaused now.
    let mut c = client(json!({"apiVersion": "v1"}));
    let call = Call::trigger("etl", t(&json!({})).unpause(true)).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| Answer::Ok([200, 403][n], [PAUSED, r#"{"detail":"no"}"#][n]));
    let err = result.unwrap_err();
    assert_eq!((err.code(), log.sent.len()), (ErrorCode::Forbidden, 2));
    assert!(err.message().contains("refused to unpause the DAG") && err.message().contains("edit permission"), "{err}");
    let call = Call::trigger("etl", t(&json!({})).unpause(true)).unwrap();
    let (result, _) =
        drive(&mut c, call, |_, n| Answer::Ok([200, 200, 400][n], [PAUSED, "{}", r#"{"detail":"bad"}"#][n]));
    assert!(result.unwrap_err().message().contains("had unpaused \"etl\" first"));
    // A DAG that is not paused is not patched.
    let mut c = client(json!({"apiVersion": "v2"}));
    let call = Call::trigger("etl", t(&json!({})).unpause(true)).unwrap();
    let (result, log) = drive(&mut c, call, |_, n| Answer::Ok(200, [DETAILS, RUN][n]));
    assert_eq!((result.unwrap()["unpaused"].as_bool(), log.sent.len()), (Some(false), 2));
}

#[test]
fn run_ids_come_from_the_drivers_clock_and_the_clients_seed() {
    let body = |seed| {
        let mut c = Client::with_seed(ClientConfig::new("http://af").unwrap().api_version(ApiVersion::V2), seed);
        let (_, log) =
            drive(&mut c, Call::trigger("etl", Trigger::new().validate(false)).unwrap(), |_, _| Answer::Ok(200, RUN));
        Value::parse(log.sent.last().unwrap().body.as_deref().unwrap()).unwrap()["dag_run_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(body(1).starts_with("trigger__2026-11-24T01:03:21.009Z_"), "{}", body(1));
    assert_eq!(body(1), body(1));
    assert_ne!(body(1), body(2));
}

/// The async client over a scripted transport: the same state machine, the typed results.
mod async_client {
    use super::*;
    use airflow_trigger::{AirflowClient, Transport};
    use std::sync::Mutex;

    struct Scripted {
        answers: Mutex<Vec<(u16, &'static str)>>,
        sent: Mutex<Vec<HttpRequest>>,
        clock: Mutex<u64>,
        /// Cancels the token once this many requests were sent.
        cancel_at: Mutex<Option<(usize, airflow_trigger::CancelToken)>>,
    }

    impl Transport for Scripted {
        async fn send(&self, request: &HttpRequest, _timeout_ms: u64, _credentials: bool) -> airflow_trigger::Answer {
            let sent = {
                let mut sent = self.sent.lock().unwrap();
                sent.push(request.clone());
                sent.len()
            };
            if let Some((_, token)) = self.cancel_at.lock().unwrap().as_ref().filter(|(n, _)| *n == sent) {
                token.cancel();
            }
            let (status, body) = self.answers.lock().unwrap().remove(0);
            airflow_trigger::Answer::Response { status, content_type: "application/json".into(), body: body.into() }
        }
        async fn sleep(&self, ms: u64) {
            *self.clock.lock().unwrap() += ms;
        }
        fn now_ms(&self) -> u64 {
            *self.clock.lock().unwrap()
        }
    }

    // Tests run on the current toolchain only; rust-version is the library's promise.
    #[allow(clippy::incompatible_msrv)]
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    fn scripted(answers: Vec<(u16, &'static str)>) -> Scripted {
        Scripted {
            answers: Mutex::new(answers),
            sent: Mutex::new(Vec::new()),
            clock: Mutex::new(T0),
            cancel_at: Mutex::new(None),
        }
    }

    #[test]
    fn triggers_and_waits_with_typed_results() {
        let transport = scripted(vec![
            (200, r#"{"version":"3.3.2"}"#),
            (200, DETAILS),
            (200, RUN),
            (200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"running"}"#),
            (200, r#"{"dag_id":"etl","dag_run_id":"r1","state":"success"}"#),
        ]);
        let airflow = AirflowClient::with_seed(ClientConfig::new("http://af").unwrap(), transport, 3);
        let t = block_on(airflow.trigger("etl", Trigger::new().conf(json!({"n": 2})))).unwrap();
        assert_eq!((t.run.dag_run_id.as_str(), t.already_existed, t.dag_paused), ("r1", false, false));
        assert_eq!(airflow.api_version(), Some(ApiVersion::V1));
        let mut seen = Vec::new();
        let run = block_on(airflow.wait_for_run("etl", "r1", 500, 60_000, |r| seen.push(r.state.clone()))).unwrap();
        assert_eq!((run.state.as_str(), seen), ("success", vec!["running".to_string()]));
        assert_eq!(airflow.transport().now_ms(), T0 + 500, "one poll interval passed on the transport's clock");
        let sent = airflow.transport().sent.lock().unwrap();
        assert_eq!(sent.len(), 5);
        assert!(sent[2].url.ends_with("/api/v1/dags/etl/dagRuns"));
    }

    #[test]
    fn a_refused_conf_sends_no_post() {
        let airflow = AirflowClient::new(
            ClientConfig::new("http://af").unwrap().api_version(ApiVersion::V2),
            scripted(vec![(200, DETAILS)]),
        );
        let err = block_on(airflow.trigger("etl", Trigger::new().conf(json!({"n": "two"})))).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidConf);
        assert_eq!(err.errors()[0].instance_path, "/n");
        assert_eq!(airflow.transport().sent.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_cancelled_wait_ends_at_once_and_sends_nothing_more() {
        use airflow_trigger::CancelToken;
        let queued = r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued"}"#;
        let airflow = AirflowClient::new(
            ClientConfig::new("http://af").unwrap().api_version(ApiVersion::V2),
            scripted(vec![(200, queued); 50]),
        );
        let token = CancelToken::new();
        *airflow.transport().cancel_at.lock().unwrap() = Some((3, token.clone()));
        let cancellable = airflow.with_cancel(&token);
        let err = block_on(cancellable.wait_for_run("etl", "r1", 500, 600_000, |_| {}));
        assert_eq!(err.unwrap_err().code(), ErrorCode::Cancelled);
        assert_eq!(airflow.transport().sent.lock().unwrap().len(), 3, "no request after the cancel");
        // The client itself, and new handles, are not cancelled.
        assert!(block_on(airflow.get_run("etl", "r1")).is_ok());
        let err = block_on(cancellable.get_run("etl", "r1")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        assert_eq!(airflow.transport().sent.lock().unwrap().len(), 4);
    }

    /// A transport whose POST never answers, for cancelling in the middle of it.
    struct Hanging {
        sent: Mutex<Vec<String>>,
        token: airflow_trigger::CancelToken,
    }

    impl Transport for Hanging {
        async fn send(&self, request: &HttpRequest, _: u64, _: bool) -> airflow_trigger::Answer {
            self.sent.lock().unwrap().push(format!("{} {}", request.method, request.url));
            if request.method == "POST" {
                self.token.cancel();
                std::future::pending::<()>().await;
            }
            airflow_trigger::Answer::Response {
                status: 200,
                content_type: "application/json".into(),
                body: DETAILS.into(),
            }
        }
        async fn sleep(&self, _: u64) {}
        fn now_ms(&self) -> u64 {
            T0
        }
    }

    #[test]
    fn a_cancel_during_a_post_says_what_it_may_have_created() {
        use airflow_trigger::CancelToken;
        let token = CancelToken::new();
        let config = ClientConfig::new("http://af").unwrap().api_version(ApiVersion::V2);
        let airflow = AirflowClient::new(config, Hanging { sent: Mutex::new(Vec::new()), token: token.clone() });
        let cancellable = airflow.with_cancel(&token);
        let err = block_on(cancellable.trigger("etl", Trigger::new().dag_run_id("r5"))).unwrap_err();
        assert_eq!((err.code(), err.dag_run_id()), (ErrorCode::Cancelled, Some("r5")), "{err}");
        let token = CancelToken::new();
        let config = ClientConfig::new("http://af").unwrap().api_version(ApiVersion::V2);
        let airflow = AirflowClient::new(config, Hanging { sent: Mutex::new(Vec::new()), token: token.clone() });
        let err = block_on(airflow.with_cancel(&token).create_asset_event(AssetRef::Id(3), None)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Cancelled);
        assert!(err.message().contains("may or may not exist"), "{err}");
        assert_eq!(airflow.transport().sent.lock().unwrap().len(), 1);
    }

    #[cfg(feature = "reqwest")]
    #[test]
    fn the_reqwest_clients_futures_are_send() {
        fn send<T: Send>(_: &T) {}
        let airflow =
            AirflowClient::new(ClientConfig::new("http://af").unwrap(), airflow_trigger::ReqwestTransport::new());
        send(&airflow.trigger("etl", Trigger::new()));
        send(&airflow.wait_for_run("etl", "r1", 100, 100, |_| {}));
    }
}

/// Found by review: credentials in the login's body and answer.
#[test]
fn the_login_never_shows_its_password_or_token() {
    let mut c = client(
        json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "hunter2-SECRET"}}),
    );
    let action = Call::version().next(&mut c, T0, Event::Start);
    let Action::Send { request, .. } = &action else { panic!("{action:?}") };
    assert!(request.body.as_deref().unwrap().contains("hunter2-SECRET"), "the request itself carries it");
    for shown in [
        format!("{action:?}"),
        airflow_trigger::to_curl(request, false),
        #[cfg(feature = "serde")]
        serde_json::to_string(request).unwrap(),
        format!(
            "{:?}",
            Event::Response { status: 201, content_type: "application/json", body: r#"{"access_token":"eyJ-SECRET"}"# }
        ),
        format!(
            "{:?}",
            airflow_trigger::Answer::Response { status: 201, content_type: "a".into(), body: "eyJ-SECRET".into() }
        ),
    ] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
    assert!(airflow_trigger::to_curl(request, true).contains("hunter2-SECRET"), "revealed on request");
}

#[test]
fn a_server_alternating_401_and_503_ends_after_the_retries() {
    let mut c = client(
        json!({"apiVersion": "v2", "retries": 2, "auth": {"type": "password", "username": "u", "password": "pw"}}),
    );
    let mut other = 0;
    let (result, log) = drive(&mut c, Call::get_dag("etl").unwrap(), |req, _| {
        if req.url.ends_with("/auth/token") {
            return Answer::Ok(201, r#"{"access_token":"t0k3n"}"#);
        }
        other += 1;
        if other % 2 == 1 {
            Answer::Ok(401, r#"{"detail":"Invalid token"}"#)
        } else {
            Answer::Ok(503, "busy")
        }
    });
    assert_eq!(result.unwrap_err().code(), ErrorCode::Server);
    assert!(log.sent.len() < 12, "{} requests", log.sent.len());
}

#[test]
fn wait_for_run_never_sleeps_past_its_timeout_nor_waits_forever_on_a_frozen_clock() {
    let running = r#"{"dag_id":"etl","dag_run_id":"r1","state":"running"}"#;
    let mut c = client(json!({"apiVersion": "v2"}));
    let (result, log) =
        drive(&mut c, Call::wait_for_run("etl", "r1", 3_600_000, 1_000).unwrap(), |_, _| Answer::Ok(200, running));
    assert_eq!(result.unwrap_err().code(), ErrorCode::Timeout);
    assert_eq!(log.sleeps.iter().sum::<u64>(), 1_000, "{:?}", log.sleeps);

    struct Frozen(usize);
    impl airflow_trigger::BlockingTransport for Frozen {
        fn send(&mut self, _: &HttpRequest, _: u64) -> airflow_trigger::Answer {
            self.0 += 1;
            let body = r#"{"dag_id":"etl","dag_run_id":"r1","state":"running"}"#.into();
            airflow_trigger::Answer::Response { status: 200, content_type: "application/json".into(), body }
        }
        fn sleep(&mut self, _: u64) {}
        fn now_ms(&mut self) -> u64 {
            0
        }
    }
    let mut frozen = Frozen(0);
    let mut c = client(json!({"apiVersion": "v2"}));
    let err = c.run(Call::wait_for_run("etl", "r1", 100, 10_000).unwrap(), &mut frozen).unwrap_err();
    assert_eq!((err.code(), frozen.0), (ErrorCode::Timeout, 101));
}

#[test]
fn a_409_whose_run_is_not_there_is_a_logical_date_conflict() {
    let mut c = client(json!({"apiVersion": "v1", "retries": 1}));
    let options = json!({"dagRunId": "mine", "logicalDate": "2024-01-01T00:00:00Z", "validate": false});
    let (result, log) = drive(&mut c, Call::trigger("etl", t(&options)).unwrap(), |_, n| match n {
        0 => Answer::Ok(200, DETAILS),
        1 => Answer::Timeout,
        2 => Answer::Ok(409, r#"{"detail":"logical date already exists"}"#),
        _ => Answer::Ok(404, r#"{"detail":"DAGRun not found"}"#),
    });
    let err = result.unwrap_err();
    assert_eq!((err.code(), log.sent.len()), (ErrorCode::Conflict, 4));
    assert!(err.message().contains("logical date"), "{err}");
}

#[test]
fn a_credential_echoed_by_the_server_is_masked_in_the_error() {
    let mut c = Client::with_seed(
        ClientConfig::new("http://af")
            .unwrap()
            .api_version(ApiVersion::V2)
            .auth(ClientAuth::Fixed(Auth::Bearer { token: Secret::new("eyJTOKENSECRET") })),
        1,
    );
    let (result, _) = drive(&mut c, Call::get_run("etl", "r1").unwrap(), |_, _| {
        Answer::Ok(401, r#"{"detail":"Invalid token eyJTOKENSECRET"}"#)
    });
    let err = result.unwrap_err();
    assert!(!format!("{err} {err:?} {:?}", err.detail()).contains("SECRET"), "{err:?}");
}

#[test]
fn a_login_answer_without_a_sendable_token_is_the_servers_fault() {
    for body in [r#"{"access_token":42}"#, r#"{"access_token":""}"#, r#"{"access_token":"a\nb"}"#] {
        let mut c =
            client(json!({"apiVersion": "v2", "auth": {"type": "password", "username": "u", "password": "pw"}}));
        let (result, _) = drive(&mut c, Call::version(), |_, _| Answer::Ok(201, body));
        let err = result.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Server, "{body}: {err}");
    }
}
