//! The async client in headless Chromium, through the gloo-net transport (the page's global
//! `fetch`), against the real Airflow 3.3.2 that `make test` starts (`scripts/with-airflow.sh`).
//! The page must be served from an origin Airflow's CORS settings list: the Makefile runs it with
//! `WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:18090` (scripts/airflow.sh). The server's address is
//! compiled in (`AF3_URL`, ...): a wasm test has no environment at run time.
#![cfg(all(target_arch = "wasm32", feature = "gloo-net"))]

use airflow_trigger::{json, AirflowClient, ClientAuth, ClientConfig, ErrorCode, GlooTransport, Secret, Trigger};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn airflow() -> AirflowClient<GlooTransport> {
    let (Some(url), Some(user), Some(password)) =
        (option_env!("AF3_URL"), option_env!("AF3_USER"), option_env!("AF3_PASSWORD"))
    else {
        panic!("compile with AF3_URL, AF3_USER and AF3_PASSWORD set (make test does)");
    };
    let config = ClientConfig::new(url)
        .unwrap()
        .auth(ClientAuth::Password { username: user.into(), password: Secret::new(password) });
    AirflowClient::new(config, GlooTransport)
}

#[wasm_bindgen_test]
async fn triggers_a_real_run_and_reads_it_back() {
    let airflow = airflow();
    let version = airflow.version().await.unwrap();
    assert!(version.version.starts_with("3."), "{version:?}");
    let conf = json!({"target": "gloo-net in Chromium", "count": 2});
    let t = airflow.trigger("trigger_params", Trigger::new().conf(conf.clone()).note("gloo_browser.rs")).await.unwrap();
    assert!(t.run.dag_run_id.starts_with("trigger__"), "{:?}", t.run);
    assert!(!t.already_existed && !t.dag_paused);
    let run = airflow.get_run("trigger_params", &t.run.dag_run_id).await.unwrap();
    assert_eq!((run.dag_run_id, run.conf, run.note.as_deref()), (t.run.dag_run_id, conf, Some("gloo_browser.rs")));
}

#[wasm_bindgen_test]
async fn a_conf_the_params_refuse_is_never_posted() {
    let airflow = airflow();
    let before = airflow.list_runs("trigger_params", 100).await.unwrap().total_entries;
    let err = airflow.trigger("trigger_params", Trigger::new().conf(json!({"count": 0}))).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidConf);
    let paths: Vec<&str> = err.errors().iter().map(|e| e.instance_path.as_str()).collect();
    assert!(paths.contains(&"/count"), "{paths:?}");
    assert_eq!(airflow.list_runs("trigger_params", 100).await.unwrap().total_entries, before);
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error_after_retries() {
    let config = ClientConfig::new("http://127.0.0.1:9").unwrap().retries(1).timeout_ms(2_000);
    let err = AirflowClient::new(config, GlooTransport).version().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network, "{err}");
    assert!(err.message().contains("2 tries"), "{err}");
}
