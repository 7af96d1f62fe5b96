import type { ClientAuth, DagRun } from "./api.js";

/**
 * `<airflow-trigger dag-id="etl" base-url="https://airflow.example.com" auth="session" form wait>`:
 * a trigger button (and optionally the DAG's Params form). Importing `airflow-trigger/element`
 * defines the element. Events (bubbling, composed): `airflow-trigger:triggered`,
 * `airflow-trigger:finished` (with `wait`) and `airflow-trigger:error`; `detail` is the run or the error.
 */
export declare class AirflowTriggerElement extends HTMLElement {
  /** Credentials, kept in memory only (never an attribute). Reading gives only `{ type }`. */
  set auth(value: ClientAuth | null);
  get auth(): { type: string } | null;
  /** Triggers as the button does; resolves to the run, or null after an error (also an `error` event). */
  trigger(): Promise<DagRun | null>;
}
