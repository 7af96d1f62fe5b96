// Browsers and bundlers: call `await init()` once (it fetches the .wasm next to this file), or
// `initSync({ module })` with a compiled WebAssembly.Module or the bytes.
export {
  AirflowClient,
  addFormat,
  ConfValidator,
  ParamsValidator,
  buildTriggerRequest,
  errorsText,
  init,
  initSync,
  paramsToSchema,
  parseTriggerResponse,
  toCurl,
  triggerDagRun,
  validateConf,
} from "./api.js";
export { AirflowError } from "./error.js";
