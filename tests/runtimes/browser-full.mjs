// Browsers with the full module: the same smoke run through `airflow-trigger/full`, whose init()
// loads airflow_trigger_full_bg.wasm (a bundler emits it from the entry's new URL()).
import * as api from "airflow-trigger/full";
import { smoke } from "./smoke.mjs";

globalThis.runSmoke = async (config) => {
  await api.init();
  return smoke(api, config);
};
