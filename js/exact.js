// A second instance of the package beside index.js's, loading the full module: the element and
// the page import it only when the browser's default module refuses a DAG's Params (Python's re
// and idna). Its own glue and api.js; AirflowError is index.js's, so `instanceof` holds.
import { init as initModule } from "./exact-api.js";

export { ParamsValidator } from "./exact-api.js";

export function init() {
  return initModule({ module_or_path: new URL("./airflow_trigger_full_bg.wasm", import.meta.url) });
}
