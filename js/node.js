// Node, Deno and Bun: the module is compiled and instantiated on import; no init call needed.
import { readFileSync } from "node:fs";
import { initSync } from "./api.js";

initSync({ module: readFileSync(new URL("./airflow_trigger_bg.wasm", import.meta.url)) });

export * from "./index.js";
