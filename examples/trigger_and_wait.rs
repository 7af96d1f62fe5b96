//! Triggers a DAG on a real Airflow with a conf from a `#[derive(Serialize)]` struct, waits for
//! the run to succeed, and reads it back.
//!
//! ```sh
//! AIRFLOW_URL=http://127.0.0.1:8080 AIRFLOW_USERNAME=admin AIRFLOW_PASSWORD=admin \
//!   cargo run --example trigger_and_wait --features reqwest,serde -- trigger_params
//! ```
//! Exits 0 when the run succeeded with the conf sent; 1 otherwise, with the reason on stderr.

use airflow_trigger::{json, AirflowClient, ClientAuth, ClientConfig, ReqwestTransport, Secret, Trigger};
use serde::Serialize;

/// The DAG's conf, typed (`trigger_params` in tests/airflow/dags).
#[derive(Serialize)]
struct EtlConf {
    target: String,
    count: u32,
    mode: Mode,
    day: String,
    label: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Safe,
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dag_id = std::env::args().nth(1).unwrap_or_else(|| "trigger_params".into());
    let config = ClientConfig::new(&env("AIRFLOW_URL")?)?.auth(ClientAuth::Password {
        username: env("AIRFLOW_USERNAME")?,
        password: Secret::new(env("AIRFLOW_PASSWORD")?),
    });
    let airflow = AirflowClient::new(config, ReqwestTransport::new());

    let conf =
        EtlConf { target: "warehouse".into(), count: 3, mode: Mode::Safe, day: "2024-01-31".into(), label: None };
    let trigger = Trigger::new().conf_from(&conf)?.note("examples/trigger_and_wait.rs");
    let triggered = airflow.trigger(&dag_id, trigger).await?;
    let run_id = triggered.run.dag_run_id;
    let version = airflow.version().await?;
    eprintln!("triggered {dag_id} run {run_id} on Airflow {}", version.version);

    let run = airflow.wait_for_run(&dag_id, &run_id, 1_000, 300_000, |run| eprintln!("  {}", run.state)).await?;
    if run.state != "success" {
        return Err(format!("run {run_id} ended {}", run.state).into());
    }
    let back = airflow.get_run(&dag_id, &run_id).await?;
    if back.conf != json::to_value(&conf)? {
        return Err(format!("Airflow holds another conf: {}", back.conf).into());
    }
    println!("{dag_id} {run_id} {}", run.state);
    Ok(())
}
