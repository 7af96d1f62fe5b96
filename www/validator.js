// A DAG's ParamsValidator with Airflow's verdict whichever module the page loaded. The browser's
// default module refuses to compile Params it cannot judge as Airflow does (a pattern,
// `format: "regex"` or `"idn-hostname"`: Airflow reads them with Python's re and idna); for
// those DAGs, and only those, the full module is loaded once, as a second instance beside the
// page's, and judges them.
import { ParamsValidator } from "./pkg/index.js";

// The refusal's reason, word for word (NO_PYTHON in src/schema/mod.rs): the end of its message.
const NO_PYTHON = `the Airflow modes need Python's re and idna: load airflow-trigger/full, or use formats "all"`;

let full;

/** The formats Airflow checks: 2.x's or 3.x's, by the API version the client found. */
export function formatsFor(apiVersion) {
  return apiVersion === "v1" ? "airflow2" : "airflow3";
}

/** A ParamsValidator for `params` (the details endpoint's), from the full module if need be. */
export async function paramsValidator(params, options) {
  try {
    return new ParamsValidator(params, options);
  } catch (e) {
    if (e?.code !== "INVALID_ARGUMENT" || !String(e.message).endsWith(NO_PYTHON)) throw e;
  }
  // A failed import or fetch of the module is tried again by the next call.
  full ??= (async () => {
    const m = await import("./pkg/exact.js");
    await m.init();
    return m;
  })().catch((e) => {
    full = undefined;
    throw e;
  });
  return new (await full).ParamsValidator(params, options);
}
