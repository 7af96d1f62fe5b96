// Browsers and bundlers: call `await init()` once (it fetches the .wasm next to this file),
// or `initSync({ module })` with a compiled WebAssembly.Module.
export { default as init, initSync } from "./airflow_trigger.js";
export {
  AirflowClient,
  ConfValidator,
  ParamsValidator,
  buildTriggerRequest,
  paramsToSchema,
  parseTriggerResponse,
  toCurl,
  triggerDagRun,
  validateConf,
} from "./api.js";
export { AirflowError } from "./error.js";
