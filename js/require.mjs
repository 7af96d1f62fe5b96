// Source of node.cjs (`require("airflow-trigger")` in Node): bundled to CommonJS by
// scripts/build.sh. The full module (with Python's `re`) is instantiated on require.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./api.js";

initSync({ module: readFileSync(join(__dirname, "airflow_trigger_full_bg.wasm")) });

export * from "./index.js";
