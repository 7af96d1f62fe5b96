//! Checks a conf against a DAG's Params, as Airflow would, and prints each error with its path.
//! Sends nothing but the read of the DAG's Params.
//!
//! ```sh
//! AIRFLOW_URL=http://127.0.0.1:8080 AIRFLOW_USERNAME=admin AIRFLOW_PASSWORD=admin \
//!   cargo run --example validate_conf --features reqwest,serde -- trigger_params '{"count": 0}'
//! ```
//! Exits 0 when the conf is valid, 1 when the Params refuse it, 2 when Airflow could not be asked.

use airflow_trigger::json::Value;
use airflow_trigger::{AirflowClient, ApiVersion, ClientAuth, ClientConfig, Formats, ParamsOptions, ParamsValidator};
use airflow_trigger::{ReqwestTransport, Secret};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

async fn check(dag_id: &str, conf: &Value) -> Result<bool, Box<dyn std::error::Error>> {
    let config = ClientConfig::new(&env("AIRFLOW_URL")?)?.auth(ClientAuth::Password {
        username: env("AIRFLOW_USERNAME")?,
        password: Secret::new(env("AIRFLOW_PASSWORD")?),
    });
    let airflow = AirflowClient::new(config, ReqwestTransport::new());
    let params = airflow.get_params(dag_id).await?;
    // The server's own rules: Airflow 2's formats on /api/v1, Airflow 3's on /api/v2.
    let formats = if airflow.api_version() == Some(ApiVersion::V1) { Formats::Airflow2 } else { Formats::Airflow3 };
    let validator = ParamsValidator::new(&params, ParamsOptions { formats, ..Default::default() })?;
    let result = validator.validate(conf);
    for e in &result.errors {
        println!("{}: {}", e.instance_path, e.message);
    }
    if result.valid {
        println!("valid; Airflow would run it with {}", result.conf);
    }
    Ok(result.valid)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dag_id = args.next().unwrap_or_else(|| "trigger_params".into());
    let conf = args.next().unwrap_or_else(|| r#"{"count": 0, "mode": "slow"}"#.into());
    let code = match Value::parse(&conf) {
        Err(e) => {
            eprintln!("the conf is not JSON: {e}");
            2
        }
        Ok(conf) => match check(&dag_id, &conf).await {
            Ok(true) => 0,
            Ok(false) => 1,
            Err(e) => {
                eprintln!("{e}");
                2
            }
        },
    };
    std::process::exit(code);
}
