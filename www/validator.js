// A DAG's ParamsValidator with Airflow's verdict whichever module the page loaded. The browser's
// default module refuses to compile Params it cannot judge as Airflow does (a pattern,
// `format: "regex"` or `"idn-hostname"`: Airflow reads them with Python's re and idna); for
// those DAGs, and only those, the full module is loaded once, as a second instance beside the
// page's, and judges them.
import { ParamsValidator } from "./pkg/index.js";

let full;

/** A ParamsValidator for `params` (the details endpoint's), from the full module if need be. */
export async function paramsValidator(params) {
  try {
    return new ParamsValidator(params);
  } catch (e) {
    // The refusal names the full module's entry: a stable part of that message.
    if (e?.code !== "INVALID_ARGUMENT" || !String(e.message).includes("airflow-trigger/full")) throw e;
  }
  full ??= import("./pkg/exact.js").then(
    async (m) => {
      await m.init();
      return m;
    },
    (e) => {
      full = undefined; // a failed fetch is tried again next time
      throw e;
    },
  );
  return new (await full).ParamsValidator(params);
}
