//! The `serde` feature: round trips of the public data types, `json::Value` to and from
//! `serde_json::Value`, hostile input (deep nesting, huge numbers, duplicate keys), secrets that
//! never serialize in clear, and a conf from a `#[derive(Serialize)]` struct.
#![cfg(feature = "serde")]

use airflow_trigger::json;
use airflow_trigger::json::{from_value, to_value, Number, Value};
use airflow_trigger::{
    parse_dag_run, ApiVersion, Auth, BaseUrl, ConfValidator, DagRun, Error, ErrorCode, Formats, Header, HttpRequest,
    ParamsOptions, ParamsResult, ParamsValidator, Secret, TriggerOptions, UnknownKeys, ValidationError,
    ValidationResult,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// JSON text of `t` and `t` read back from it, which must equal `t` and write the same text.
#[track_caller]
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(t: &T) -> String {
    let text = serde_json::to_string(t).unwrap();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(&back, t, "{text}");
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    // The same through the crate's own Value.
    let v = to_value(t).unwrap();
    assert_eq!(v.to_string(), text, "to_value writes what serde_json writes");
    assert_eq!(&from_value::<T>(&v).unwrap(), t);
    text
}

fn nested(levels: usize) -> Value {
    let mut v = Value::Null;
    for _ in 0..levels {
        v = Value::Array(vec![v]);
    }
    v
}

fn nested_serde_json(levels: usize) -> serde_json::Value {
    let mut v = serde_json::Value::Null;
    for _ in 0..levels {
        v = serde_json::Value::Array(vec![v]);
    }
    v
}

// ---------------------------------------------------------------------------------------------
// The public data types

#[test]
fn dag_runs_round_trip_with_their_rust_names() {
    let run = parse_dag_run(
        r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","logical_date":null,"conf":{"z":1,"a":[1.0,2]},"note":"n","run_type":"manual","extra":{"x":true}}"#,
    )
    .unwrap();
    let text = round_trip(&run);
    assert!(text.starts_with(r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","logical_date":null,"conf":{"z":1,"a":[1.0,2]},"note":"n","start_date":null"#), "{text}");
    let back: DagRun = serde_json::from_str(&text).unwrap();
    assert_eq!(back.raw["extra"]["x"], true);
    assert_eq!(back.conf.to_string(), r#"{"z":1,"a":[1.0,2]}"#, "order and 1.0 kept");
}

#[test]
fn trigger_options_round_trip_and_refuse_unknown_fields() {
    let mut opts = TriggerOptions::new("https://airflow.example.com/x", ApiVersion::V2, "etl");
    opts.conf = Some(json!({"day": "2024-01-01", "n": [1, 2.5]}));
    opts.dag_run_id = Some("r1".into());
    opts.logical_date = Some("2024-01-01T00:00:00Z".into());
    opts.note = Some("note".into());
    opts.data_interval_start = Some("2024-01-01T00:00:00Z".into());
    opts.data_interval_end = Some("2024-01-02T00:00:00Z".into());
    opts.run_after = Some("2024-01-01T00:00:00Z".into());
    opts.validate = false;
    let text = round_trip(&opts);
    assert!(text.starts_with(r#"{"base_url":"https://airflow.example.com/x","api_version":"v2","dag_id":"etl","conf":{"day":"2024-01-01","n":[1,2.5]}"#), "{text}");
    assert!(text.ends_with(r#""auth":{"type":"none"},"validate":false}"#), "{text}");
    round_trip(&TriggerOptions::new("http://h", ApiVersion::V1, "d"));

    // Only the three are required; validate defaults to true, auth to none.
    let o: TriggerOptions = serde_json::from_str(r#"{"base_url":"http://h","api_version":"v1","dag_id":"d"}"#).unwrap();
    assert_eq!(o, TriggerOptions::new("http://h", ApiVersion::V1, "d"));
    assert!(o.validate);
    let err =
        serde_json::from_str::<TriggerOptions>(r#"{"base_url":"h","api_version":"v1","dag_id":"d","dagRunId":"x"}"#)
            .unwrap_err()
            .to_string();
    assert!(err.contains("unknown field `dagRunId`"), "{err}");
    let err = serde_json::from_str::<TriggerOptions>(r#"{"base_url":"h","api_version":"v3","dag_id":"d"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown variant `v3`"), "{err}");

    // Auth read from clear text is the credential.
    let o: TriggerOptions = serde_json::from_str(
        r#"{"base_url":"http://h","api_version":"v2","dag_id":"d","auth":{"type":"bearer","token":"tok"}}"#,
    )
    .unwrap();
    assert_eq!(o.auth, Auth::Bearer { token: Secret::new("tok") });
    assert_eq!(o.build().unwrap().header("authorization"), Some("Bearer tok"));
}

#[test]
fn http_requests_round_trip_without_credentials() {
    let mut opts = TriggerOptions::new("http://h", ApiVersion::V1, "etl");
    opts.conf = Some(json!({"a": 1}));
    opts.dag_run_id = Some("r1".into());
    let req = opts.build().unwrap();
    let text = round_trip(&req);
    assert_eq!(
        text,
        r#"{"method":"POST","url":"http://h/api/v1/dags/etl/dagRuns","headers":[{"name":"Content-Type","value":"application/json","sensitive":false},{"name":"Accept","value":"application/json","sensitive":false}],"body":"{\"dag_run_id\":\"r1\",\"conf\":{\"a\":1}}","body_sensitive":false}"#
    );
    round_trip(&opts.details_request().unwrap());
    let err = serde_json::from_str::<HttpRequest>(r#"{"method":"GET","url":"u","headers":[],"extra":1}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `extra`"), "{err}");
}

#[test]
fn api_versions_base_urls_formats_unknown_keys() {
    assert_eq!(round_trip(&ApiVersion::V1), r#""v1""#);
    assert_eq!(round_trip(&ApiVersion::V2), r#""v2""#);
    for (f, s) in [
        (Formats::Airflow2, "airflow2"),
        (Formats::Airflow3, "airflow3"),
        (Formats::All, "all"),
        (Formats::None, "none"),
    ] {
        assert_eq!(round_trip(&f), format!("\"{s}\""));
        assert_eq!(Formats::parse(s).unwrap(), f, "the same strings as parse");
    }
    assert_eq!(round_trip(&UnknownKeys::Ignore), r#""ignore""#);
    assert_eq!(round_trip(&UnknownKeys::Error), r#""error""#);

    let base = BaseUrl::parse("HTTPS://host:8080/airflow/").unwrap();
    assert_eq!(round_trip(&base), r#""https://host:8080/airflow""#);
    let read: BaseUrl = serde_json::from_str(r#""  http://host/  ""#).unwrap();
    assert_eq!(read.as_str(), "http://host", "normalised by parse");
    for (bad, why) in [
        (r#""ftp://host""#, "\"ftp\" is not supported"),
        (r#""""#, "must not be empty"),
        (r#""http://host/?q=1""#, "query"),
        (r#"5"#, "invalid type"),
    ] {
        let err = serde_json::from_str::<BaseUrl>(bad).unwrap_err().to_string();
        assert!(err.contains(why), "{bad}: {err}");
    }
    let err = serde_json::from_str::<BaseUrl>(r#""https://admin:s3cret@host""#).unwrap_err().to_string();
    assert!(err.contains("user name or password") && !err.contains("s3cret"), "{err}");
}

#[test]
fn auth_reads_every_kind_and_refuses_the_mask() {
    let read = |text: &str| serde_json::from_str::<Auth>(text);
    assert_eq!(read(r#"{"type":"none"}"#).unwrap(), Auth::None);
    assert_eq!(round_trip(&Auth::None), r#"{"type":"none"}"#);
    assert_eq!(
        read(r#"{"type":"basic","username":"admin","password":"pw"}"#).unwrap(),
        Auth::Basic { username: "admin".into(), password: Secret::new("pw") }
    );
    assert_eq!(read(r#"{"type":"bearer","token":"t"}"#).unwrap(), Auth::Bearer { token: Secret::new("t") });
    assert_eq!(
        read(r#"{"type":"headers","headers":{"X-B":"1","X-A":"2"}}"#).unwrap(),
        Auth::Headers { headers: vec![("X-B".into(), Secret::new("1")), ("X-A".into(), Secret::new("2"))] },
        "in order"
    );
    for (bad, why) in [
        (r#"{"type":"magic"}"#, "unknown variant `magic`"),
        (r#"{"type":"bearer","token":"t","user":"u"}"#, "unknown field `user`"),
        (r#"{"type":"basic","username":"u"}"#, "missing field `password`"),
        (r#"{"type":"bearer","token":"***"}"#, "is the mask"),
        (r#"{"type":"headers","headers":{"X-Key":"***"}}"#, "is the mask"),
    ] {
        let err = read(bad).unwrap_err().to_string();
        assert!(err.contains(why), "{bad}: {err}");
    }
    // Serialized secrets read back are refused, not sent as "***".
    let basic = Auth::Basic { username: "admin".into(), password: Secret::new("pw") };
    let err = read(&serde_json::to_string(&basic).unwrap()).unwrap_err();
    assert!(err.to_string().contains("is the mask"), "{err}");
}

#[test]
fn headers_and_secrets() {
    let plain = Header { name: "Accept".into(), value: "application/json".into(), sensitive: false };
    assert_eq!(round_trip(&plain), r#"{"name":"Accept","value":"application/json","sensitive":false}"#);
    let read = |text: &str| serde_json::from_str::<Header>(text);
    // `sensitive` defaults to what the name suggests.
    assert!(read(r#"{"name":"Authorization","value":"Basic x"}"#).unwrap().sensitive);
    assert!(!read(r#"{"name":"Accept","value":"x"}"#).unwrap().sensitive);
    assert!(!read(r#"{"name":"X-Token","value":"x","sensitive":false}"#).unwrap().sensitive, "as given");
    assert!(read(r#"{"name":"Authorization","value":"***"}"#).unwrap_err().to_string().contains("is the mask"));
    assert_eq!(read(r#"{"name":"Accept","value":"***"}"#).unwrap().value, "***", "only sensitive values are masks");

    let s: Secret = serde_json::from_str(r#""hunter2""#).unwrap();
    assert_eq!(s.expose(), "hunter2");
    assert!(serde_json::from_str::<Secret>("1").is_err());
}

#[test]
fn validation_results_and_params_results() {
    let v = ConfValidator::new(&json!({"properties": {"n": {"minimum": 1}}, "required": ["m"]}), Default::default())
        .unwrap();
    let r = v.validate(&json!({"n": 0}));
    assert!(!r.valid && r.errors.len() == 2);
    let text = round_trip(&r);
    assert!(text.starts_with(r#"{"valid":false,"errors":[{"instance_path":"#), "{text}");
    round_trip(&r.errors[0]);
    round_trip(&ValidationResult { valid: true, errors: vec![] });
    let e: ValidationError = serde_json::from_str(
        r##"{"instance_path":"/a","schema_path":"#/x","keyword":"type","params":{"type":"string"},"message":"m"}"##,
    )
    .unwrap();
    assert_eq!(e.params, json!({"type": "string"}));

    let params = json!({"count": {"value": 5, "schema": {"type": "integer", "minimum": 1}}});
    let pv = ParamsValidator::new(&params, ParamsOptions::default()).unwrap();
    let r: ParamsResult = pv.validate(&json!({"extra": 1.0}));
    let text = round_trip(&r);
    assert_eq!(text, r#"{"valid":true,"errors":[],"conf":{"extra":1.0,"count":5}}"#);
    round_trip(&pv.validate(&json!({"count": 0})));
}

#[test]
fn error_codes_and_errors() {
    for code in [
        ErrorCode::InvalidArgument,
        ErrorCode::InvalidConf,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::BadRequest,
        ErrorCode::Server,
        ErrorCode::Network,
        ErrorCode::Timeout,
    ] {
        assert_eq!(round_trip(&code), format!("\"{}\"", code.as_str()));
    }
    let err = serde_json::from_str::<ErrorCode>(r#""not_found""#).unwrap_err().to_string();
    assert!(err.contains("unknown variant `not_found`, expected one of `INVALID_ARGUMENT`"), "{err}");

    let e = Error::invalid_argument("dagId", "must not be empty");
    assert_eq!(
        round_trip(&e),
        r#"{"code":"INVALID_ARGUMENT","message":"dagId: must not be empty","field":"dagId","status":null,"detail":null,"errors":[]}"#
    );
    let e = Error::http(ErrorCode::NotFound, 404, "Not found.", Some("DAG x not found".into()));
    assert_eq!(
        round_trip(&e),
        r#"{"code":"NOT_FOUND","message":"Not found.","field":null,"status":404,"detail":"DAG x not found","errors":[]}"#
    );
    let pv =
        ParamsValidator::new(&json!({"n": {"value": 1, "schema": {"minimum": 1}}}), ParamsOptions::default()).unwrap();
    let e = Error::invalid_conf(pv.validate(&json!({"n": 0})).errors);
    let text = round_trip(&e);
    assert!(text.contains(r##""errors":[{"instance_path":"/n","schema_path":"#/minimum""##), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Secrets never serialize in clear

#[test]
fn secrets_never_serialize_in_clear() {
    const SECRET: &str = "s3cr3t-Pa55word";
    let basic = Auth::Basic { username: "admin".into(), password: Secret::new(SECRET) };
    let bearer = Auth::Bearer { token: Secret::new(SECRET) };
    let headers = Auth::Headers {
        headers: vec![("X-Api-Key".into(), Secret::new(SECRET)), ("X-Other".into(), Secret::new(SECRET))],
    };
    // Basic auth goes on the wire base64-encoded: neither form may show.
    let encoded = airflow_trigger::to_curl(
        &TriggerOptions { auth: basic.clone(), ..TriggerOptions::new("http://h", ApiVersion::V1, "d") }
            .build()
            .unwrap(),
        true,
    );
    assert!(!encoded.contains(SECRET));
    let wire = {
        let mut o = TriggerOptions::new("http://h", ApiVersion::V1, "d");
        o.auth = basic.clone();
        o.build().unwrap().header("Authorization").unwrap().to_string()
    };
    let leaks = |text: &str| text.contains(SECRET) || text.contains(wire.trim_start_matches("Basic "));

    let mut texts = Vec::new();
    for auth in [&basic, &bearer, &headers] {
        texts.push(serde_json::to_string(auth).unwrap());
        texts.push(serde_json::to_string_pretty(auth).unwrap());
        texts.push(to_value(auth).unwrap().to_string());
        for version in [ApiVersion::V1, ApiVersion::V2] {
            let mut opts = TriggerOptions::new("http://h", version, "d");
            opts.auth = auth.clone();
            texts.push(serde_json::to_string(&opts).unwrap());
            texts.push(to_value(&opts).unwrap().to_string());
            for req in [opts.build(), opts.details_request()].into_iter().flatten() {
                assert!(req.headers.iter().any(|h| h.sensitive), "the request carries the credential");
                texts.push(serde_json::to_string(&req).unwrap());
                texts.push(to_value(&req).unwrap().to_string());
                for h in &req.headers {
                    texts.push(serde_json::to_string(h).unwrap());
                }
            }
        }
    }
    assert!(texts.len() > 30);
    for text in &texts {
        assert!(!leaks(text), "{text}");
    }
    assert!(texts.iter().any(|t| t.contains(r#""password":"***""#)));
    assert!(texts.iter().any(|t| t.contains(r#""token":"***""#)));
    assert!(texts.iter().any(|t| t.contains(r#""headers":{"X-Api-Key":"***","X-Other":"***"}"#)));
    assert!(texts.iter().any(|t| t.contains(r#"{"name":"Authorization","value":"***","sensitive":true}"#)));

    // A field of your own, with the crate's helper.
    #[derive(Serialize)]
    struct Mine {
        #[serde(serialize_with = "Secret::serialize_masked")]
        key: Secret,
    }
    assert_eq!(serde_json::to_string(&Mine { key: Secret::new(SECRET) }).unwrap(), r#"{"key":"***"}"#);
}

// ---------------------------------------------------------------------------------------------
// json::Value and serde_json::Value

#[track_caller]
fn to_serde_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::Value::try_from(&Value::parse(text).unwrap()).map_err(|e| e.to_string())
}

#[test]
fn numbers_into_serde_json() {
    // Exact integers, as integers.
    assert_eq!(to_serde_json("18446744073709551615").unwrap(), serde_json::json!(u64::MAX));
    assert_eq!(to_serde_json("-9223372036854775808").unwrap(), serde_json::json!(i64::MIN));
    assert!(to_serde_json("1").unwrap().is_u64());
    // 1.0 stays a float, 1 an integer.
    let one = to_serde_json("1.0").unwrap();
    assert!(one.is_f64());
    assert_eq!(one.to_string(), "1.0");
    // -0 is the integer 0 (as Python reads it); -0.0 stays a negative zero.
    let zero = to_serde_json("-0").unwrap();
    assert_eq!((zero.as_u64(), zero.to_string().as_str()), (Some(0), "0"));
    let neg_zero = to_serde_json("-0.0").unwrap();
    assert!(neg_zero.as_f64().unwrap().is_sign_negative());
    assert_eq!(neg_zero.to_string(), "-0.0");
    // The value is the f64 both read; the text is serde_json's.
    assert_eq!(to_serde_json("[2.50, 1e3, 0.1]").unwrap().to_string(), "[2.5,1000.0,0.1]");
    // What serde_json::Value cannot hold fails, naming the number and where it is.
    for (text, want) in [
        (r#"{"a": [18446744073709551616]}"#, "value: 18446744073709551616 at /a/0 is an integer beyond 64 bits"),
        ("-9223372036854775809", "value: -9223372036854775809 at / is an integer beyond 64 bits"),
        (r#"{"x/y": 1e400}"#, "value: 1e400 at /x~1y is beyond the range of an f64"),
        ("-1e400", "value: -1e400 at / is beyond the range of an f64"),
        ("123456789012345678901234567890", "is an integer beyond 64 bits"),
    ] {
        let err = to_serde_json(text).unwrap_err();
        assert!(err.contains(want), "{text}: {err}");
    }
    let err = serde_json::Value::try_from(Value::parse("[1e400]").unwrap()).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidArgument, Some("value")));
}

#[test]
fn numbers_from_serde_json_and_serde() {
    let v = Value::from(serde_json::json!([u64::MAX, i64::MIN, 1, 1.0, -0.0, 0.1, 1e300]));
    assert_eq!(v.to_string(), "[18446744073709551615,-9223372036854775808,1,1.0,-0.0,0.1,1e+300]");
    assert_eq!(v[3].as_u64(), None, "1.0 stays a float");
    // serde_json reads -0 as the float -0.0; both sides agree on that.
    let v = Value::from(serde_json::from_str::<serde_json::Value>("-0").unwrap());
    assert_eq!(v.to_string(), "-0.0");

    // Deserialize directly: integers of any size up to 128 bits exactly, floats as floats.
    let v: Value = serde_json::from_str("[18446744073709551615, -9223372036854775808, 1, 1.0, -0]").unwrap();
    assert_eq!(v.to_string(), "[18446744073709551615,-9223372036854775808,1,1.0,-0.0]");
    // serde_json's own reader makes 2^64 a float (without arbitrary_precision): so do we.
    let v: Value = serde_json::from_str("18446744073709551616").unwrap();
    assert!(v.as_u64().is_none() && v.as_f64() == Some(18446744073709551616.0));
    assert!(serde_json::from_str::<Value>("1e400").is_err(), "serde_json refuses it");

    // Serialize: integers beyond 64 bits exactly (as u128/i128), floats as f64.
    for (text, want) in [
        ("18446744073709551616", Ok("18446744073709551616")),
        ("-9223372036854775809", Ok("-9223372036854775809")),
        ("340282366920938463463374607431768211455", Ok("340282366920938463463374607431768211455")),
        ("[1, 1.0, -0, -0.0, 2.50]", Ok("[1,1.0,0,-0.0,2.5]")),
        ("340282366920938463463374607431768211456", Err("beyond 128 bits")),
        ("1e400", Err("beyond the range of an f64")),
    ] {
        let got = serde_json::to_string(&Value::parse(text).unwrap()).map_err(|e| e.to_string());
        match (got, want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
            (Err(got), Err(want)) => assert!(got.contains(want), "{text}: {got}"),
            (got, _) => panic!("{text}: {got:?}"),
        }
    }

    // to_value: u128 and i128 exactly, f32 by its shortest decimal.
    assert_eq!(to_value(&u128::MAX).unwrap().to_string(), "340282366920938463463374607431768211455");
    assert_eq!(to_value(&i128::MIN).unwrap().to_string(), "-170141183460469231731687303715884105728");
    assert_eq!(to_value(&(0.1f32, 1.0f64, -0.0f64)).unwrap().to_string(), "[0.1,1.0,-0.0]");
    let n: Number = serde_json::from_str("7").unwrap();
    assert_eq!(n.as_u64(), Some(7));
}

#[test]
fn values_round_trip_through_serde_json_in_order() {
    let text = r#"{"z":[1,-2,2.5,true,null,"s\n\u00e9"],"a":{"y":{},"x":[]},"m":-9223372036854775808}"#;
    let v = Value::parse(text).unwrap();
    let sj = serde_json::Value::try_from(&v).unwrap();
    // serde_json keeps the order here: the tests build it with preserve_order.
    assert_eq!(sj.to_string(), v.to_string());
    let back = Value::from(sj);
    assert_eq!(back.to_string(), v.to_string());
    // Serialize and Deserialize directly.
    assert_eq!(serde_json::to_string(&v).unwrap(), v.to_string());
    let read: Value = serde_json::from_str(text).unwrap();
    assert_eq!(read.to_string(), v.to_string());
    // From a serde_json::Value as the Deserializer.
    let sj = serde_json::Value::try_from(&v).unwrap();
    assert_eq!(Value::deserialize(&sj).unwrap().to_string(), v.to_string());
    assert_eq!(Value::deserialize(sj).unwrap().to_string(), v.to_string());
    // Map on its own.
    let m: json::Map = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
    assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"b":1,"a":2}"#);
    assert!(serde_json::from_str::<json::Map>("[1]").unwrap_err().to_string().contains("expected a JSON object"));
}

#[test]
fn duplicate_keys_keep_the_first_place_and_the_last_value() {
    let text = r#"{"a":1,"b":2,"a":3,"c":{"k":1,"k":[2]}}"#;
    let read: Value = serde_json::from_str(text).unwrap();
    assert_eq!(read.to_string(), r#"{"a":3,"b":2,"c":{"k":[2]}}"#);
    assert_eq!(read.to_string(), Value::parse(text).unwrap().to_string(), "as Value::parse reads it");
    // Repeated keys from a Serialize (here a list of pairs serialized as a map).
    struct Pairs(Vec<(&'static str, i32)>);
    impl Serialize for Pairs {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    assert_eq!(to_value(&Pairs(vec![("x", 1), ("y", 2), ("x", 3)])).unwrap().to_string(), r#"{"x":3,"y":2}"#);
}

#[test]
fn non_finite_floats_and_odd_keys() {
    for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = to_value(&json!({"a": 1})).map(|_| ()).and(to_value(&vec![1.0, f]).map(|_| ())).unwrap_err();
        assert!(err.to_string().ends_with("is not a JSON number (at /1)"), "{err}");
    }
    assert!(to_value(&f32::NAN).is_err());
    // A NaN from another format is refused by Deserialize.
    let err = Value::deserialize(serde::de::value::F64Deserializer::<serde::de::value::Error>::new(f64::NAN));
    assert!(err.unwrap_err().to_string().contains("a finite number"));

    use std::collections::BTreeMap;
    let ints: BTreeMap<i32, bool> = [(-1, true), (2, false)].into();
    assert_eq!(to_value(&ints).unwrap().to_string(), r#"{"-1":true,"2":false}"#);
    let bad: BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into();
    let err = to_value(&json!({})).and(to_value(&vec![bad])).unwrap_err().to_string();
    assert!(err.starts_with("value: a map key must be a string") && err.ends_with("(at /0)"), "{err}");

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, u8),
        Struct { a: u8 },
    }
    assert_eq!(
        to_value(&[E::Unit, E::New(1), E::Tuple(1, 2), E::Struct { a: 1 }]).unwrap().to_string(),
        serde_json::to_string(&[E::Unit, E::New(1), E::Tuple(1, 2), E::Struct { a: 1 }]).unwrap()
    );
}

// ---------------------------------------------------------------------------------------------
// Deep nesting: errors, never a stack overflow

#[test]
fn nesting_at_the_limit_is_accepted_and_past_it_refused() {
    let limit = json::MAX_NESTING;
    let ok = nested(limit);
    let deep = nested(limit + 1);
    assert!(serde_json::to_string(&ok).is_ok());
    assert!(serde_json::to_string(&deep).unwrap_err().to_string().contains("nested more than 128 levels deep"));
    assert_eq!(to_value(&ok).unwrap(), ok);
    assert!(to_value(&deep).unwrap_err().to_string().contains("nested more than 128 levels deep"));
    let sj = serde_json::Value::try_from(&ok).unwrap();
    assert_eq!(Value::deserialize(&sj).unwrap(), ok);
    assert_eq!(Value::from(sj), ok);
    assert!(serde_json::Value::try_from(&deep).unwrap_err().to_string().contains("nested more than 128"));
    let sj_deep = nested_serde_json(limit + 1);
    assert!(Value::deserialize(&sj_deep).unwrap_err().to_string().contains("nested more than 128 levels deep"));
    assert_eq!(Value::from(sj_deep), deep, "From is not limited: it does not recurse");
}

#[test]
fn ten_thousand_levels_never_overflow_the_stack() {
    const LEVELS: usize = 10_000;
    let deep = nested(LEVELS);
    assert!(serde_json::to_string(&deep).is_err());
    assert!(serde_json::to_vec_pretty(&deep).is_err());
    assert!(to_value(&deep).is_err());
    assert!(serde_json::Value::try_from(&deep).is_err());
    let mut text = "[".repeat(LEVELS);
    text.push_str(&"]".repeat(LEVELS));
    assert!(serde_json::from_str::<Value>(&text).is_err(), "serde_json's own recursion limit");
    assert!(serde_json::from_str::<json::Map>(&text.replace('[', "{\"a\":[").replace(']', "]}")).is_err());

    // serde_json::Value as the Deserializer: ours stops at MAX_NESTING.
    let sj = nested_serde_json(LEVELS);
    let err = Value::deserialize(&sj).unwrap_err().to_string();
    assert!(err.contains("nested more than 128 levels deep"), "{err}");
    // Converting takes the serde_json value apart without recursion (its own drop would recurse).
    let v = Value::from(sj);
    assert_eq!(v, deep);
    let mut objects = serde_json::Value::Null;
    for i in 0..LEVELS {
        // Not serde_json's json! macro: it serializes its arguments (recursively).
        let mut m = serde_json::Map::new();
        m.insert("k".into(), objects);
        m.insert("i".into(), i.into());
        objects = serde_json::Value::Object(m);
    }
    let v = Value::from(objects);
    assert_eq!(v["k"]["k"]["i"].as_u64(), Some(LEVELS as u64 - 3));
    assert!(json::deeper_than(&v, LEVELS - 1) && !json::deeper_than(&v, LEVELS));

    // A conf or schema that deep is refused with the crate's error.
    let mut opts = TriggerOptions::new("http://h", ApiVersion::V1, "d");
    let err = opts.conf_from(&json!({"a": deep})).unwrap_err();
    assert_eq!(err.field(), Some("conf"));
    assert!(err.to_string().contains("nested more than 128 levels deep (at /a/0/0/0"), "{}", &err.to_string()[..80]);
}

// ---------------------------------------------------------------------------------------------
// Conf and schemas from any T: Serialize

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct EtlConf {
    day: String,
    tables: Vec<String>,
    retries: u8,
    ratio: f64,
    full: bool,
    limit: Option<u64>,
    tags: std::collections::BTreeMap<String, i64>,
}

fn etl_conf() -> EtlConf {
    EtlConf {
        day: "2024-01-01".into(),
        tables: vec!["a".into(), "b".into()],
        retries: 3,
        ratio: 0.25,
        full: false,
        limit: None,
        tags: [("x".to_string(), -1)].into(),
    }
}

#[test]
fn a_derived_conf_builds_the_same_body_as_json() {
    let equivalent = json!({
        "day": "2024-01-01", "tables": ["a", "b"], "retries": 3, "ratio": 0.25, "full": false, "limit": null,
        "tags": {"x": -1}
    });
    for version in [ApiVersion::V1, ApiVersion::V2] {
        let mut from_struct = TriggerOptions::new("http://h", version, "etl");
        from_struct.dag_run_id = Some("r1".into());
        let mut from_json = from_struct.clone();
        from_json.conf = Some(equivalent.clone());
        let a = from_struct.conf_from(&etl_conf()).unwrap().build().unwrap();
        let b = from_json.build().unwrap();
        assert_eq!(a.body, b.body);
        assert_eq!(a, b);
    }
    // And back from a DAG run's conf.
    let run = parse_dag_run(&format!(r#"{{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{equivalent}}}"#))
        .unwrap();
    assert_eq!(from_value::<EtlConf>(&run.conf).unwrap(), etl_conf());
    let err = from_value::<EtlConf>(&json!({"day": 1})).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert!(err.to_string().starts_with("value: invalid type: integer `1`, expected a string"), "{err}");

    // conf_from leaves conf as it was when it fails.
    let mut opts = TriggerOptions::new("http://h", ApiVersion::V1, "etl");
    opts.conf = Some(json!({"kept": true}));
    let err = opts.conf_from(&"text").unwrap_err();
    assert_eq!(err.to_string(), "conf: must be a JSON object such as {\"key\": \"value\"}, got a string");
    let err = opts.conf_from(&EtlConf { ratio: f64::NAN, ..etl_conf() }).unwrap_err();
    assert_eq!(err.to_string(), "conf: NaN is not a JSON number (at /ratio)");
    assert_eq!(opts.conf, Some(json!({"kept": true})));
    // A serde_json::Value works too.
    opts.conf_from(&serde_json::json!({"n": 1})).unwrap();
    assert_eq!(opts.conf, Some(json!({"n": 1})));
}

#[test]
fn validators_take_any_serialize() {
    let schema = serde_json::json!({"type": "object", "properties": {"retries": {"type": "integer", "maximum": 2}}});
    let v = ConfValidator::from_serialize(&schema, Default::default()).unwrap();
    let r = v.validate_serialize(&etl_conf()).unwrap();
    assert_eq!((r.valid, r.errors[0].instance_path.as_str()), (false, "/retries"));
    assert_eq!(r, v.validate(&to_value(&etl_conf()).unwrap()));
    let err = ConfValidator::from_serialize(&serde_json::json!({"type": 5}), Default::default()).err().unwrap();
    assert_eq!(err.field(), Some("schema"));
    let err = v.validate_serialize(&[f64::NAN]).unwrap_err();
    assert_eq!(err.to_string(), "instance: NaN is not a JSON number (at /0)");

    let params = serde_json::json!({
        "retries": {"value": 1, "schema": {"type": "integer", "minimum": 0}},
        "day": {"value": null, "schema": {"type": "string"}}
    });
    let pv = ParamsValidator::from_serialize(&params, ParamsOptions::default()).unwrap();
    let r = pv.validate_serialize(&etl_conf()).unwrap();
    assert!(r.valid, "{:?}", r.errors);
    #[derive(Serialize)]
    struct Partial {
        retries: i8,
    }
    let r = pv.validate_serialize(&Partial { retries: -1 }).unwrap();
    let paths: Vec<&str> = r.errors.iter().map(|e| e.instance_path.as_str()).collect();
    assert_eq!(paths, ["/retries", "/day"]);
    let err = ParamsValidator::from_serialize(&[1], ParamsOptions::default()).err().unwrap();
    assert_eq!(err.field(), Some("params"));
    let err = pv.validate_serialize(&[f64::INFINITY]).unwrap_err();
    assert_eq!(err.to_string(), "conf: an infinite float is not a JSON number (at /0)");
}

/// Found by review: the client's types serialize too, secrets masked.
#[test]
fn the_clients_types_round_trip() {
    use airflow_trigger::{
        parse_dag_run, ApiVersion, ClientAuth, ClientConfig, Dag, Output, Page, ParamsOptions, ServerVersion, Trigger,
        TriggeredRun, ValidatorOptions,
    };
    let run = parse_dag_run(r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{"n":1}}"#).unwrap();
    let triggered = TriggeredRun { run: run.clone(), already_existed: true, dag_paused: false, unpaused: false };
    let text = serde_json::to_string(&triggered).unwrap();
    assert_eq!(serde_json::from_str::<TriggeredRun>(&text).unwrap(), triggered);
    let dag = Dag::from_raw(airflow_trigger::json!({"dag_id": "etl", "tags": [{"name": "x"}]}));
    assert_eq!(serde_json::from_str::<Dag>(&serde_json::to_string(&dag).unwrap()).unwrap(), dag);
    let page = Page { items: vec![run], total_entries: Some(1) };
    assert_eq!(serde_json::from_str::<Page<_>>(&serde_json::to_string(&page).unwrap()).unwrap(), page);
    let out = Output::Version(ServerVersion { version: "3.3.2".into(), api_version: ApiVersion::V2 });
    let text = serde_json::to_string(&out).unwrap();
    assert_eq!(text, r#"{"kind":"version","value":{"version":"3.3.2","api_version":"v2"}}"#);
    assert_eq!(serde_json::from_str::<Output>(&text).unwrap(), out);
    let t = Trigger::new().conf(airflow_trigger::json!({"a": 1})).note("n");
    assert_eq!(serde_json::from_str::<Trigger>(&serde_json::to_string(&t).unwrap()).unwrap(), t);
    assert!(serde_json::from_str::<Trigger>(r#"{"confx": {}}"#).is_err(), "unknown fields are refused");
    let config = ClientConfig::new("http://h")
        .unwrap()
        .auth(ClientAuth::Password { username: "admin".into(), password: Secret::new("hunter2-SECRET") });
    let text = serde_json::to_string(&config).unwrap();
    assert!(!text.contains("SECRET") && text.contains("***"), "{text}");
    assert!(serde_json::from_str::<ClientConfig>(&text).is_err(), "a masked password is never read back");
    let p = ParamsOptions::default();
    assert_eq!(serde_json::from_str::<ParamsOptions>(&serde_json::to_string(&p).unwrap()).unwrap(), p);
    let v: ValidatorOptions = serde_json::from_str(r#"{"all_errors": false}"#).unwrap();
    assert!(!v.all_errors && v.max_depth == 128);
}
