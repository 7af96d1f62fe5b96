// Node: the module is compiled and instantiated on import; no init call needed.
import { readFileSync } from "node:fs";
import { initSync } from "./airflow_trigger.js";

initSync({ module: readFileSync(new URL("./airflow_trigger_bg.wasm", import.meta.url)) });

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
