export { default as init, initSync } from "./airflow_trigger.js";
export * from "./airflow_trigger.js";
export { AirflowError } from "./error.js";
