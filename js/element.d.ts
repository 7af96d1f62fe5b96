import type { AirflowError } from "./error.js";
import type { ClientAuth, DagRun, TriggeredRun } from "./api.js";

/**
 * `<airflow-trigger dag-id="etl" base-url="https://airflow.example.com" auth="session" form wait>`:
 * a trigger button (and optionally the DAG's Params form). Importing `airflow-trigger/element`
 * defines the element. Attributes: `dag-id`, `base-url`, `api-version` (`auto`, `v1`, `v2`),
 * `auth` (`session` or `none`; other credentials through the `auth` property), `conf` (JSON
 * merged under the form's values), `label`, `form` (show the Params form), `wait` (follow the
 * run and emit `finished`). Events (bubbling, composed): `airflow-trigger:triggered`,
 * `airflow-trigger:finished` (with `wait`) and `airflow-trigger:error`; `detail` is the run or
 * the error.
 *
 * @example
 * ```ts
 * import "airflow-trigger/element";
 *
 * const el = document.createElement("airflow-trigger");
 * el.setAttribute("dag-id", "etl_daily");
 * el.setAttribute("base-url", "https://airflow.example.com");
 * el.setAttribute("form", "");
 * el.auth = { type: "bearer", token: "<token>" }; // credentials only as a property, never an attribute
 * el.addEventListener("airflow-trigger:triggered", (e) => console.log("run", e.detail.dagRunId));
 * el.addEventListener("airflow-trigger:error", (e) => console.error(e.detail.message));
 * document.body.append(el);
 * ```
 */
export declare class AirflowTriggerElement extends HTMLElement {
  /**
   * Credentials, kept in memory only (never an attribute). Setting them reconnects (and reloads
   * the form). Reading gives only `{ type }`.
   */
  set auth(value: ClientAuth | null);
  get auth(): {
    /** The type of the credentials set (`"bearer"`, `"password"`...). */
    type: string;
  } | null;
  /**
   * Triggers as the button does; resolves to the run (with `wait`, the finished run), or null
   * after an error (also an `airflow-trigger:error` event).
   *
   * @returns The run, or null.
   * @example
   * ```ts
   * import type { AirflowTriggerElement } from "airflow-trigger/element";
   *
   * const el = document.querySelector("airflow-trigger") as AirflowTriggerElement;
   * const run = await el.trigger();
   * if (run) console.log(run.dagRunId, run.state);
   * ```
   */
  trigger(): Promise<DagRun | null>;
  /**
   * Listens to the element's events (`airflow-trigger:triggered`, `:finished`, `:error`, with a
   * typed `detail`) or to any DOM event.
   *
   * @param type The event's name.
   * @param listener Called with the event.
   * @param options `addEventListener`'s options.
   * @example
   * ```ts
   * import type { AirflowTriggerElement } from "airflow-trigger/element";
   *
   * const el = document.querySelector("airflow-trigger") as AirflowTriggerElement;
   * el.addEventListener("airflow-trigger:finished", (e) => console.log(e.detail.state));
   * ```
   */
  addEventListener<K extends keyof AirflowTriggerElementEventMap>(
    type: K,
    listener: (this: AirflowTriggerElement, event: AirflowTriggerElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Listens to any other DOM event.
   *
   * @param type The event's name.
   * @param listener Called with the event.
   * @param options `addEventListener`'s options.
   */
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  /**
   * Removes a listener added with `addEventListener`.
   *
   * @param type The event's name.
   * @param listener The listener to remove.
   * @param options `removeEventListener`'s options.
   * @example
   * ```ts
   * import type { AirflowTriggerElement } from "airflow-trigger/element";
   *
   * const el = document.querySelector("airflow-trigger") as AirflowTriggerElement;
   * const onError = (e: CustomEvent<Error>) => console.error(e.detail.message);
   * el.addEventListener("airflow-trigger:error", onError);
   * el.removeEventListener("airflow-trigger:error", onError);
   * ```
   */
  removeEventListener<K extends keyof AirflowTriggerElementEventMap>(
    type: K,
    listener: (this: AirflowTriggerElement, event: AirflowTriggerElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Removes a listener of any other DOM event.
   *
   * @param type The event's name.
   * @param listener The listener to remove.
   * @param options `removeEventListener`'s options.
   */
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * The events of `<airflow-trigger>` (bubbling, composed), by name.
 *
 * @example
 * ```ts
 * import type { AirflowTriggerElementEventMap } from "airflow-trigger/element";
 *
 * document.addEventListener("airflow-trigger:triggered", (e) => {
 *   const event = e as AirflowTriggerElementEventMap["airflow-trigger:triggered"];
 *   console.log(event.detail.dagRunId);
 * });
 * ```
 */
export interface AirflowTriggerElementEventMap extends HTMLElementEventMap {
  /** A run was created: `detail` is the run. */
  "airflow-trigger:triggered": CustomEvent<TriggeredRun>;
  /** With `wait`: the run ended (`success` or `failed`); `detail` is the finished run. */
  "airflow-trigger:finished": CustomEvent<DagRun>;
  /**
   * Something failed: `detail` is the error, an {@link AirflowError} (or, for a form value the
   * Params refuse, an `Error` with `code: "INVALID_CONF"` and `errors`).
   */
  "airflow-trigger:error": CustomEvent<Error>;
}

declare global {
  interface HTMLElementTagNameMap {
    /** The `<airflow-trigger>` element (defined by importing `airflow-trigger/element`). */
    "airflow-trigger": AirflowTriggerElement;
  }
}
