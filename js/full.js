// Browsers and bundlers that want Airflow's exact verdict: the same exports as index.js, but
// init() loads the full module (Python's `re`, its character names and idna's `idn-hostname`
// for the Airflow modes), next to this file, unless given another. Bundlers emit the file from
// the `new URL(..., import.meta.url)` below.
import { init as initModule } from "./index.js";

export * from "./index.js";

export function init(input) {
  return initModule(input ?? { module_or_path: new URL("./airflow_trigger_full_bg.wasm", import.meta.url) });
}
