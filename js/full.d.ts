/**
 * airflow-trigger for browsers and bundlers, with Airflow's exact verdict: the same exports as
 * the default entry, but `init()` loads the full module (`airflow_trigger_full_bg.wasm`: Python's
 * `re`, its character names and idna's `idn-hostname` in the Airflow modes; 321 KB gzip instead
 * of 113 KB). In Node, Deno, Bun and workerd, `airflow-trigger/full` is the default entry, which
 * loads the full module already.
 *
 * @example
 * ```ts
 * import { init, ParamsValidator } from "airflow-trigger/full";
 *
 * await init();
 * const v = new ParamsValidator({ id: { value: "1", schema: { type: "string", pattern: "^\\d+$" } } });
 * v.validate({ id: "\u0661\u0662\n" }).valid; // true, as Airflow (Python's re) says
 * ```
 *
 * @packageDocumentation
 */
export * from "./index.js";
