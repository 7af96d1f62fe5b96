// Node, Deno and Bun: the full module (with Python's `re` for the Airflow modes; no payload budget
// applies here) is compiled and instantiated on import; no init call needed.
import { initSync } from "./api.js";

// process.getBuiltinModule (Node 20.16+, Bun) returns node:fs without building its ES module
// namespace, which loads all of Node's streams: ~1.5 ms of a cold start. Older Node, and Deno,
// import it.
const fs = globalThis.process?.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
initSync({ module: fs.readFileSync(new URL("./airflow_trigger_full_bg.wasm", import.meta.url)) });

export * from "./index.js";
