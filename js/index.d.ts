/**
 * airflow-trigger for browsers and bundlers: call `await init()` once before anything else (the
 * Node, Deno, Bun and workerd entries initialise on import and have the same exports).
 *
 * @packageDocumentation
 */
export * from "./api.js";
export { AirflowError } from "./error.js";
export type { AirflowErrorFields } from "./error.js";
