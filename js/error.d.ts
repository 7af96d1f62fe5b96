import type { ErrorCode, ValidationError } from "./api.js";

/** The error every function of airflow-trigger throws or rejects with. */
export declare class AirflowError extends Error {
  constructor(code: ErrorCode, message: string, fields?: { status?: number; detail?: string; field?: string; errors?: ValidationError[]; dagRunId?: string });
  readonly name: "AirflowError";
  /** A stable code to branch on. */
  readonly code: ErrorCode;
  /** The HTTP status, when Airflow answered. */
  readonly status: number | undefined;
  /** Airflow's own message, whatever the shape of its error body. */
  readonly detail: string | undefined;
  /** The option at fault, for `INVALID_ARGUMENT`. */
  readonly field: string | undefined;
  /** Every validation error, for `INVALID_CONF` found before sending. */
  readonly errors: ValidationError[] | undefined;
  /**
   * A trigger that failed after its POST may have reached Airflow (no answer, a timeout, a 5xx):
   * the run id it sent. The run may exist; trigger again with this `dagRunId` to get it without a second run.
   */
  readonly dagRunId: string | undefined;
}
