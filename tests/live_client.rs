//! The typed client (reqwest) against real Airflow 2.11.2 and 3.3.2: asset (dataset) events make
//! the DAG scheduled on them run to success, URIs match exactly, materialize, unpause, and a
//! cancelled wait sends nothing more (counted by a proxy in front of Airflow).
//!
//! Runs under the `cli` feature, as tests/cli.rs does: scripts/rust-e2e.sh runs both inside
//! scripts/with-airflow.sh, with AF2_* and AF3_* set; they fail without them.
#![cfg(all(not(target_arch = "wasm32"), feature = "cli"))]

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod proxy;

use airflow_trigger::{
    json, AirflowClient, ApiVersion, CancelToken, ClientAuth, ClientConfig, ErrorCode, ReqwestTransport, Secret,
    Trigger,
};

const LANDED: &str = "trigger-test://landed/orders";
const MADE: &str = "trigger-test://made/report";

struct Server {
    major: u8,
    url: String,
    user: String,
    password: String,
}

fn servers() -> Vec<Server> {
    [2u8, 3]
        .into_iter()
        .map(|major| {
            let var = |what: &str| {
                let name = format!("AF{major}_{what}");
                std::env::var(&name).unwrap_or_else(|_| {
                    panic!("{name} is not set: run scripts/rust-e2e.sh run inside scripts/with-airflow.sh \"2 3\"")
                })
            };
            Server { major, url: var("URL"), user: var("USER"), password: var("PASSWORD") }
        })
        .collect()
}

fn client(server: &Server, url: &str) -> AirflowClient<ReqwestTransport> {
    let auth = ClientAuth::Password { username: server.user.clone(), password: Secret::new(server.password.clone()) };
    AirflowClient::new(ClientConfig::new(url).unwrap().auth(auth), ReqwestTransport::new())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn unique(tag: &str) -> String {
    format!("{tag}_{}", SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos())
}

/// Waits for a run of `dag_id` that is not in `before`, then for its end; returns its state.
async fn new_run_ends(airflow: &AirflowClient<ReqwestTransport>, dag_id: &str, before: &[String]) -> String {
    let started = Instant::now();
    let run_id = loop {
        let runs = airflow.list_runs(dag_id, 100).await.unwrap();
        if let Some(run) = runs.items.iter().find(|r| !before.contains(&r.dag_run_id)) {
            break run.dag_run_id.clone();
        }
        assert!(started.elapsed() < Duration::from_secs(180), "no new run of {dag_id} after 180 s");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    airflow.wait_for_run(dag_id, &run_id, 1_000, 240_000, |_| {}).await.unwrap().state
}

async fn run_ids(airflow: &AirflowClient<ReqwestTransport>, dag_id: &str) -> Vec<String> {
    airflow.list_runs(dag_id, 100).await.unwrap().items.into_iter().map(|r| r.dag_run_id).collect()
}

#[test]
fn an_asset_event_makes_the_scheduled_dag_run() {
    let rt = runtime();
    for server in &servers() {
        rt.block_on(async {
            let airflow = client(server, &server.url);
            let asset = airflow.get_asset(LANDED.into()).await.unwrap();
            assert_eq!(asset.uri, LANDED);
            assert!(
                asset.scheduled_dags.contains(&"asset_consumer".to_string()),
                "Airflow {}: {asset:?}",
                server.major
            );
            let listed = airflow.list_assets(Some("trigger-test://"), 100).await.unwrap();
            assert!(listed.items.iter().any(|a| a.uri == LANDED), "{listed:?}");

            let before = run_ids(&airflow, "asset_consumer").await;
            let mark = unique("event");
            let event = airflow
                .create_asset_event(LANDED.into(), Some(json!({"mark": mark.as_str(), "rows": 3})))
                .await
                .unwrap();
            assert_eq!(event.uri.as_deref(), Some(LANDED), "Airflow {}: {event:?}", server.major);
            assert_eq!(event.extra.get("mark").and_then(|m| m.as_str()), Some(mark.as_str()));
            assert!(event.id.is_some() && event.asset_id == asset.id, "{event:?}");
            let state = new_run_ends(&airflow, "asset_consumer", &before).await;
            assert_eq!(state, "success", "Airflow {}: the event's run", server.major);
        });
    }
}

#[test]
fn uris_match_exactly_and_unknown_ones_are_not_found() {
    let rt = runtime();
    for server in &servers() {
        rt.block_on(async {
            let airflow = client(server, &server.url);
            // A prefix of a known URI, and a pattern that would match it, are not it.
            for uri in ["trigger-test://landed/order", "trigger-test://landed/%", "trigger-test://landed/orders2"] {
                let err = airflow.create_asset_event(uri.into(), None).await.unwrap_err();
                assert_eq!(err.code(), ErrorCode::NotFound, "Airflow {} {uri}: {err}", server.major);
                assert!(err.message().contains(&format!("\"{uri}\"")), "{err}");
                let err = airflow.get_asset(uri.into()).await.unwrap_err();
                assert_eq!(err.code(), ErrorCode::NotFound, "Airflow {} {uri}: {err}", server.major);
            }
            let err =
                airflow.create_asset_event(LANDED.into(), Some(json!(["not", "an", "object"]))).await.unwrap_err();
            assert_eq!(err.field(), Some("extra"));
        });
    }
}

#[test]
fn materialize_runs_the_producer_on_airflow_3() {
    let rt = runtime();
    for server in &servers() {
        rt.block_on(async {
            let airflow = client(server, &server.url);
            if server.major == 2 {
                let err = airflow.materialize_asset(MADE.into()).await.unwrap_err();
                assert_eq!(err.code(), ErrorCode::InvalidArgument, "{err}");
                return;
            }
            let run = airflow.materialize_asset(MADE.into()).await.unwrap();
            assert_eq!(run.dag_id, "asset_producer");
            let end = airflow.wait_for_run("asset_producer", &run.dag_run_id, 1_000, 240_000, |_| {}).await.unwrap();
            assert_eq!(end.state, "success");
            // The consumer's asset has no producer.
            let err = airflow.materialize_asset(LANDED.into()).await.unwrap_err();
            assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
            assert!(err.message().contains("cannot materialize"), "{err}");
        });
    }
}

/// Pauses `dag_id` with a plain PATCH (the client has no pause: it is not its business).
async fn pause(server: &Server, airflow: &AirflowClient<ReqwestTransport>, dag_id: &str) {
    let http = reqwest::Client::new();
    let request = if airflow.api_version() == Some(ApiVersion::V1) {
        http.patch(format!("{}/api/v1/dags/{dag_id}?update_mask=is_paused", server.url))
            .basic_auth(&server.user, Some(&server.password))
    } else {
        let login = serde_json::json!({"username": server.user, "password": server.password}).to_string();
        let answer = http
            .post(format!("{}/auth/token", server.url))
            .header("content-type", "application/json")
            .body(login)
            .send()
            .await
            .unwrap();
        let token: serde_json::Value = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
        http.patch(format!("{}/api/v2/dags/{dag_id}", server.url)).bearer_auth(token["access_token"].as_str().unwrap())
    };
    let answer =
        request.header("content-type", "application/json").body(r#"{"is_paused": true}"#).send().await.unwrap();
    assert!(answer.status().is_success(), "pausing {dag_id}: {}", answer.status());
}

#[test]
fn unpause_on_trigger_runs_a_paused_dag() {
    let rt = runtime();
    for server in &servers() {
        rt.block_on(async {
            let airflow = client(server, &server.url);
            airflow.version().await.unwrap();
            pause(server, &airflow, "unpause_target").await;
            assert!(airflow.get_dag("unpause_target").await.unwrap().is_paused);
            let t = airflow.trigger("unpause_target", Trigger::new().unpause(true)).await.unwrap();
            assert!(t.unpaused && !t.dag_paused, "Airflow {}: {t:?}", server.major);
            assert!(!airflow.get_dag("unpause_target").await.unwrap().is_paused);
            let end = airflow.wait_for_run("unpause_target", &t.run.dag_run_id, 1_000, 240_000, |_| {}).await.unwrap();
            assert_eq!(end.state, "success", "Airflow {}", server.major);
        });
    }
}

#[test]
fn a_cancelled_wait_ends_at_once_and_sends_nothing_more() {
    let rt = runtime();
    for server in &servers() {
        rt.block_on(async {
            let proxy::Proxy { url: proxy, seen: count, .. } = proxy::proxy(&server.url);
            let airflow = client(server, &proxy);
            // A paused DAG's run stays queued: the wait would go on for its whole timeout.
            let t = airflow.trigger("paused_target", Trigger::new().conf(json!({"n": 1}))).await.unwrap();
            let token = CancelToken::new();
            let cancellable = airflow.with_cancel(&token);
            let canceller = token.clone();
            let watched = count.clone();
            let at = watched.load(Ordering::SeqCst);
            tokio::spawn(async move {
                // Cancel after two polls have gone through.
                while watched.load(Ordering::SeqCst) < at + 2 {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                canceller.cancel();
            });
            let started = Instant::now();
            let err =
                cancellable.wait_for_run("paused_target", &t.run.dag_run_id, 300, 600_000, |_| {}).await.unwrap_err();
            assert_eq!(err.code(), ErrorCode::Cancelled, "Airflow {}: {err}", server.major);
            assert!(started.elapsed() < Duration::from_secs(10), "it ended at once");
            let after = count.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(2)).await;
            assert_eq!(count.load(Ordering::SeqCst), after, "Airflow {}: a request after the cancel", server.major);
            // Every call through the cancelled handle ends at once, sending nothing.
            assert_eq!(cancellable.version().await.unwrap_err().code(), ErrorCode::Cancelled);
            assert_eq!(count.load(Ordering::SeqCst), after);
        });
    }
}
