//! A wasm app using airflow-trigger's typed client with its own allocator and wasm-bindgen.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use airflow_trigger::{AirflowClient, ClientConfig, GlooTransport, Trigger};
use wasm_bindgen::prelude::*;

/// The app's own allocator (counting, over the system one): the crate must not bring another.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The app's one export: trigger a DAG and answer its run id.
#[wasm_bindgen(js_name = appTrigger)]
pub async fn app_trigger(base_url: String, dag_id: String) -> Result<String, JsValue> {
    let config = ClientConfig::new(&base_url).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let airflow = AirflowClient::new(config, GlooTransport);
    let t = airflow.trigger(&dag_id, Trigger::new()).await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(t.run.dag_run_id)
}

/// Bytes allocated so far.
#[wasm_bindgen(js_name = appAllocated)]
pub fn app_allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}
