/**
 * airflow-trigger for Node, Deno and Bun (`import` and `require`): the module is instantiated on
 * import, so no `init()` call is needed.
 *
 * @packageDocumentation
 */
export * from "./api.js";
export { AirflowError } from "./error.js";
export type { AirflowErrorFields } from "./error.js";
