//! Branch `measure` (issue 15): a trigger driven from Rust, `AirflowClient<GlooTransport>` with
//! wasm-bindgen-futures, to compare with the JS driver of js/api.js.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::client::{parse, trigger_of};
use super::error::to_js;
use super::shape::output_json;
use crate::client::{AirflowClient, ClientConfig, GlooTransport, Output};

/// A client whose calls run in Rust; `fetch`, `AbortController` and `setTimeout` are the host's.
#[wasm_bindgen(js_name = GlooClientHandle)]
pub struct GlooClientHandle(Rc<AirflowClient<GlooTransport>>);

#[wasm_bindgen(js_class = GlooClientHandle)]
impl GlooClientHandle {
    /// `options` as JSON text (as `ClientHandle`'s).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<GlooClientHandle, JsValue> {
        let config = ClientConfig::from_json(&parse(options, "options")?).map_err(|e| to_js(&e))?;
        Ok(GlooClientHandle(Rc::new(AirflowClient::new(config, GlooTransport))))
    }

    /// Resolves to the triggered run as JSON text (the JS driver's shape), or rejects with an
    /// `AirflowError`.
    pub fn trigger(&self, dag_id: String, options: &str) -> Result<js_sys::Promise, JsValue> {
        let trigger = trigger_of(parse(options, "options")?).map_err(|e| to_js(&e))?;
        let client = self.0.clone();
        Ok(wasm_bindgen_futures::future_to_promise(async move {
            match client.trigger(&dag_id, trigger).await {
                Ok(t) => Ok(JsValue::from(output_json(Output::Triggered(t)).to_json_string())),
                Err(e) => Err(to_js(&e)),
            }
        }))
    }
}

/// One trigger with a client of its own (version detection, login, Params, POST): the run as
/// JSON text.
#[wasm_bindgen(js_name = triggerGlooJson)]
pub async fn trigger_gloo(client: String, dag_id: String, options: String) -> Result<String, JsValue> {
    let config = ClientConfig::from_json(&parse(&client, "options")?).map_err(|e| to_js(&e))?;
    let trigger = trigger_of(parse(&options, "options")?).map_err(|e| to_js(&e))?;
    let airflow = AirflowClient::new(config, GlooTransport);
    let t = airflow.trigger(&dag_id, trigger).await.map_err(|e| to_js(&e))?;
    Ok(output_json(Output::Triggered(t)).to_json_string())
}
