// Browsers (plain ESM through an import map, or a bundle): window.smoke(config) runs the test.
import * as api from "airflow-trigger";
import { smoke } from "./smoke.mjs";

globalThis.runSmoke = async (config, wasmUrl) => {
  await api.init(wasmUrl ? { module_or_path: wasmUrl } : undefined);
  return smoke(api, config);
};
