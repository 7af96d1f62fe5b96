import type { ErrorCode, ValidationError } from "./api.js";

/**
 * The error every function of airflow-trigger throws or rejects with: branch on its stable
 * `code`. Credentials never appear in it. `instanceof AirflowError` also recognises the errors of
 * another copy of the package.
 *
 * @example
 * ```ts
 * import { AirflowError, triggerDagRun } from "airflow-trigger";
 *
 * try {
 *   await triggerDagRun({ baseUrl: "https://airflow.example.com", apiVersion: "v2", dagId: "etl_daily", conf: { day: 1 } });
 * } catch (e) {
 *   if (!(e instanceof AirflowError)) throw e;
 *   if (e.code === "INVALID_CONF") for (const err of e.errors ?? []) console.log(err.instancePath, err.message);
 *   else if (e.code === "UNAUTHORIZED") console.error("check the credentials");
 *   else console.error(e.code, e.status, e.detail, e.message);
 * }
 * ```
 */
export declare class AirflowError extends Error {
  /**
   * Creates an error in the package's shape (the package creates its own; this is for tests
   * and wrappers).
   *
   * @param code The stable code.
   * @param message What happened.
   * @param fields The optional fields: `status`, `detail`, `field`, `errors`, `dagRunId`.
   */
  constructor(code: ErrorCode, message: string, fields?: AirflowErrorFields);
  /** Always `"AirflowError"`. */
  readonly name: "AirflowError";
  /** A stable code to branch on. */
  readonly code: ErrorCode;
  /** The HTTP status, when Airflow answered (0 for a browser's opaque redirect). */
  readonly status: number | undefined;
  /** Airflow's own message, whatever the shape of its error body. */
  readonly detail: string | undefined;
  /** The option at fault, for `INVALID_ARGUMENT` (`"dagId"`, `"conf.items[2]"`...). */
  readonly field: string | undefined;
  /** Every validation error, for `INVALID_CONF` found before sending. */
  readonly errors: ValidationError[] | undefined;
  /**
   * A trigger that failed after its POST may have reached Airflow (no answer, a timeout, a 5xx):
   * the run id it sent. The run may exist; trigger again with this `dagRunId` to get it without a second run.
   */
  readonly dagRunId: string | undefined;
}

/**
 * The optional fields of `new AirflowError(code, message, fields)`.
 *
 * @example
 * ```ts
 * import { AirflowError } from "airflow-trigger";
 *
 * const error = new AirflowError("NOT_FOUND", "no such DAG", { status: 404, detail: "DAG not found" });
 * ```
 */
export interface AirflowErrorFields {
  /** The HTTP status. */
  status?: number;
  /** The server's own message. */
  detail?: string;
  /** The option at fault. */
  field?: string;
  /** The validation errors. */
  errors?: ValidationError[];
  /** The run id a trigger sent. */
  dagRunId?: string;
}
