// Cloudflare Workers (workerd): wasm cannot be compiled at run time there, so the module is
// imported (the runtime compiles it at deploy) and instantiated on import.
import module from "./airflow_trigger_bg.wasm";
import { initSync } from "./index.js";

initSync({ module });

export * from "./index.js";
