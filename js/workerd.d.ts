/**
 * airflow-trigger for Cloudflare Workers (workerd): the `.wasm` is imported as a module and
 * instantiated on import, so no `init()` call is needed.
 *
 * @packageDocumentation
 */
export * from "./index.js";
