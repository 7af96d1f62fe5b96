/** `"v1"`: Airflow 2 (`/api/v1`, Basic auth). `"v2"`: Airflow 3 (`/api/v2`, JWT). */
export type ApiVersion = "v1" | "v2";

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, e.g. a DAG run's `conf`. */
export type JsonObject = { [key: string]: JsonValue };

/** How a request authenticates. Every value is treated as a secret. */
export type Auth =
  | { type: "none" }
  | { type: "basic"; username: string; password: string }
  | { type: "bearer"; token: string }
  | { type: "headers"; headers: Record<string, string> };

/** What to trigger. Dates are RFC 3339 strings with a time zone. */
export interface TriggerOptions {
  /** Airflow's URL, with or without a path prefix: `https://host/airflow`. No credentials in it. */
  baseUrl: string;
  apiVersion: ApiVersion;
  /** The DAG id (`^[\w.-]+$`, at most 250 characters). */
  dagId: string;
  /** The run's conf: a JSON object. */
  conf?: JsonObject;
  /** `^[A-Za-z0-9_.~:+-]+$`, at most 250; generated (`trigger__<time>_<random>`) when absent. */
  dagRunId?: string;
  /** v1 omits it when absent; v2 sends `null` ("now"). */
  logicalDate?: string;
  /** A note shown on the run in Airflow's UI. */
  note?: string;
  /** Give both ends of the data interval, or neither. */
  dataIntervalStart?: string;
  dataIntervalEnd?: string;
  /** Airflow 3 (`v2`) only. */
  runAfter?: string;
  auth?: Auth;
}

/** A request as plain data, ready for `fetch(url, { method, headers, body })`. */
export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Names of the headers whose values are credentials (masked by `toCurl`). */
  sensitiveHeaders?: string[];
}

export interface CurlOptions {
  /** Print credentials instead of `***`. Default false. */
  revealSecrets?: boolean;
}

/** The states Airflow reports; a future Airflow may add others. */
export type DagRunState = "queued" | "running" | "success" | "failed" | (string & {});

/** A DAG run, in one shape for Airflow 2 and 3. */
export interface DagRun {
  dagId: string;
  dagRunId: string;
  state: DagRunState;
  /** `null` for Airflow 3 runs triggered "now". */
  logicalDate: string | null;
  conf: JsonObject;
  note: string | null;
  startDate: string | null;
  endDate: string | null;
  runType: string | null;
  /** The server's own object. */
  raw: JsonObject;
}

/** The stable codes of `AirflowError`. */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_CONF"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "BAD_REQUEST"
  | "SERVER"
  | "NETWORK"
  | "TIMEOUT";

/** Builds and checks the trigger request; nothing is sent. Throws `AirflowError` (`INVALID_ARGUMENT`). */
export function buildTriggerRequest(options: TriggerOptions): HttpRequest;

/** The request as a `curl` command; credentials are `***` unless `revealSecrets` is true. */
export function toCurl(request: HttpRequest, options?: CurlOptions): string;

/** Triggers a DAG run with the global `fetch`; resolves to the new run or rejects with `AirflowError`. */
export function triggerDagRun(options: TriggerOptions): Promise<DagRun>;

/** Reads an answer you fetched yourself: the DAG run for a 2xx status; throws `AirflowError` otherwise. */
export function parseTriggerResponse(apiVersion: ApiVersion, status: number, contentType: string, body: string): DagRun;
