// Cloudflare Workers (workerd): wasm cannot be compiled at run time there, so the module is
// imported (the runtime compiles it at deploy) and instantiated on import. The full module: a
// gateway's verdicts are Airflow's, Python's `re` included.
import module from "./airflow_trigger_full_bg.wasm";
import { initSync } from "./index.js";

initSync({ module });

export * from "./index.js";
