/**
 * The error every function of airflow-trigger throws or rejects with.
 *
 * Errors are created inside the WebAssembly module as plain `Error`s named "AirflowError";
 * `instanceof AirflowError` recognises them (and errors from another copy of this package).
 */
export class AirflowError extends Error {
  constructor(code, message, { status, detail, field, errors, dagRunId } = {}) {
    super(message);
    this.name = "AirflowError";
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.field = field;
    this.errors = errors;
    this.dagRunId = dagRunId;
  }

  static [Symbol.hasInstance](value) {
    return value instanceof Error && value.name === "AirflowError" && typeof value.code === "string";
  }
}
