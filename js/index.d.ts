export type { InitInput, InitOutput, SyncInitInput } from "./airflow_trigger.js";
export * from "./api.js";
export { AirflowError } from "./error.js";
