declare global {
  interface SymbolConstructor {
    /**
     * The method a `using` declaration calls when its scope ends (TypeScript's
     * `lib.esnext.disposable` and `@types/node` declare it the same way; declared here too so
     * that the package's classes type-check under `lib` settings without it, such as es2022).
     */
    readonly dispose: unique symbol;
  }
}

/**
 * What {@link init} loads the WebAssembly module from: a URL (`string`, `URL`, `Request`), a
 * `Response`, the bytes, or a compiled `WebAssembly.Module`. (Typed as `string | object`: the
 * precise DOM types would not compile in a Node project without lib "dom".)
 */
export type InitInput = string | object;

/**
 * The instantiated WebAssembly module's exports, as {@link init} and {@link initSync} return
 * them. Internal: nothing in the package's API needs it.
 */
export type InitOutput = object;

/**
 * What {@link initSync} instantiates the module from: its bytes (`ArrayBuffer`, a typed array)
 * or a compiled `WebAssembly.Module`.
 */
export type SyncInitInput = ArrayBuffer | ArrayBufferView | object;

/**
 * Loads the WebAssembly module. Browsers and bundlers: `await init()` once before anything else
 * (it fetches `airflow_trigger_bg.wasm` next to the package's JS; pass a URL, `Response`, bytes
 * or a `WebAssembly.Module` to load it from elsewhere). The Node, Deno, Bun and workerd entries
 * initialise on import; calling it again is harmless.
 *
 * Two modules ship with the same exports: `airflow_trigger_bg.wasm` (the default here, within the
 * 120 KB gzip budget, without Python's `re` and idna: in the Airflow modes it refuses to compile
 * `pattern`, `patternProperties`, `format: "regex"` and `"idn-hostname"`) and
 * `airflow_trigger_full_bg.wasm` (Python's `re` and idna's exact `idn-hostname` in the Airflow
 * modes, as Airflow validates Params; what Node, Deno, Bun and workerd load). For Airflow's exact
 * verdict in a browser, import `airflow-trigger/full` (its `init()` loads the full module) or pass
 * the full module's URL here. The first call decides which module is loaded: a
 * later call, with another module or not, returns the first one's (the `<airflow-trigger>`
 * element calls `init()` when it connects, so call this before the element is defined).
 *
 * @param module_or_path Where to load the module from: `{ module_or_path: url }` (a bare
 *   {@link InitInput} works too but is deprecated). Default: the `.wasm` next to the JS.
 * @returns The module's exports (internal).
 * @example
 * ```ts
 * // A browser page without a bundler (an import map maps "airflow-trigger" to the package's index.js):
 * import { init, validateConf } from "airflow-trigger";
 *
 * await init(); // once, before anything else
 * validateConf({ type: "integer" }, 3).valid; // true
 *
 * // Or from another address, or the full module (Python's `re` in the Airflow modes):
 * await init({ module_or_path: new URL("/static/airflow_trigger_full_bg.wasm", location.href) });
 * ```
 */
export declare function init(
  module_or_path?:
    | {
        /** Where to load the module from. */
        module_or_path: InitInput | Promise<InitInput>;
      }
    | InitInput
    | Promise<InitInput>,
): Promise<InitOutput>;

/**
 * Instantiates the module synchronously from a `WebAssembly.Module` or its bytes (what the
 * Node, Deno, Bun and workerd entries do on import).
 *
 * @param module `{ module: bytesOrModule }` (a bare {@link SyncInitInput} works too but is deprecated).
 * @returns The module's exports (internal).
 * @example
 * ```ts
 * import { initSync } from "airflow-trigger";
 *
 * // A worker runtime that imports the .wasm as a compiled module:
 * const wasm = await WebAssembly.compileStreaming(fetch("/airflow_trigger_full_bg.wasm"));
 * initSync({ module: wasm });
 * ```
 */
export declare function initSync(
  module:
    | {
        /** The module's bytes or a compiled `WebAssembly.Module`. */
        module: SyncInitInput;
      }
    | SyncInitInput,
): InitOutput;

/**
 * `"v1"`: Airflow 2 (`/api/v1`, Basic auth). `"v2"`: Airflow 3 (`/api/v2`, JWT).
 */
export type ApiVersion = "v1" | "v2";

/** Any JSON value: what the package returns where it returns data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, e.g. a DAG run's `conf` as Airflow returns it. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * What TypeScript knows is not a JSON object: {@link ConfInput} refuses these at compile time.
 */
export type NotJsonObject =
  | readonly unknown[]
  | string
  | number
  | boolean
  | bigint
  | symbol
  | null
  | ((...args: never[]) => unknown);

/**
 * A conf (or an asset event's `extra`) as your code has it: a JSON object, an object typed by
 * an `interface` or a `type`, `object`, or `unknown`. A value TypeScript knows to be an array,
 * a primitive, `null` or a function is a compile error; everything else is checked at run time,
 * where anything but a plain JSON object is an `AirflowError` (`INVALID_ARGUMENT`) naming the
 * bad value's path (`conf.items[2]`), and nothing is sent.
 *
 * @typeParam C The conf's own type (inferred from the argument).
 */
export type ConfInput<C = unknown> = C extends NotJsonObject ? never : C;

/**
 * How a request authenticates. Every value is treated as a secret (never in URLs, errors or
 * `toCurl`'s output unless asked).
 */
export type Auth =
  | {
      /** No `Authorization` header. */
      type: "none";
    }
  | {
      /** HTTP Basic (Airflow 2's `basic_auth` API backend). */
      type: "basic";
      /** The Airflow user. */
      username: string;
      /** The user's password. */
      password: string;
    }
  | {
      /** `Authorization: Bearer <token>` (an Airflow 3 JWT, or a token your proxy accepts). */
      type: "bearer";
      /** The token, without `Bearer `. */
      token: string;
    }
  | {
      /** Headers of your own (a proxy's, a session's), sent as given and masked by `toCurl`. */
      type: "headers";
      /** Header names to values. */
      headers: Record<string, string>;
    };

/**
 * What a trigger sends: the fields {@link TriggerOptions} (`buildTriggerRequest`,
 * `triggerDagRun`) and {@link TriggerCallOptions} (`AirflowClient.trigger`) share.
 *
 * @typeParam C The conf's type (see {@link ConfInput}).
 * @example
 * ```ts
 * import type { RunOptions } from "airflow-trigger";
 *
 * interface EtlConf { day: string; retries?: number }
 * const run: RunOptions<EtlConf> = { conf: { day: "2024-01-01" }, note: "backfill", dagRunId: "etl_2024_01_01" };
 * ```
 */
export interface RunOptions<C = unknown> {
  /**
   * The run's conf: a JSON object. Typed by an interface, `object` or `unknown` is fine; anything
   * but a plain JSON object is refused at run time (`INVALID_ARGUMENT`). See {@link ConfInput}.
   */
  conf?: ConfInput<C>;
  /**
   * The run id: `^[A-Za-z0-9_.~:+-]+$`, at most 250 characters; generated
   * (`trigger__<time>_<random>`) when absent. A trigger always sends one, so a retry can never
   * create a second run.
   */
  dagRunId?: string;
  /** RFC 3339 with a time zone. v1 omits it when absent; v2 sends `null` ("now"). */
  logicalDate?: string;
  /** A note shown on the run in Airflow's UI (Airflow's limit is 1,000 characters). */
  note?: string;
  /** The data interval's start, RFC 3339 with a time zone. Give both ends of the interval, or neither. */
  dataIntervalStart?: string;
  /** The data interval's end, RFC 3339 with a time zone. Give both ends of the interval, or neither. */
  dataIntervalEnd?: string;
  /** Airflow 3 (`v2`) only: the earliest time the run may start, RFC 3339 with a time zone. */
  runAfter?: string;
  /**
   * Check `conf` against the DAG's Params before sending (default true; `triggerDagRun` and
   * `AirflowClient.trigger` only: `buildTriggerRequest` sends nothing and ignores it). A conf
   * the Params refuse rejects with `INVALID_CONF` and ajv-shaped `errors`; nothing is sent.
   */
  validate?: boolean;
}

/**
 * What to trigger, for {@link buildTriggerRequest} and {@link triggerDagRun}. Dates are RFC 3339
 * strings with a time zone. A misspelt option is an `INVALID_ARGUMENT` error that suggests the
 * right name.
 *
 * @typeParam C The conf's type (see {@link ConfInput}).
 * @example
 * ```ts
 * import { buildTriggerRequest, type TriggerOptions } from "airflow-trigger";
 *
 * interface EtlConf { day: string; retries?: number }
 * const conf: EtlConf = { day: "2024-01-01" };
 * const options: TriggerOptions = {
 *   baseUrl: "https://airflow.example.com",
 *   apiVersion: "v2",
 *   dagId: "etl_daily",
 *   conf,
 *   auth: { type: "bearer", token: "<token>" },
 * };
 * const request = buildTriggerRequest(options);
 * ```
 */
export interface TriggerOptions<C = unknown> extends RunOptions<C> {
  /** Airflow's URL, with or without a path prefix: `https://host/airflow`. No credentials in it, and no `/api/v1` or `/api/v2`. */
  baseUrl: string;
  /** `"v1"` for Airflow 2, `"v2"` for Airflow 3. */
  apiVersion: ApiVersion;
  /** The DAG id (`^[\w.-]+$`, at most 250 characters). */
  dagId: string;
  /** How the request authenticates; default `{ type: "none" }`. */
  auth?: Auth;
}

/**
 * A request as plain data, ready for `fetch(url, { method, headers, body })`.
 *
 * @example
 * ```ts
 * import { buildTriggerRequest, type HttpRequest } from "airflow-trigger";
 *
 * const request: HttpRequest = buildTriggerRequest({ baseUrl: "https://airflow.example.com", apiVersion: "v2", dagId: "etl_daily" });
 * const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
 * ```
 */
export interface HttpRequest {
  /** The HTTP method. */
  method: "GET" | "POST";
  /** The absolute URL. */
  url: string;
  /** Header names to values, credentials included. */
  headers: Record<string, string>;
  /** The JSON body, when there is one. */
  body?: string;
  /** Names of the headers whose values are credentials (masked by `toCurl`). */
  sensitiveHeaders?: string[];
}

/**
 * Options of {@link toCurl}.
 *
 * @example
 * ```ts
 * import { buildTriggerRequest, toCurl } from "airflow-trigger";
 *
 * const request = buildTriggerRequest({ baseUrl: "https://airflow.example.com", apiVersion: "v1", dagId: "etl_daily" });
 * const command = toCurl(request, { revealSecrets: false }); // credentials as ***
 * ```
 */
export interface CurlOptions {
  /** Print credentials instead of `***`. Default false. */
  revealSecrets?: boolean;
}

/** The states Airflow reports; a future Airflow may add others. */
export type DagRunState = "queued" | "running" | "success" | "failed" | (string & {});

/**
 * A DAG run, in one shape for Airflow 2 and 3.
 *
 * @example
 * ```ts
 * import { parseTriggerResponse, type DagRun } from "airflow-trigger";
 *
 * const run: DagRun = parseTriggerResponse("v2", 200, "application/json",
 *   '{"dag_id":"etl","dag_run_id":"r1","state":"queued","logical_date":null,"conf":{}}');
 * run.dagRunId; // "r1"
 * run.logicalDate; // null: an Airflow 3 run triggered "now"
 * ```
 */
export interface DagRun {
  /** The DAG's id. */
  dagId: string;
  /** The run's id. */
  dagRunId: string;
  /** The run's state: `queued`, `running`, `success`, `failed` (or another a future Airflow adds). */
  state: DagRunState;
  /** The logical date as Airflow wrote it; `null` for Airflow 3 runs triggered "now". */
  logicalDate: string | null;
  /** The run's conf, as Airflow stored it. */
  conf: JsonObject;
  /** The note shown on the run in Airflow's UI (null without one). */
  note: string | null;
  /** When the run started, if it has. */
  startDate: string | null;
  /** When the run ended, if it has. */
  endDate: string | null;
  /** `manual`, `scheduled`, `backfill`, `asset_triggered`... as Airflow says. */
  runType: string | null;
  /** The server's own object. */
  raw: JsonObject;
}

/** The stable codes of `AirflowError`: branch on these, not on messages. */
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
  | "CANCELLED"
  | "NOT_AIRFLOW";

/**
 * Builds and checks the trigger request; nothing is sent. Every id, date and option is checked
 * first: a bad one throws `AirflowError` (`INVALID_ARGUMENT`, with `field` naming it).
 *
 * @param options What to trigger.
 * @returns The request, ready for `fetch`.
 * @example
 * ```ts
 * import { buildTriggerRequest, toCurl } from "airflow-trigger";
 *
 * const request = buildTriggerRequest({
 *   baseUrl: "https://airflow.example.com",
 *   apiVersion: "v2", // "v1" for Airflow 2
 *   dagId: "etl_daily",
 *   conf: { day: "2024-01-01" },
 *   auth: { type: "bearer", token: "<token>" },
 * });
 * request.url; // "https://airflow.example.com/api/v2/dags/etl_daily/dagRuns"
 * console.log(toCurl(request)); // the token shown as ***
 * ```
 */
export declare function buildTriggerRequest<C = unknown>(options: TriggerOptions<C>): HttpRequest;

/**
 * The request as a `curl` command; credentials are `***` unless `revealSecrets` is true.
 *
 * @param request A request, e.g. from {@link buildTriggerRequest}.
 * @param options `{ revealSecrets: true }` prints the credentials.
 * @returns A shell command (arguments single-quoted).
 * @example
 * ```ts
 * import { buildTriggerRequest, toCurl } from "airflow-trigger";
 *
 * const request = buildTriggerRequest({
 *   baseUrl: "https://airflow.example.com", apiVersion: "v1", dagId: "etl_daily",
 *   auth: { type: "basic", username: "admin", password: "<password>" },
 * });
 * toCurl(request); // curl -X 'POST' 'https://airflow.example.com/api/v1/dags/etl_daily/dagRuns' ... -H 'Authorization: Basic ***' ...
 * ```
 */
export declare function toCurl(request: HttpRequest, options?: CurlOptions): string;

/**
 * Options of {@link triggerDagRun}: {@link TriggerOptions}, an `AbortSignal`, and `unpause`.
 *
 * @typeParam C The conf's type (see {@link ConfInput}).
 * @example
 * ```ts
 * import { triggerDagRun, type TriggerDagRunOptions } from "airflow-trigger";
 *
 * const options: TriggerDagRunOptions = {
 *   baseUrl: "https://airflow.example.com", apiVersion: "v2", dagId: "etl_daily",
 *   auth: { type: "bearer", token: "<token>" },
 *   unpause: true,
 *   signal: AbortSignal.timeout(60_000),
 * };
 * const run = await triggerDagRun(options);
 * ```
 */
export interface TriggerDagRunOptions<C = unknown> extends TriggerOptions<C>, CallOptions {
  /** Unpause the DAG first when it is paused (default false: the run waits, and `dagPaused` says so). */
  unpause?: boolean;
}

/**
 * Triggers a DAG run with the global `fetch` (no retries; see {@link AirflowClient}); resolves to
 * the new run or rejects with `AirflowError`. Unless `validate: false`, it first reads the DAG's
 * details (`GET .../dags/{id}/details`, same auth) and checks `conf` against its Params: a conf
 * they refuse rejects with `INVALID_CONF` and nothing is sent.
 *
 * @param options What to trigger, and how to reach Airflow.
 * @returns The new run.
 * @example
 * ```ts
 * import { AirflowError, triggerDagRun } from "airflow-trigger";
 *
 * try {
 *   const run = await triggerDagRun({
 *     baseUrl: "https://airflow.example.com",
 *     apiVersion: "v2",
 *     dagId: "etl_daily",
 *     conf: { day: "2024-01-01" },
 *     auth: { type: "bearer", token: "<token>" },
 *   });
 *   console.log(run.dagRunId, run.state); // "trigger__2024-..." "queued"
 * } catch (e) {
 *   if (e instanceof AirflowError) console.error(e.code, e.status, e.detail);
 * }
 * ```
 */
export declare function triggerDagRun<C = unknown>(options: TriggerDagRunOptions<C>): Promise<TriggeredRun>;

/**
 * A run created by a trigger.
 *
 * @example
 * ```ts
 * import { AirflowClient, type TriggeredRun } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com", auth: { type: "bearer", token: "<token>" } });
 * const run: TriggeredRun = await airflow.trigger("etl_daily");
 * if (run.dagPaused) console.warn("the DAG is paused: the run waits until it is unpaused");
 * ```
 */
export interface TriggeredRun extends DagRun {
  /** The run already existed with this id and conf (a retry after an ambiguous failure). */
  alreadyExisted: boolean;
  /** The DAG is paused (as of its details, read within `paramsTtlMs`): the run stays queued until someone unpauses it. */
  dagPaused: boolean;
  /** The DAG was paused and this trigger unpaused it (`unpause: true`). */
  unpaused: boolean;
}

/**
 * How {@link AirflowClient} authenticates: {@link Auth}, or a password login, or the browser's
 * session.
 */
export type ClientAuth =
  | Auth
  | {
      /** Airflow 2: Basic. Airflow 3: exchanged at `POST /auth/token` for a JWT, kept in memory, renewed once on 401. */
      type: "password";
      /** The Airflow user. */
      username: string;
      /** The user's password. */
      password: string;
    }
  | {
      /** The browser's session cookie (`credentials: "include"`), for portals on Airflow's own origin. */
      type: "session";
    };

/** A `fetch`-compatible function (worker service bindings, tests). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Options of `new AirflowClient(...)`.
 *
 * @example
 * ```ts
 * import { AirflowClient, type AirflowClientOptions } from "airflow-trigger";
 *
 * const options: AirflowClientOptions = {
 *   baseUrl: "https://airflow.example.com",
 *   auth: { type: "password", username: "admin", password: "<password>" },
 *   timeoutMs: 10_000,
 *   retries: 2,
 * };
 * const airflow = new AirflowClient(options);
 * ```
 */
export interface AirflowClientOptions {
  /** Airflow's URL, with or without a path prefix: `https://host/airflow`. No credentials in it, and no `/api/v1` or `/api/v2`. */
  baseUrl: string;
  /** Default `"auto"`: `GET /api/v1/version`, then `/api/v2/version`, once (v1 first: in a browser, Airflow 2 answers CORS only under /api/v1). */
  apiVersion?: "auto" | ApiVersion;
  /** How requests authenticate; default `{ type: "none" }`. */
  auth?: ClientAuth;
  /**
   * Default: the global `fetch`. Called with `redirect: "manual"`: the client never follows a
   * redirect (it is a `BAD_REQUEST` AirflowError), so credentials never go elsewhere.
   */
  fetch?: FetchFunction;
  /** Per request, in milliseconds; default 30,000. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 502, 503 or 504 (exponential backoff with jitter); default 3. */
  retries?: number;
  /**
   * How long a DAG's details (Params, compiled once, and whether it is paused) are reused by
   * `getParams` and `trigger`, which then sends one request; default 60,000; 0 reads them every time.
   */
  paramsTtlMs?: number;
  /**
   * Formats asserted when a trigger validates conf; default the server's own (airflow2 / airflow3).
   * Params this module cannot compile go unchecked, and Airflow's answer decides: with the
   * default, a trigger does not refuse a conf Airflow would take (another mode checks
   * otherwise; in the browser's default module, Params with `$dynamicRef` are the exception
   * docs/validation.md counts).
   */
  formats?: FormatsMode;
}

/**
 * Options of {@link AirflowClient.trigger}: what the run gets ({@link RunOptions}), `unpause`,
 * and an `AbortSignal`.
 *
 * @typeParam C The conf's type (see {@link ConfInput}).
 * @example
 * ```ts
 * import { AirflowClient, type TriggerCallOptions } from "airflow-trigger";
 *
 * interface EtlConf { day: string }
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const options: TriggerCallOptions<EtlConf> = { conf: { day: "2024-01-01" }, unpause: true };
 * await airflow.trigger("etl_daily", options);
 * ```
 */
export interface TriggerCallOptions<C = unknown> extends RunOptions<C>, CallOptions {
  /** Unpause the DAG first when it is paused (default false: the run waits, and `dagPaused` says so). */
  unpause?: boolean;
}

/**
 * Options every {@link AirflowClient} call takes.
 *
 * @example
 * ```ts
 * import { AirflowClient } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 5_000);
 * await airflow.getDag("etl_daily", { signal: stop.signal }); // rejects with CANCELLED once aborted
 * ```
 */
export interface CallOptions {
  /** Cancels the call: it rejects with `CANCELLED` at once and sends nothing more. */
  signal?: AbortSignal;
}

/**
 * An asset (Airflow 3) or dataset (Airflow 2), in one shape.
 *
 * @example
 * ```ts
 * import { AirflowClient, type Asset } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const asset: Asset = await airflow.getAsset("s3://lake/orders");
 * console.log(asset.id, asset.scheduledDags);
 * ```
 */
export interface Asset {
  /** Airflow's id of the asset (Airflow 3: what {@link AssetEventOptions} `assetId` takes). */
  id: number | null;
  /** The asset's URI. */
  uri: string;
  /** Airflow 3 only: the asset's name. */
  name: string | null;
  /** Airflow 3 only: the asset's group. */
  group: string | null;
  /** The DAGs scheduled on it: an event makes them run. */
  scheduledDags: string[];
  /** The server's own object. */
  raw: JsonObject;
}

/**
 * An asset (dataset) event as Airflow recorded it.
 *
 * @example
 * ```ts
 * import { AirflowClient, type AssetEvent } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const event: AssetEvent = await airflow.createAssetEvent({ uri: "s3://lake/orders", extra: { rows: 42 } });
 * console.log(event.id, event.timestamp);
 * ```
 */
export interface AssetEvent {
  /** Airflow's id of the event. */
  id: number | null;
  /** The id of the asset (dataset) it is for. */
  assetId: number | null;
  /** The URI of the asset (dataset) it is for. */
  uri: string | null;
  /** When Airflow recorded it. */
  timestamp: string | null;
  /** As stored: Airflow adds `from_rest_api: true`. */
  extra: JsonObject | null;
  /** The DAG whose task emitted it (`null` for events from the REST API). */
  sourceDagId: string | null;
  /** The task that emitted it (`null` for events from the REST API). */
  sourceTaskId: string | null;
  /** The run that emitted it (`null` for events from the REST API). */
  sourceRunId: string | null;
  /** The server's own object. */
  raw: JsonObject;
}

/**
 * Which asset an event is for: its URI (matched exactly) or Airflow 3's id, and the event's
 * `extra`.
 *
 * @typeParam E The type of `extra` (see {@link ConfInput}).
 */
export type AssetEventOptions<E = unknown> = (
  | {
      /** The asset's URI, matched exactly (Airflow 3 resolves it to an id first). */
      uri: string;
      /** Give `uri` or `assetId`, not both. */
      assetId?: never;
    }
  | {
      /** Airflow 3's id of the asset (skips resolving a URI). */
      assetId: number;
      /** Give `uri` or `assetId`, not both. */
      uri?: never;
    }
) & {
  /** A JSON object stored with the event (typed by an interface, `object` or `unknown` is fine; see {@link ConfInput}). */
  extra?: ConfInput<E>;
} & CallOptions;

/**
 * Options of {@link AirflowClient.waitForRun}.
 *
 * @example
 * ```ts
 * import { AirflowClient, type WaitOptions } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const options: WaitOptions = { intervalMs: 5_000, timeoutMs: 600_000, onProgress: (run) => console.log(run.state) };
 * const done = await airflow.waitForRun("etl_daily", "manual__2024-01-01", options);
 * ```
 */
export interface WaitOptions extends CallOptions {
  /** How often the run is read, in milliseconds; default 2,000. */
  intervalMs?: number;
  /** How long to wait in all, in milliseconds; default 3,600,000; then rejects with `TIMEOUT`. */
  timeoutMs?: number;
  /** Called with the run on every state change, the final one included. */
  onProgress?: (run: DagRun) => void;
}

/**
 * A DAG, in one shape for Airflow 2 and 3.
 *
 * @example
 * ```ts
 * import { AirflowClient, type Dag } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const dag: Dag = await airflow.getDag("etl_daily");
 * if (dag.isPaused) console.warn(`${dag.dagId} is paused`);
 * ```
 */
export interface Dag {
  /** The DAG's id. */
  dagId: string;
  /** Whether the DAG is paused (a triggered run then waits). */
  isPaused: boolean;
  /** The DAG's description (null without one). */
  description: string | null;
  /** The DAG's tags, as Airflow sent them (objects with a `name`). */
  tags: JsonValue[];
  /** The server's own object. */
  raw: JsonObject;
}

/**
 * Options of {@link AirflowClient.listDags}.
 *
 * @example
 * ```ts
 * import { AirflowClient } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const { dags, totalEntries } = await airflow.listDags({ search: "etl", limit: 20 });
 * ```
 */
export interface ListDagsOptions extends CallOptions {
  /** Only DAGs whose id contains this text. */
  search?: string;
  /** The most DAGs to list (1-1000; more lists 1000); default 100. */
  limit?: number;
}

/**
 * A page of DAGs ({@link AirflowClient.listDags}).
 *
 * @example
 * ```ts
 * import { AirflowClient, type DagList } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const page: DagList = await airflow.listDags();
 * console.log(page.dags.map((d) => d.dagId), page.totalEntries);
 * ```
 */
export interface DagList {
  /** The DAGs of this page. */
  dags: Dag[];
  /** How many DAGs match in all, when Airflow says. */
  totalEntries: number | null;
}

/**
 * Options of {@link AirflowClient.listRuns}.
 *
 * @example
 * ```ts
 * import { AirflowClient } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const { runs } = await airflow.listRuns("etl_daily", { limit: 5 });
 * ```
 */
export interface ListRunsOptions extends CallOptions {
  /** The most runs to list (1-100; more lists 100); default 10. */
  limit?: number;
}

/**
 * The DAG's most recent runs ({@link AirflowClient.listRuns}), newest first.
 *
 * @example
 * ```ts
 * import { AirflowClient, type RunList } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const page: RunList = await airflow.listRuns("etl_daily");
 * const last = page.runs[0]?.state;
 * ```
 */
export interface RunList {
  /** The runs, newest first. */
  runs: DagRun[];
  /** How many runs the DAG has in all, when Airflow says. */
  totalEntries: number | null;
}

/**
 * Options of {@link AirflowClient.listAssets}.
 *
 * @example
 * ```ts
 * import { AirflowClient } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const { assets } = await airflow.listAssets({ search: "s3://lake/", limit: 50 });
 * ```
 */
export interface ListAssetsOptions extends CallOptions {
  /** Only assets whose URI contains this text. */
  search?: string;
  /** The most assets to list (1-1000; more lists 1000); default 100. */
  limit?: number;
}

/**
 * A page of assets ({@link AirflowClient.listAssets}).
 *
 * @example
 * ```ts
 * import { AirflowClient, type AssetList } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const page: AssetList = await airflow.listAssets({ search: "s3://lake/" });
 * console.log(page.assets.map((a) => a.uri));
 * ```
 */
export interface AssetList {
  /** The assets (Airflow 2: datasets) of this page. */
  assets: Asset[];
  /** How many assets match in all, when Airflow says. */
  totalEntries: number | null;
}

/**
 * The server's version ({@link AirflowClient.version}).
 *
 * @example
 * ```ts
 * import { AirflowClient, type VersionInfo } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
 * const info: VersionInfo = await airflow.version(); // { version: "3.3.2", apiVersion: "v2" }
 * ```
 */
export interface VersionInfo {
  /** Airflow's version, e.g. `"3.3.2"`. */
  version: string;
  /** The API the client talks to it with. */
  apiVersion: ApiVersion;
}

/**
 * A client for one Airflow: auth (including Airflow 3's token exchange), API version
 * detection, per-request timeouts, retries with backoff, idempotent triggers, run monitoring,
 * DAG and asset queries. Redirects are never followed, so credentials go to `baseUrl` and
 * nowhere else. Every call rejects with `AirflowError`.
 *
 * @example
 * ```ts
 * import { AirflowClient } from "airflow-trigger";
 *
 * const airflow = new AirflowClient({
 *   baseUrl: "https://airflow.example.com",
 *   auth: { type: "password", username: "admin", password: "<password>" }, // Airflow 3: exchanged for a JWT
 * });
 * const run = await airflow.trigger("etl_daily", { conf: { day: "2024-01-01" } });
 * const done = await airflow.waitForRun("etl_daily", run.dagRunId, { onProgress: (r) => console.log(r.state) });
 * console.log(done.state); // "success" or "failed"
 * airflow.free();
 * ```
 */
export declare class AirflowClient {
  /**
   * Checks the options (a bad one throws `AirflowError` `INVALID_ARGUMENT`); sends nothing yet.
   *
   * @param options Where Airflow is and how to reach it.
   */
  constructor(options: AirflowClientOptions);
  /**
   * Triggers a run. Unless `validate: false`, the conf is first checked against the DAG's Params
   * (read with the DAG's details, cached for `paramsTtlMs`): a conf they refuse rejects with
   * `INVALID_CONF` and nothing is sent. The run always has an id, so a retry cannot create a
   * second run; `unpause: true` unpauses a paused DAG first. A failure after the POST may have
   * reached Airflow carries the run id in `AirflowError.dagRunId`.
   *
   * @param dagId The DAG to trigger.
   * @param options The run's conf, id, dates, note; `validate`, `unpause`, `signal`.
   * @returns The new run (or the same run, `alreadyExisted: true`, after a retry).
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * interface EtlConf { day: string; retries?: number }
   * const conf: EtlConf = { day: "2024-01-01" };
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com", auth: { type: "bearer", token: "<token>" } });
   * const run = await airflow.trigger("etl_daily", { conf, note: "backfill" });
   * console.log(run.dagRunId, run.state, run.dagPaused);
   * ```
   */
  trigger<C = unknown>(dagId: string, options?: TriggerCallOptions<C>): Promise<TriggeredRun>;
  /**
   * Reads one run.
   *
   * @param dagId The run's DAG.
   * @param runId The run's id.
   * @param options `signal`.
   * @returns The run (`NOT_FOUND` when there is no such run).
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const run = await airflow.getRun("etl_daily", "manual__2024-01-01");
   * console.log(run.state);
   * ```
   */
  getRun(dagId: string, runId: string, options?: CallOptions): Promise<DagRun>;
  /**
   * Polls the run until `success` or `failed`; `onProgress` hears every state change; `signal`
   * stops it; past `timeoutMs` it rejects with `TIMEOUT`.
   *
   * @param dagId The run's DAG.
   * @param runId The run's id.
   * @param options `intervalMs`, `timeoutMs`, `onProgress`, `signal`.
   * @returns The finished run.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const run = await airflow.trigger("etl_daily");
   * const done = await airflow.waitForRun("etl_daily", run.dagRunId, {
   *   intervalMs: 2_000,
   *   onProgress: (r) => console.log(r.state), // queued, running, success
   * });
   * ```
   */
  waitForRun(dagId: string, runId: string, options?: WaitOptions): Promise<DagRun>;
  /**
   * Reads a DAG (`GET .../dags/{id}`).
   *
   * @param dagId The DAG's id.
   * @param options `signal`.
   * @returns The DAG (`NOT_FOUND` when there is none).
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { isPaused, description } = await airflow.getDag("etl_daily");
   * ```
   */
  getDag(dagId: string, options?: CallOptions): Promise<Dag>;
  /**
   * The DAG's Params as its details serve them (cached for `paramsTtlMs`, default 60 s: a
   * trigger within it sends only the POST). Feed them to {@link ParamsValidator} or
   * {@link paramsToSchema}.
   *
   * @param dagId The DAG's id.
   * @param options `signal`.
   * @returns The `params` of `GET .../dags/{id}/details`.
   * @example
   * ```ts
   * import { AirflowClient, ParamsValidator } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const params = await airflow.getParams("etl_daily");
   * const verdict = new ParamsValidator(params).validate({ day: "2024-01-01" });
   * ```
   */
  getParams(dagId: string, options?: CallOptions): Promise<DagParams>;
  /**
   * Lists DAGs, optionally those whose id contains `search`.
   *
   * @param options `search`, `limit` (1-1000, default 100), `signal`.
   * @returns A page of DAGs and the total count.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { dags } = await airflow.listDags({ search: "etl", limit: 20 });
   * console.log(dags.map((d) => d.dagId));
   * ```
   */
  listDags(options?: ListDagsOptions): Promise<DagList>;
  /**
   * The DAG's most recent runs, newest first (`limit` 1-100, default 10).
   *
   * @param dagId The DAG's id.
   * @param options `limit`, `signal`.
   * @returns The runs and the total count.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { runs } = await airflow.listRuns("etl_daily", { limit: 5 });
   * for (const run of runs) console.log(run.dagRunId, run.state);
   * ```
   */
  listRuns(dagId: string, options?: ListRunsOptions): Promise<RunList>;
  /**
   * Airflow's version, and the API version the client uses (detected once with `apiVersion: "auto"`).
   *
   * @param options `signal`.
   * @returns `{ version, apiVersion }`.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { version, apiVersion } = await airflow.version(); // "3.3.2", "v2"
   * ```
   */
  version(options?: CallOptions): Promise<VersionInfo>;
  /**
   * Announces that an asset changed (Airflow 3: an asset event; Airflow 2: a dataset event), so
   * the DAGs scheduled on it run. Sent at most once: after a failure that leaves unknown whether
   * it arrived, it rejects instead of risking a second event.
   *
   * @param options `{ uri }` (matched exactly) or `{ assetId }` (Airflow 3), `extra`, `signal`.
   * @returns The event as Airflow recorded it.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const event = await airflow.createAssetEvent({ uri: "s3://lake/orders", extra: { rows: 42 } });
   * ```
   */
  createAssetEvent<E = unknown>(options: AssetEventOptions<E>): Promise<AssetEvent>;
  /**
   * Assets (Airflow 2: datasets) whose URI contains `search` (`limit` 1-1000, default 100).
   *
   * @param options `search`, `limit`, `signal`.
   * @returns The assets and the total count.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { assets } = await airflow.listAssets({ search: "s3://lake/" });
   * ```
   */
  listAssets(options?: ListAssetsOptions): Promise<AssetList>;
  /**
   * One asset by URI (matched exactly) or id, with the DAGs scheduled on it.
   *
   * @param asset The asset's URI (a string) or id (a number).
   * @param options `signal`.
   * @returns The asset (`NOT_FOUND` when there is none).
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const { scheduledDags } = await airflow.getAsset("s3://lake/orders");
   * ```
   */
  getAsset(asset: string | number, options?: CallOptions): Promise<Asset>;
  /**
   * Airflow 3: runs the DAG that produces the asset. Sent at most once, like
   * {@link AirflowClient.createAssetEvent}.
   *
   * @param asset The asset's URI (a string) or id (a number).
   * @param options `signal`.
   * @returns The run it started.
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * const run = await airflow.materializeAsset("s3://lake/report");
   * ```
   */
  materializeAsset(asset: string | number, options?: CallOptions): Promise<DagRun>;
  /**
   * Releases the client's memory now instead of at garbage collection (after the calls under
   * way end). Calls after it fail with `INVALID_ARGUMENT`.
   *
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * const airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   * try {
   *   await airflow.trigger("etl_daily");
   * } finally {
   *   airflow.free();
   * }
   * ```
   */
  free(): void;
  /**
   * `free()`, for `using` (runtimes with `Symbol.dispose`: Node 20+, Deno, Bun, recent browsers).
   *
   * @example
   * ```ts
   * import { AirflowClient } from "airflow-trigger";
   *
   * {
   *   using airflow = new AirflowClient({ baseUrl: "https://airflow.example.com" });
   *   await airflow.trigger("etl_daily");
   * } // freed here
   * ```
   */
  [Symbol.dispose](): void;
}

/**
 * Reads an answer you fetched yourself: the DAG run for a 2xx status; throws `AirflowError`
 * otherwise (its `code` from the status, `detail` Airflow's message whatever its body's shape).
 *
 * @param apiVersion The API the request went to.
 * @param status The answer's HTTP status.
 * @param contentType The answer's `Content-Type` (`""` if none).
 * @param body The answer's body as text.
 * @returns The run.
 * @example
 * ```ts
 * import { buildTriggerRequest, parseTriggerResponse } from "airflow-trigger";
 *
 * const request = buildTriggerRequest({ baseUrl: "https://airflow.example.com", apiVersion: "v2", dagId: "etl_daily" });
 * const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
 * const run = parseTriggerResponse("v2", res.status, res.headers.get("content-type") ?? "", await res.text());
 * ```
 */
export declare function parseTriggerResponse(apiVersion: ApiVersion, status: number, contentType: string, body: string): DagRun;

/**
 * Each keyword the validators report, with its error's `params` (ajv's shapes). The names are
 * the `keyword` of a {@link ValidationError}.
 *
 * When one error alone is larger than `maxErrorBytes`, its strings are cut (ending in `…`) and
 * its arrays and objects become `null`.
 *
 * @example
 * ```ts
 * import type { ValidationErrorParams } from "airflow-trigger";
 *
 * const missing: ValidationErrorParams["required"] = { missingProperty: "day" };
 * const low: ValidationErrorParams["minimum"] = { comparison: ">=", limit: 1 };
 * ```
 */
export interface ValidationErrorParams {
  /** A `false` schema (`schemaPath` ends in `/false schema`): nothing is valid there. */
  "false schema": Record<string, never>;
  /** `type`. */
  type: {
    /** The allowed types, joined by `,` (`"integer"`, `"null,integer"`). */
    type: string;
  };
  /** `enum`. */
  enum: {
    /** The allowed values, as many as fit in about 1 KB of JSON (`null` when the error was cut). */
    allowedValues: JsonValue[] | null;
    /** How many allowed values were left out of `allowedValues` (absent when none were). */
    omitted?: number;
  };
  /** `const`: the value, or `omitted: 1` when it is larger than about 1 KB of JSON. */
  const:
    | {
        /** The only allowed value. */
        allowedValue: JsonValue;
        /** Absent when the value is shown. */
        omitted?: never;
      }
    | {
        /** The value was too large to copy into the error. */
        omitted: 1;
        /** Absent when the value was omitted. */
        allowedValue?: never;
      };
  /** `multipleOf`. */
  multipleOf: {
    /** The divisor. */
    multipleOf: number;
  };
  /** `maximum`. */
  maximum: {
    /** Always `"<="`. */
    comparison: "<=";
    /** The schema's maximum. */
    limit: number;
  };
  /** `exclusiveMaximum`. */
  exclusiveMaximum: {
    /** Always `"<"`. */
    comparison: "<";
    /** The schema's exclusive maximum. */
    limit: number;
  };
  /** `minimum`. */
  minimum: {
    /** Always `">="`. */
    comparison: ">=";
    /** The schema's minimum. */
    limit: number;
  };
  /** `exclusiveMinimum`. */
  exclusiveMinimum: {
    /** Always `">"`. */
    comparison: ">";
    /** The schema's exclusive minimum. */
    limit: number;
  };
  /** `maxLength`. */
  maxLength: {
    /** The most characters (Unicode code points) allowed. */
    limit: number;
  };
  /** `minLength`. */
  minLength: {
    /** The fewest characters (Unicode code points) allowed. */
    limit: number;
  };
  /** `pattern`. */
  pattern: {
    /** The pattern's source. */
    pattern: string;
  };
  /** `format`. */
  format: {
    /** The format's name (`"date"`, `"email"`...). */
    format: string;
  };
  /** `maxItems`. */
  maxItems: {
    /** The most items allowed. */
    limit: number;
  };
  /** `minItems`. */
  minItems: {
    /** The fewest items allowed. */
    limit: number;
  };
  /** `uniqueItems`: two items that are equal. */
  uniqueItems: {
    /** The later item's index. */
    i: number;
    /** The earlier item's index. */
    j: number;
  };
  /** `contains` (with `minContains` / `maxContains`). */
  contains: {
    /** The fewest matching items allowed (default 1). */
    minContains: number;
    /** The most matching items allowed: present when there were too many. */
    maxContains?: number;
  };
  /** `maxProperties`. */
  maxProperties: {
    /** The most properties allowed. */
    limit: number;
  };
  /** `minProperties`. */
  minProperties: {
    /** The fewest properties allowed. */
    limit: number;
  };
  /** `required` (and, from `ParamsValidator`, a Param without a default that the conf leaves out). */
  required: {
    /** The missing property (the Param's name). */
    missingProperty: string;
  };
  /** `dependentRequired`. */
  dependentRequired: {
    /** The property that is present. */
    property: string;
    /** The property it needs that is missing. */
    missingProperty: string;
    /** How many properties it needs. */
    depsCount: number;
    /** The properties it needs, joined by `, `. */
    deps: string;
  };
  /** Draft 7's `dependencies` with an array of names (with a schema, that schema's own errors are reported). */
  dependencies: {
    /** The property that is present. */
    property: string;
    /** The property it needs that is missing. */
    missingProperty: string;
    /** How many properties it needs. */
    depsCount: number;
    /** The properties it needs, joined by `, `. */
    deps: string;
  };
  /** `additionalProperties` (and, from `ParamsValidator` with `unknownKeys: "error"`, a key that is not a Param). */
  additionalProperties: {
    /** The property that is not allowed. */
    additionalProperty: string;
  };
  /** `unevaluatedProperties`. */
  unevaluatedProperties: {
    /** The property that is not allowed. */
    unevaluatedProperty: string;
  };
  /** `propertyNames`. */
  propertyNames: {
    /** The property name that fails the schema. */
    propertyName: string;
  };
  /** `items: false` after `prefixItems`. */
  items: {
    /** How many items are allowed. */
    limit: number;
  };
  /** Draft 7's `additionalItems: false` after an `items` array. */
  additionalItems: {
    /** How many items are allowed. */
    limit: number;
  };
  /** `unevaluatedItems: false`. */
  unevaluatedItems: {
    /** The index of the first item not allowed. */
    limit: number;
  };
  /** `anyOf`: no branch matches (the branches' errors come before it). */
  anyOf: Record<string, never>;
  /** `oneOf`: no branch, or more than one, matches. */
  oneOf: {
    /** The indexes of two matching branches, or `null` when none matches. */
    passingSchemas: [number, number] | null;
  };
  /** `not`. */
  not: Record<string, never>;
  /** `if`: the `then` or `else` branch failed (its errors come before it). */
  if: {
    /** Which branch failed. */
    failingKeyword: "then" | "else";
  };
  /** The validation stopped at `maxSteps` (`schemaPath` `"#"`; always the last error). */
  maxSteps: Record<string, never>;
  /** The validation stopped at `maxDepth` (`schemaPath` `"#"`; always the last error). */
  maxDepth: Record<string, never>;
  /**
   * The Airflow modes of the full module: the validation stopped where python-jsonschema raises
   * once it gets there (a `$ref` it cannot resolve, a subschema that is not a schema, a draft-3
   * type it does not know), so Airflow refuses the run (`schemaPath` `"#"`; always the last
   * error).
   */
  schema: Record<string, never>;
  /** More errors were found than are reported (`maxErrors` or `maxErrorBytes`; always last but a budget's). */
  maxErrors: {
    /** The `maxErrors` in force. */
    limit: number;
  };
}

/** The keywords a {@link ValidationError} may name. */
export type ValidationKeyword = keyof ValidationErrorParams;

/**
 * An ajv-shaped validation error for one keyword, with that keyword's `params`.
 *
 * @typeParam K The keyword.
 * @example
 * ```ts
 * import { validateConf, type ValidationErrorFor } from "airflow-trigger";
 *
 * const [error] = validateConf({ required: ["day"] }, {}).errors;
 * if (error?.keyword === "required") {
 *   const required: ValidationErrorFor<"required"> = error;
 *   console.log(required.params.missingProperty); // "day"
 * }
 * ```
 */
export interface ValidationErrorFor<K extends ValidationKeyword> {
  /** JSON Pointer to the failing value: `""` for the root, `/count`, `/items/0`. */
  instancePath: string;
  /** Where the keyword is in the schema: `#/properties/count/minimum`. */
  schemaPath: string;
  /** The keyword that failed: narrows `params`. */
  keyword: K;
  /** The keyword's details (see {@link ValidationErrorParams}). */
  params: ValidationErrorParams[K];
  /** What is wrong, in ajv's words (`must be >= 1`). */
  message: string;
}

/**
 * An ajv-shaped validation error: a union on `keyword`, so checking the keyword types `params`.
 *
 * @example
 * ```ts
 * import { validateConf } from "airflow-trigger";
 *
 * const { errors } = validateConf({ properties: { count: { minimum: 1 } }, required: ["day"] }, { count: 0 });
 * for (const e of errors) {
 *   if (e.keyword === "minimum") console.log(e.instancePath, e.params.comparison, e.params.limit); // "/count" ">=" 1
 *   else if (e.keyword === "required") console.log(e.params.missingProperty); // "day"
 * }
 * ```
 */
export type ValidationError = { [K in ValidationKeyword]: ValidationErrorFor<K> }[ValidationKeyword];

/**
 * What {@link ConfValidator.validate} and {@link validateConf} return.
 *
 * @example
 * ```ts
 * import { validateConf, type ValidationResult } from "airflow-trigger";
 *
 * const result: ValidationResult = validateConf({ type: "integer" }, "3");
 * result.valid; // false
 * result.errors[0]?.message; // "must be integer"
 * ```
 */
export interface ValidationResult {
  /** Whether the value is valid (then `errors` is empty). */
  valid: boolean;
  /** Every error (the first only with `allErrors: false`), a budget's stop last. */
  errors: ValidationError[];
}

/** Which `format`s are asserted: what Airflow 2.11 / 3.3 check, every spec format, or none. */
export type FormatsMode = "airflow2" | "airflow3" | "all" | "none";

/** A JSON Schema document: an object or a boolean. */
export type JsonSchema = boolean | JsonObject;

/**
 * Options of {@link ConfValidator} and {@link validateConf}.
 *
 * @example
 * ```ts
 * import { ConfValidator, type ValidatorOptions } from "airflow-trigger";
 *
 * const options: ValidatorOptions = {
 *   formats: "all",
 *   resources: { "https://example.com/day.json": { type: "string", format: "date" } },
 * };
 * const v = new ConfValidator({ properties: { day: { $ref: "https://example.com/day.json" } } }, options);
 * v.validate({ day: "2024-13-01" }).valid; // false
 * ```
 */
export interface ValidatorOptions {
  /**
   * Which formats are asserted; default `"airflow3"` (Airflow 3.3's checks and Python's
   * semantics). In the browser's default module the Airflow modes refuse to compile `pattern`,
   * `patternProperties`, `format: "regex"` and `"idn-hostname"` (no Python `re` or idna there):
   * use `"all"` for ECMA-262 patterns, or load the full module (`airflow-trigger/full`).
   */
  formats?: FormatsMode;
  /** Report every error (default true) or stop at the first. */
  allErrors?: boolean;
  /** Documents `$ref` may point to, by URI. Nothing is ever fetched. */
  resources?: { [uri: string]: JsonSchema | object };
  /** Deepest nesting of schema applications (default 128, at most 256). */
  maxDepth?: number;
  /** Most subschema evaluations for one validation (default 10,000,000); pattern matching and `uniqueItems` count by their real cost. */
  maxSteps?: number;
  /** Most errors reported (default 100); past it, one error with keyword `maxErrors` says more were found. */
  maxErrors?: number;
  /** About the most bytes of JSON the errors take (default 262,144); past it, the same `maxErrors` error ends the list. */
  maxErrorBytes?: number;
  /** Largest instance accepted, in bytes of JSON (default 4 MiB, the conf limit of triggers); larger is `INVALID_ARGUMENT`. */
  maxInputBytes?: number;
  /**
   * `ConfValidator` is strict by default, as ajv 8: a keyword the schema's draft does not define
   * (`"tpye"`), a `format` no mode knows (`"cron"`, unless added with {@link addFormat}) and a
   * `$schema` of a draft not implemented (draft-04, draft-06, 2019-09) are compile errors naming
   * the place. `false` ignores them (and, in `"all"` and `"none"`, reads other drafts as the
   * closest one; the Airflow modes read draft-03/04/06 and 2019-09 as python-jsonschema does in
   * the full module, and decline them in the browser's default module).
   */
  strict?: boolean;
  /**
   * ajv's `useDefaults`: before validating, each missing property (and missing item at the end of
   * a tuple) whose schema has a `default` gets it, on the value passed to `validate` itself.
   * Followed through `properties`, `prefixItems`, `items`, `allOf` and `$ref`; not under `anyOf`,
   * `oneOf`, `not` (as ajv), nor, unlike ajv, under `then`/`else`, `dependentSchemas`,
   * `additionalProperties`, `patternProperties`. Defaults that would pass `maxInputBytes` are
   * refused, and nothing is filled in. Default false.
   */
  useDefaults?: boolean;
  /** Formats of this validator's own, by name: a RegExp the string must match, or a check of the string (see {@link addFormat}). */
  addFormats?: { [name: string]: FormatCheck };
}

/** A format's check: a RegExp the whole string must match (anchor it), or a function given the string. */
export type FormatCheck = RegExp | ((value: string) => boolean);

/**
 * ajv's `addFormat`: a format every {@link ConfValidator} compiled afterwards asserts (in every
 * `formats` mode; strict mode knows its name). Strings only, as ajv: other values pass. A check
 * that throws makes `validate` throw that error.
 *
 * @param name The format's name, e.g. `"cron"`.
 * @param check A RegExp, or a function of the string returning true when it is valid.
 * @example
 * ```ts
 * import { ConfValidator, addFormat } from "airflow-trigger";
 *
 * addFormat("even-length", (s) => s.length % 2 === 0);
 * const v = new ConfValidator({ type: "string", format: "even-length" });
 * v.validate("ab").valid; // true
 * v.validate("abc").valid; // false
 * ```
 */
export declare function addFormat(name: string, check: FormatCheck): void;

/**
 * ajv's `errorsText`: the errors as one line of text, `data must have required property 'day',
 * data/retries must be <= 5`, or `"No errors"`.
 *
 * @param errors A validation's errors.
 * @param options `separator` (default `", "`) and `dataVar` (default `"data"`), as ajv's.
 * @returns The text.
 * @example
 * ```ts
 * import { ConfValidator, errorsText } from "airflow-trigger";
 *
 * const v = new ConfValidator({ type: "object", required: ["day"] });
 * errorsText(v.validate({}).errors); // "data must have required property 'day'"
 * errorsText([]); // "No errors"
 * ```
 */
export declare function errorsText(errors: readonly ValidationError[] | null | undefined, options?: ErrorsTextOptions): string;

/**
 * How {@link errorsText} writes errors.
 *
 * @example
 * ```ts
 * import { errorsText, validateConf } from "airflow-trigger";
 *
 * const { errors } = validateConf({ required: ["a", "b"] }, {});
 * errorsText(errors, { separator: "; ", dataVar: "conf" }); // "conf must have required property 'a'; conf must have required property 'b'"
 * ```
 */
export interface ErrorsTextOptions {
  /** Between two errors; default `", "`. */
  separator?: string;
  /** The name the instance path starts with; default `"data"`. */
  dataVar?: string;
}

/**
 * A JSON Schema (2020-12, or draft 7 by `$schema`) compiled once, to validate many values.
 * Errors are ajv-shaped. Call `free()` (or declare it with `using`) when done early; garbage
 * collection frees it otherwise.
 *
 * @example
 * ```ts
 * import { ConfValidator } from "airflow-trigger";
 *
 * const v = new ConfValidator({
 *   type: "object",
 *   properties: { count: { type: "integer", minimum: 1 } },
 *   required: ["count"],
 * });
 * v.validate({ count: 2 }); // { valid: true, errors: [] }
 * v.validate({ count: 0 }).errors[0]?.message; // "must be >= 1"
 * v.free();
 * ```
 */
export declare class ConfValidator {
  /**
   * Compiles once; throws `AirflowError` (`INVALID_ARGUMENT`) for a bad schema or an
   * unresolvable `$ref` (in the Airflow modes of the full module, such a `$ref` stops the
   * validation only where it is reached, as python-jsonschema does).
   *
   * @param schema The schema: an object (typed by an interface, a JSON Schema type of your own,
   *   or `as const`, all fine) or a boolean.
   * @param options Formats, budgets, `$ref` resources.
   */
  constructor(schema: JsonSchema | object, options?: ValidatorOptions);
  /**
   * Validates one value. Any value is accepted (`unknown` included); one JSON cannot carry
   * (`undefined`, `NaN`, a `Date`, a cycle...) throws `AirflowError` (`INVALID_ARGUMENT`)
   * naming its path.
   *
   * @param instance The value to validate.
   * @returns `{ valid, errors }`.
   * @example
   * ```ts
   * import { ConfValidator } from "airflow-trigger";
   *
   * const v = new ConfValidator({ type: "object", required: ["day"] });
   * const input: unknown = JSON.parse('{"dya": "2024-01-01"}');
   * const { valid, errors } = v.validate(input);
   * valid; // false
   * errors[0]?.keyword; // "required"
   * errors[0]?.params; // { missingProperty: "day" }
   * ```
   */
  validate(instance: unknown): ValidationResult;
  /**
   * Releases the compiled schema now instead of at garbage collection; `validate` then throws.
   *
   * @example
   * ```ts
   * import { ConfValidator } from "airflow-trigger";
   *
   * const v = new ConfValidator({ type: "integer" });
   * try {
   *   v.validate(1);
   * } finally {
   *   v.free();
   * }
   * ```
   */
  free(): void;
  /**
   * `free()`, for `using` (runtimes with `Symbol.dispose`: Node 20+, Deno, Bun, recent browsers).
   *
   * @example
   * ```ts
   * import { ConfValidator } from "airflow-trigger";
   *
   * {
   *   using v = new ConfValidator({ type: "integer" });
   *   v.validate(1);
   * } // freed here
   * ```
   */
  [Symbol.dispose](): void;
}

/**
 * Compiles `schema` and validates `instance` once (a {@link ConfValidator} is faster for many
 * values).
 *
 * @param schema The schema: an object or a boolean.
 * @param instance The value to validate (any value; `unknown` is fine).
 * @param options Formats, budgets, `$ref` resources.
 * @returns `{ valid, errors }`.
 * @example
 * ```ts
 * import { validateConf } from "airflow-trigger";
 *
 * validateConf({ type: "integer", minimum: 1 }, 0).valid; // false
 * const { errors } = validateConf({ type: "string", format: "email" }, "nope", { formats: "all" });
 * errors; // [{ instancePath: "", schemaPath: "#/format", keyword: "format", params: { format: "email" }, message: 'must match format "email"' }]
 * ```
 */
export declare function validateConf(schema: JsonSchema | object, instance: unknown, options?: ValidatorOptions): ValidationResult;

/**
 * One Param as `GET /dags/{dag_id}/details` serves it (Airflow 2 adds `__class`; Airflow 3 `source`).
 *
 * @example
 * ```ts
 * import type { ParamSpec } from "airflow-trigger";
 *
 * const count: ParamSpec = { value: 5, schema: { type: "integer", minimum: 1 }, description: "How many" };
 * ```
 */
export interface ParamSpec {
  /** The default value (`null` both for "no default" and "default null": the API serves them alike). */
  value: JsonValue;
  /** The Param's JSON Schema. */
  schema: JsonObject;
  /** The Param's description (null or absent without one). */
  description?: string | null;
  /** Airflow 2: the Param's Python class. */
  __class?: string;
  /** Airflow 3: where the Param was defined. */
  source?: string | null;
}

/** The `params` of `GET /dags/{dag_id}/details`: a {@link ParamSpec} (or a bare default value) per name. */
export type DagParams = { [name: string]: ParamSpec | JsonValue };

/**
 * {@link paramsToSchema}'s result: an object schema with a property per Param.
 *
 * @example
 * ```ts
 * import { paramsToSchema, type ParamsSchema } from "airflow-trigger";
 *
 * const schema: ParamsSchema = paramsToSchema({ count: { value: 5, schema: { type: "integer" } } });
 * schema.properties.count; // { type: "integer", default: 5 }
 * ```
 */
export interface ParamsSchema {
  /** Always `"object"`. */
  type: "object";
  /** Each Param's schema, with its `default` and `description`. */
  properties: { [name: string]: JsonObject };
  /** The Params without a default. */
  required: string[];
}

/**
 * The Params of a DAG (as `GET .../dags/{id}/details` serves them, Airflow 2 or 3) as one object
 * schema, e.g. to build a form: each Param's schema with its default and description; the
 * Params without a default are `required`. Throws `AirflowError` (`INVALID_ARGUMENT`, naming
 * the Param) for Params it cannot read.
 *
 * @param params The DAG's Params.
 * @returns One object schema.
 * @example
 * ```ts
 * import { paramsToSchema } from "airflow-trigger";
 *
 * const schema = paramsToSchema({
 *   count: { value: 5, schema: { type: "integer", minimum: 1 }, description: "How many" },
 *   target: { value: null, schema: { type: "string" } },
 * });
 * schema.properties.count; // { type: "integer", minimum: 1, default: 5, description: "How many" }
 * schema.required; // ["target"]
 * ```
 */
export declare function paramsToSchema(params: DagParams): ParamsSchema;

/**
 * Options of {@link ParamsValidator}.
 *
 * @example
 * ```ts
 * import { ParamsValidator, type ParamsValidatorOptions } from "airflow-trigger";
 *
 * const options: ParamsValidatorOptions = { formats: "airflow2", unknownKeys: "error" };
 * const v = new ParamsValidator({ day: { value: null, schema: { type: "string", format: "date" } } }, options);
 * ```
 */
export interface ParamsValidatorOptions {
  /** `"airflow2"` or `"airflow3"` (default) select that server's format checks and quirks. */
  formats?: FormatsMode;
  /** Report every error (default true) or stop at the first. */
  allErrors?: boolean;
  /** Conf keys that are not Params: accepted like Airflow does (default) or reported. */
  unknownKeys?: "ignore" | "error";
  /** Most errors reported (default 100); past it, one error with keyword `maxErrors` says more were found. */
  maxErrors?: number;
}

/**
 * A {@link ParamsValidator} verdict for a valid conf.
 *
 * @typeParam T The conf's type (the validator's type parameter).
 * @example
 * ```ts
 * import { ParamsValidator, type ParamsValid } from "airflow-trigger";
 *
 * const v = new ParamsValidator<{ day: string }>({ day: { value: "2024-01-01", schema: { type: "string" } } });
 * const result = v.validate({});
 * if (result.valid) {
 *   const ok: ParamsValid<{ day: string }> = result;
 *   // The default, merged:
 *   ok.conf.day; // "2024-01-01"
 * }
 * ```
 */
export interface ParamsValid<T extends object> extends ValidationResult {
  /** The conf is valid. */
  valid: true;
  /** The conf with the defaults of the Params it leaves out. */
  conf: T;
}

/**
 * A {@link ParamsValidator} verdict for an invalid conf.
 *
 * @example
 * ```ts
 * import { ParamsValidator } from "airflow-trigger";
 *
 * const v = new ParamsValidator({ count: { value: 5, schema: { type: "integer", minimum: 1 } } });
 * const result = v.validate({ count: 0 });
 * if (!result.valid) console.log(result.errors[0]?.message); // "must be >= 1"
 * ```
 */
export interface ParamsInvalid extends ValidationResult {
  /** The conf is not valid. */
  valid: false;
  /** The conf with the defaults of the Params it leaves out (what Airflow would have merged). */
  conf: JsonObject;
}

/**
 * What {@link ParamsValidator.validate} returns: `valid` narrows `conf` to `T`.
 *
 * @typeParam T The conf's type (the validator's type parameter).
 */
export type ParamsValidationResult<T extends object = JsonObject> = ParamsValid<T> | ParamsInvalid;

/**
 * Validates a conf against a DAG's Params exactly as Airflow does: each Param on its own,
 * conf values over defaults, the defaults merged into the returned `conf`, keys that are not
 * Params accepted (or reported with `unknownKeys: "error"`). Regular expressions (`pattern`,
 * `patternProperties`, `format: "regex"`) are Python's `re`, and `idn-hostname` is idna's, in the
 * full module (Node, Deno, Bun, workerd, or a browser that passed it to {@link init}); the
 * browser's default module has neither, so Params that use them do not compile there: the
 * constructor throws an `INVALID_ARGUMENT` naming `airflow-trigger/full` rather than read them
 * otherwise. Like Airflow, the full module first checks each Param's schema against its draft's
 * metaschema (a schema Airflow refuses to use does not compile); the default module cannot
 * (measured on 8,600 generated cases: 1,506 refused, 83 such schemas judged, 408 `$schema`s
 * the default module does not read (drafts 3, 4, 6 and 2019-09, nested, custom) and 88 `$ref`s
 * it cannot resolve, which it declines; the full module reads them as Airflow does. Besides the
 * REST API's `value: null`, the full module agrees with Airflow on every case; the default
 * module differs where docs/validation.md counts what only the full module follows. Where
 * Airflow's own verdict changes from one process to the next (an id given to two subschemas
 * under two keywords of one kind), both give one of its verdicts, always the same).
 *
 * @typeParam T The conf's type once valid (your own declaration; nothing checks it against
 *   the Params): a valid result's `conf` has it.
 * @example
 * ```ts
 * import { ParamsValidator } from "airflow-trigger";
 *
 * interface EtlConf { day: string; count: number }
 * const params = {
 *   day: { value: null, schema: { type: "string", format: "date" } },
 *   count: { value: 5, schema: { type: "integer", minimum: 1 } },
 * };
 * const v = new ParamsValidator<EtlConf>(params, { formats: "airflow3" });
 * const result = v.validate({ day: "2024-01-01" });
 * if (result.valid) result.conf.count; // 5: the default, merged
 * ```
 */
export declare class ParamsValidator<T extends object = JsonObject> {
  /**
   * Compiles every Param once; throws `AirflowError` (`INVALID_ARGUMENT`, naming the Param)
   * for a schema that does not compile.
   *
   * @param params The DAG's Params (`AirflowClient.getParams`, or the `params` of the DAG's details).
   * @param options Formats, `unknownKeys`, error limits.
   */
  constructor(params: DagParams, options?: ParamsValidatorOptions);
  /**
   * Validates a conf. Any value is accepted (`unknown` included): one that is not an object is
   * an error of the result (`keyword: "type"`); one JSON cannot carry throws `AirflowError`
   * (`INVALID_ARGUMENT`).
   *
   * @param conf The conf to validate.
   * @returns `{ valid, errors, conf }`, `conf` with the defaults merged; `valid` narrows it to `T`.
   * @example
   * ```ts
   * import { ParamsValidator } from "airflow-trigger";
   *
   * const v = new ParamsValidator({ count: { value: 5, schema: { type: "integer", minimum: 1 } } });
   * const input: unknown = { count: 0 };
   * const { valid, errors, conf } = v.validate(input);
   * valid; // false
   * errors; // [{ instancePath: "/count", schemaPath: "#/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1" }]
   * conf; // { count: 0 }
   * ```
   */
  validate(conf: unknown): ParamsValidationResult<T>;
  /**
   * Releases the compiled Params now instead of at garbage collection; `validate` then throws.
   *
   * @example
   * ```ts
   * import { ParamsValidator } from "airflow-trigger";
   *
   * const v = new ParamsValidator({ n: { value: 1, schema: { type: "integer" } } });
   * v.validate({ n: 2 });
   * v.free();
   * ```
   */
  free(): void;
  /**
   * `free()`, for `using` (runtimes with `Symbol.dispose`: Node 20+, Deno, Bun, recent browsers).
   *
   * @example
   * ```ts
   * import { ParamsValidator } from "airflow-trigger";
   *
   * {
   *   using v = new ParamsValidator({ n: { value: 1, schema: { type: "integer" } } });
   *   v.validate({ n: 2 });
   * } // freed here
   * ```
   */
  [Symbol.dispose](): void;
}
