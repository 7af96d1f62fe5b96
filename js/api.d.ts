import type { InitInput, InitOutput, SyncInitInput } from "./airflow_trigger.js";

/**
 * Loads the WebAssembly module. Browsers and bundlers: `await init()` once before anything else
 * (it fetches `airflow_trigger_bg.wasm` next to the package's JS; pass a URL, `Response`, bytes
 * or a `WebAssembly.Module` to load it from elsewhere). The Node, Deno, Bun and workerd entries
 * initialise on import; calling it again is harmless.
 */
export declare function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** Instantiates the module synchronously from a `WebAssembly.Module` or its bytes. */
export declare function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

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
  /** `triggerDagRun` only: check `conf` against the DAG's Params before sending (default true). */
  validate?: boolean;
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
  | "TIMEOUT"
  | "CANCELLED";

/** Builds and checks the trigger request; nothing is sent. Throws `AirflowError` (`INVALID_ARGUMENT`). */
export function buildTriggerRequest(options: TriggerOptions): HttpRequest;

/** The request as a `curl` command; credentials are `***` unless `revealSecrets` is true. */
export function toCurl(request: HttpRequest, options?: CurlOptions): string;

/**
 * Triggers a DAG run with the global `fetch` (no retries; see `AirflowClient`); resolves to the
 * new run or rejects with `AirflowError`.
 */
export function triggerDagRun(options: TriggerOptions): Promise<TriggeredRun>;

/** A run created by a trigger. */
export interface TriggeredRun extends DagRun {
  /** The run already existed with this id and conf (a retry after an ambiguous failure). */
  alreadyExisted: boolean;
  /** The DAG is paused (as of its details, read within `paramsTtlMs`): the run stays queued until someone unpauses it. */
  dagPaused: boolean;
  /** The DAG was paused and this trigger unpaused it (`unpause: true`). */
  unpaused: boolean;
}

/** How `AirflowClient` authenticates. */
export type ClientAuth =
  | Auth
  /** Airflow 2: Basic. Airflow 3: exchanged at POST /auth/token for a JWT, renewed once on 401. */
  | { type: "password"; username: string; password: string }
  /** The browser's session cookie (same-origin portals). */
  | { type: "session" };

/** A `fetch`-compatible function (worker service bindings, tests). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface AirflowClientOptions {
  baseUrl: string;
  /** Default `"auto"`: `GET /api/v1/version`, then `/api/v2/version`, once (v1 first: in a browser, Airflow 2 answers CORS only under /api/v1). */
  apiVersion?: "auto" | ApiVersion;
  auth?: ClientAuth;
  /**
   * Default: the global `fetch`. Called with `redirect: "manual"`: the client never follows a
   * redirect (it is a `BAD_REQUEST` AirflowError), so credentials never go elsewhere.
   */
  fetch?: FetchFunction;
  /** Per request; default 30,000. */
  timeoutMs?: number;
  /** After a network error, a timeout, 502, 503 or 504; default 3. */
  retries?: number;
  /**
   * How long a DAG's details (Params, compiled once, and whether it is paused) are reused by
   * `getParams` and `trigger`, which then sends one request; default 60,000; 0 reads them every time.
   */
  paramsTtlMs?: number;
  /** Formats asserted when a trigger validates conf; default the server's own (airflow2 / airflow3). */
  formats?: FormatsMode;
}

/** Per-trigger options: `TriggerOptions` without what the client holds. */
export type TriggerCallOptions = Omit<TriggerOptions, "baseUrl" | "apiVersion" | "dagId" | "auth"> & {
  /** Unpause the DAG first when it is paused (default false: the run waits, and `dagPaused` says so). */
  unpause?: boolean;
  /** Cancels the call: it rejects with `CANCELLED` at once and sends nothing more. */
  signal?: AbortSignal;
};

/** Options every `AirflowClient` call takes. */
export interface CallOptions {
  /** Cancels the call: it rejects with `CANCELLED` at once and sends nothing more. */
  signal?: AbortSignal;
}

/** An asset (Airflow 3) or dataset (Airflow 2), in one shape. */
export interface Asset {
  id: number | null;
  uri: string;
  /** Airflow 3 only. */
  name: string | null;
  group: string | null;
  /** The DAGs scheduled on it: an event makes them run. */
  scheduledDags: string[];
  raw: JsonObject;
}

/** An asset (dataset) event as Airflow recorded it. */
export interface AssetEvent {
  id: number | null;
  assetId: number | null;
  uri: string | null;
  timestamp: string | null;
  /** As stored: Airflow adds `from_rest_api: true`. */
  extra: JsonObject | null;
  sourceDagId: string | null;
  sourceTaskId: string | null;
  sourceRunId: string | null;
  raw: JsonObject;
}

/** Which asset an event is for: its URI (matched exactly) or Airflow 3's id. */
export type AssetEventOptions = ({ uri: string; assetId?: never } | { assetId: number; uri?: never }) & {
  /** A JSON object stored with the event. */
  extra?: JsonObject;
} & CallOptions;

export interface WaitOptions extends CallOptions {
  /** Default 2,000. */
  intervalMs?: number;
  /** Default 3,600,000; then rejects with `TIMEOUT`. */
  timeoutMs?: number;
  /** Called with the run on every state change, the final one included. */
  onProgress?: (run: DagRun) => void;
}

/** A DAG, in one shape for Airflow 2 and 3. */
export interface Dag {
  dagId: string;
  isPaused: boolean;
  description: string | null;
  tags: JsonValue[];
  raw: JsonObject;
}

export declare class AirflowClient {
  constructor(options: AirflowClientOptions);
  trigger(dagId: string, options?: TriggerCallOptions): Promise<TriggeredRun>;
  getRun(dagId: string, runId: string, options?: CallOptions): Promise<DagRun>;
  waitForRun(dagId: string, runId: string, options?: WaitOptions): Promise<DagRun>;
  getDag(dagId: string, options?: CallOptions): Promise<Dag>;
  getParams(dagId: string, options?: CallOptions): Promise<DagParams>;
  listDags(options?: { search?: string; limit?: number } & CallOptions): Promise<{ dags: Dag[]; totalEntries: number | null }>;
  /** The DAG's most recent runs, newest first (`limit` 1-100, default 10). */
  listRuns(dagId: string, options?: { limit?: number } & CallOptions): Promise<{ runs: DagRun[]; totalEntries: number | null }>;
  version(options?: CallOptions): Promise<{ version: string; apiVersion: ApiVersion }>;
  /**
   * Announces that an asset changed, so the DAGs scheduled on it run. Sent at most once: after a
   * failure that leaves unknown whether it arrived, it rejects instead of risking a second event.
   */
  createAssetEvent(options: AssetEventOptions): Promise<AssetEvent>;
  /** Assets (Airflow 2: datasets) whose URI contains `search` (`limit` 1-1000, default 100). */
  listAssets(options?: { search?: string; limit?: number } & CallOptions): Promise<{ assets: Asset[]; totalEntries: number | null }>;
  /** One asset by URI (matched exactly) or id, with the DAGs scheduled on it. */
  getAsset(asset: string | number, options?: CallOptions): Promise<Asset>;
  /** Airflow 3: runs the DAG that produces the asset. */
  materializeAsset(asset: string | number, options?: CallOptions): Promise<DagRun>;
  free(): void;
}

/** Reads an answer you fetched yourself: the DAG run for a 2xx status; throws `AirflowError` otherwise. */
export function parseTriggerResponse(apiVersion: ApiVersion, status: number, contentType: string, body: string): DagRun;

/** An ajv-shaped validation error. */
export interface ValidationError {
  /** JSON Pointer to the failing value: `""` for the root, `/count`, `/items/0`. */
  instancePath: string;
  /** Where the keyword is in the schema: `#/properties/count/minimum`. */
  schemaPath: string;
  keyword: string;
  params: { [key: string]: JsonValue };
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

/** Which `format`s are asserted: what Airflow 2.11 / 3.3 check, every spec format, or none. */
export type FormatsMode = "airflow2" | "airflow3" | "all" | "none";

/** A JSON Schema document: an object or a boolean. */
export type JsonSchema = boolean | JsonObject;

export interface ValidatorOptions {
  /** Default `"airflow3"`. */
  formats?: FormatsMode;
  /** Report every error (default true) or stop at the first. */
  allErrors?: boolean;
  /** Documents `$ref` may point to, by URI. Nothing is ever fetched. */
  resources?: { [uri: string]: JsonSchema };
  /** Deepest nesting of schema applications (default 128, at most 256). */
  maxDepth?: number;
  /** Most subschema evaluations for one validation (default 10,000,000); pattern matching and `uniqueItems` count by their real cost. */
  maxSteps?: number;
  /** Most errors reported (default 100); past it, one error with keyword `maxErrors` says more were found. */
  maxErrors?: number;
  /** About the most bytes of JSON the errors take (default 262,144); past it, the same `maxErrors` error ends the list. */
  maxErrorBytes?: number;
  /** Largest instance accepted, in bytes of JSON (default 16 MiB). */
  maxInputBytes?: number;
}

export declare class ConfValidator {
  /** Compiles once; throws `AirflowError` (`INVALID_ARGUMENT`) for a bad schema or unresolvable `$ref`. */
  constructor(schema: JsonSchema, options?: ValidatorOptions);
  validate(instance: JsonValue): ValidationResult;
  /** Releases the compiled schema now instead of at garbage collection. */
  free(): void;
}

/** Compiles `schema` and validates `instance` once. */
export function validateConf(schema: JsonSchema, instance: JsonValue, options?: ValidatorOptions): ValidationResult;

/** One Param as `GET /dags/{dag_id}/details` serves it (Airflow 2 adds `__class`; Airflow 3 `source`). */
export interface ParamSpec {
  value: JsonValue;
  schema: JsonObject;
  description?: string | null;
  __class?: string;
  source?: string | null;
}

/** The `params` of `GET /dags/{dag_id}/details`. */
export type DagParams = { [name: string]: ParamSpec | JsonValue };

/** `paramsToSchema`'s result: an object schema with a property per Param. */
export interface ParamsSchema {
  type: "object";
  properties: { [name: string]: JsonObject };
  required: string[];
}

export function paramsToSchema(params: DagParams): ParamsSchema;

export interface ParamsValidatorOptions {
  /** `"airflow2"` or `"airflow3"` (default) select that server's format checks and quirks. */
  formats?: FormatsMode;
  allErrors?: boolean;
  /** Conf keys that are not Params: accepted like Airflow does (default) or reported. */
  unknownKeys?: "ignore" | "error";
  /** Most errors reported (default 100); past it, one error with keyword `maxErrors` says more were found. */
  maxErrors?: number;
}

export interface ParamsValidationResult extends ValidationResult {
  /** The conf with the defaults of the Params it leaves out. */
  conf: JsonObject;
}

export declare class ParamsValidator {
  constructor(params: DagParams, options?: ParamsValidatorOptions);
  validate(conf: JsonObject): ParamsValidationResult;
  free(): void;
}
