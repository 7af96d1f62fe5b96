// A DAG's ParamsValidator with Airflow's verdict whichever module the page loaded. The browser's
// default module refuses to compile Params it cannot judge as Airflow does (a pattern,
// `format: "regex"` or `"idn-hostname"`: Airflow reads them with Python's re and idna); for
// those DAGs, and only those, the full module is loaded once, as a second instance beside the
// page's, and judges them.
import { ParamsValidator } from "./pkg/index.js";

// The refusal's reason, word for word (NO_PYTHON in src/schema/mod.rs): the end of its message.
const NO_PYTHON = `needs Python's re: load airflow-trigger/full, or use formats "all"`;

let full;

/** The formats Airflow checks: 2.x's or 3.x's, by the API version the client found. */
export function formatsFor(apiVersion) {
  return apiVersion === "v1" ? "airflow2" : "airflow3";
}

// Params no module compiles (a draft this crate does not implement, groups nested past its
// limit, a schema Airflow refuses too) are not checked here: the trigger goes, and Airflow's own
// answer decides, as the client does with them.
const unchecked = (e) => ({ unchecked: e.message, validate: (conf) => ({ valid: true, errors: [], conf }), free() {} });

/** A ParamsValidator for `params` (the details endpoint's), from the full module if need be. */
export async function paramsValidator(params, options) {
  try {
    return new ParamsValidator(params, options);
  } catch (e) {
    if (e?.code !== "INVALID_ARGUMENT") throw e;
    if (!String(e.message).endsWith(NO_PYTHON)) return unchecked(e);
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
  const { ParamsValidator: Full } = await full;
  try {
    return new Full(params, options);
  } catch (e) {
    if (e?.code !== "INVALID_ARGUMENT") throw e;
    return unchecked(e);
  }
}
