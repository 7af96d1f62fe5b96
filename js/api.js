// The public functions. Values cross into WebAssembly as JSON text: one JSON.stringify here and
// one parse in Rust is smaller and faster than walking JS objects from wasm.
import initWasm, {
  initSync as initSyncWasm,
  CallHandle,
  ClientHandle,
  ValidatorHandle,
  jsonOp as jsonOpWasm,
} from "./airflow_trigger.js";
import { AirflowError } from "./error.js";

// The module throws its errors as `Error`s named "AirflowError" holding the fields as JSON (it
// cannot reach this class): each becomes an AirflowError on its way out of an export.
function guard(f) {
  return function (...args) {
    try {
      return f.apply(this, args);
    } catch (e) {
      if (e?.name !== "AirflowError" || e instanceof AirflowError) throw e;
      const { code, message, ...fields } = JSON.parse(e.message);
      throw new AirflowError(code, message, fields);
    }
  };
}
const jsonOp = guard(jsonOpWasm);
const make = guard((Handle, ...args) => new Handle(...args));
for (const [Handle, method] of [[ClientHandle, "call"], [CallHandle, "next"], [ValidatorHandle, "validate"]]) {
  Handle.prototype[method] = guard(Handle.prototype[method]);
}

let ready = false;

/**
 * Loads the WebAssembly module (browsers and bundlers: once, before anything else; by default it
 * fetches `airflow_trigger_bg.wasm` next to this file). The Node, Deno, Bun and workerd entries
 * call `initSync` on import.
 */
export async function init(input) {
  const out = await initWasm(input);
  ready = true;
  return out;
}

/** Instantiates the module from a `WebAssembly.Module` or its bytes, synchronously. */
export function initSync(input) {
  const out = initSyncWasm(input);
  ready = true;
  return out;
}

function need() {
  if (!ready) {
    // An AirflowError like every other refusal (nothing was sent), so one catch handles them all.
    throw new AirflowError("INVALID_ARGUMENT", "airflow-trigger is not initialised: call `await init()` first");
  }
}

// Values to validate cross as UTF-8 bytes: one native encode and copy, where wasm-bindgen's
// string passing copies char by char in JS (a seventh of a 1 MB validation). Short texts are
// encoded into one reused buffer (a new array per call cost more than the copy it saves).
const utf8 = new TextEncoder();
const SHORT = 16384;
let scratch;
function bytes(text) {
  if (text.length > SHORT) return utf8.encode(text);
  scratch ??= new Uint8Array(SHORT * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
  return scratch.subarray(0, utf8.encodeInto(text, scratch).written);
}

// The Rust side's JSON parser refuses deeper nesting than this, too.
const MAX_DEPTH = 128;

const toStringTag = Object.prototype.toString;

/** `value` if it is a string, or an INVALID_ARGUMENT error naming the argument. */
function text(value, name) {
  if (typeof value !== "string") throw invalid(name, `must be a string, got ${kind(value)}`);
  return value;
}

/** `value` if it is a whole number from `min` to `max`, or an INVALID_ARGUMENT error. */
function count(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `must be a whole number from ${min} to ${max}, got ${typeof value === "number" ? value : kind(value)}`);
  }
  return value;
}

function kind(value) {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

// Airflow's answers are small (a DAG's details with its Params, a page of runs): one larger than
// this is not read to its end, so a wrong or hostile server cannot fill the memory.
const MAX_ANSWER_BYTES = 16 << 20;

/** The answer's body as text, or null when it is larger than MAX_ANSWER_BYTES. */
async function readAnswer(res) {
  if (Number(res.headers.get("content-length")) > MAX_ANSWER_BYTES) {
    res.body?.cancel().catch(() => {});
    return null;
  }
  if (!res.body?.getReader) return res.text();
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** An options bag: an object, or undefined/null for none; anything else is INVALID_ARGUMENT. */
function bag(value, name) {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(name, `must be an object, got ${kind(value)}`);
  return value;
}

/** The handle of an object not yet freed, or an INVALID_ARGUMENT error naming the object. */
function live(handle, what) {
  if (handle === undefined) throw invalid(what, "was freed (free() was called); create a new one");
  return handle;
}

function invalid(field, problem) {
  return new AirflowError("INVALID_ARGUMENT", `${field}: ${problem}`, { field });
}

/**
 * Why JSON.stringify would not write `value` exactly, or null: `[why, keys]` (the keys from the
 * problem out, `.a` or `[2]`), with a third item `true` for nesting. One pass, and the path is
 * only written for a problem: the common case costs what JSON.stringify does.
 */
function problem(value, ancestors, deeper) {
  const type = typeof value;
  if (type === "string" || type === "boolean" || value === null) return null;
  if (type === "number") return Number.isFinite(value) ? null : [`${value} is not a JSON number`, []];
  if (type === "undefined") return ["is undefined, which JSON cannot carry; use null or leave the key out", []];
  if (type !== "object") return [`is a ${type}, which JSON cannot carry`, []];
  if (ancestors.includes(value)) return ["refers to itself (a cycle)", []];
  if (ancestors.length >= MAX_DEPTH + deeper) return [`is nested more than ${MAX_DEPTH} levels deep`, [], true];
  const isArray = Array.isArray(value);
  if (!isArray && toStringTag.call(value) !== "[object Object]") {
    return [`is a ${value.constructor?.name ?? "object"}, not a plain object; convert it first (e.g. a Date with toISOString())`, []];
  }
  // What toJSON returns is not what was given: plain data only, as for every other value.
  if (typeof value.toJSON === "function") return ["has a toJSON method; pass plain JSON data (what it returns)", []];
  ancestors.push(value);
  const keys = isArray ? value : Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = isArray ? i : keys[i];
    const item = value[key];
    if (!isArray && item === undefined) continue;
    const found = problem(item, ancestors, deeper);
    if (found) {
      found[1].push(isArray ? `[${key}]` : `.${key}`);
      return found;
    }
  }
  ancestors.pop();
  return null;
}

/** `value` (an object) as JSON text, or an INVALID_ARGUMENT AirflowError naming the bad value's path. */
export function toJson(value, what) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(what, `must be an object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  return anyToJson(value, what);
}

// JSON.stringify silently changes NaN, Infinity, undefined in arrays, functions, Dates, Maps,
// toJSON's results...; a trigger must send exactly what the caller meant, so these are errors.
/** Any JSON value as JSON text (a schema may be `true`, an instance anything). */
function anyToJson(value, what) {
  if (value === undefined) throw invalid(what, "is undefined, which JSON cannot carry; pass a JSON value");
  // Named here, with its path (nesting too, which the module's parser would only locate by
  // line and column; there, the first key only). Options name their fields without "options.",
  // as the Rust side does.
  // Options hold the conf one level down, and the conf has 128 levels of its own.
  const found = problem(value, [], what === "options" && value.conf !== undefined ? 1 : 0);
  if (found) {
    const [why, keys, nested] = found;
    keys.reverse();
    let path = what;
    if (!nested) path += keys.join("");
    // Nesting: the path to the first key inside the value, or the option's (not 128 keys).
    else for (const key of keys.slice(0, what === "options" ? 2 : 1)) if (key[0] === ".") path += key; else break;
    throw invalid(path.replace(/^options\./, ""), why);
  }
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw invalid(what, `cannot be sent as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Builds and checks the trigger request; nothing is sent. */
export function buildTriggerRequest(options) {
  need();
  return JSON.parse(jsonOp(0, toJson(options, "options"), "", "", 0, false));
}

/** The request as a `curl` command; credentials are `***` unless `revealSecrets` is true. */
export function toCurl(request, options) {
  need();
  const { revealSecrets = false } = only(options, ["revealSecrets"]);
  if (typeof revealSecrets !== "boolean") throw invalid("revealSecrets", "must be true or false");
  return jsonOp(1, toJson(request, "request"), "", "", 0, revealSecrets);
}

/**
 * Triggers a DAG run with the global `fetch`; resolves to the new run. One request path, no
 * retries: use `AirflowClient` for retries, token exchange and monitoring.
 */
export async function triggerDagRun(options) {
  if (options === null || typeof options !== "object") throw invalid("options", "must be an object");
  const { baseUrl, apiVersion, auth, dagId, ...trigger } = only(options, ["baseUrl", "apiVersion", "dagId", "auth", "conf", "dagRunId", "logicalDate", "note", "dataIntervalStart", "dataIntervalEnd", "runAfter", "validate", "unpause", "signal"]);
  const client = new AirflowClient({ baseUrl, apiVersion: apiVersion ?? "v2", auth, retries: 0 });
  try {
    return await client.trigger(dagId, trigger);
  } finally {
    client.free();
  }
}

function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// `redirect: "manual"` answers a redirect as the 3xx itself (Node, workerd, Deno, Bun) or, in
// browsers, as an "opaqueredirect" with status 0; `redirected` is set when a `fetch` passed in
// followed one anyway.
function isRedirect(res) {
  return res.type === "opaqueredirect" || REDIRECTS.has(res.status) || res.redirected === true;
}

/** The error for a redirect: where it pointed, as an origin only (never a path, query or userinfo). */
function redirectError(request, res) {
  // Where it pointed, as an origin; anything else is unknown (a browser does not reveal it, or
  // the Location header is missing or not an http(s) URL).
  let where = "an address not known here";
  const location = res.type === "opaqueredirect" ? null : res.headers.get("location");
  if (res.redirected) {
    where = "another address (the fetch function passed to AirflowClient followed it)";
  } else if (location) {
    try {
      const origin = new URL(location, request.url).origin;
      if (origin !== "null") where = origin;
    } catch {}
  }
  const path = new URL(request.url).pathname;
  const status = res.type === "opaqueredirect" ? 0 : res.status;
  return new AirflowError(
    "BAD_REQUEST",
    `Airflow answered ${request.method} ${path} with a redirect${status ? ` (${status})` : ""} to ${where}. `
      + "airflow-trigger does not follow redirects, so the credentials never go to another address: "
      + "set baseUrl to the address Airflow answers at itself (scheme, host, port and path prefix).",
    { status },
  );
}

/**
 * A client for one Airflow: auth (including Airflow 3's token exchange), API version
 * detection, per-request timeouts, retries with backoff, idempotent triggers, run monitoring.
 * The logic is the Rust core's (`src/client/`); this class only moves requests and answers.
 */
/** `signal` if it is an AbortSignal (or undefined). */
function abortSignal(signal) {
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal !== "object" || typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function" || typeof signal.removeEventListener !== "function") {
    throw invalid("signal", `must be an AbortSignal, got ${kind(signal)}`);
  }
  return signal;
}

/** An options bag that may hold only `known` keys. */
function only(options, known) {
  const given = bag(options, "options");
  // `interval_ms`, `dagID`: the same name in another spelling.
  const squash = (name) => name.replace(/[_-]/g, "").toLowerCase();
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue;
    const meant = known.find((k) => squash(k) === squash(key));
    throw invalid(key, meant ? `is not an option; did you mean "${meant}"?` : `is not an option here (known: ${known.join(", ")})`);
  }
  return given;
}

/** `{ uri }` or `{ assetId }`, checked. */
function assetArgs(uri, assetId) {
  if (uri !== undefined && assetId !== undefined) throw invalid("uri", "give uri or assetId, not both");
  if (uri !== undefined) return { uri: text(uri, "uri") };
  if (assetId !== undefined) return { assetId: count(assetId, "assetId", 0, Number.MAX_SAFE_INTEGER) };
  throw invalid("uri", "give uri (a string) or assetId (a number)");
}

/** An asset (Airflow 3) or dataset (Airflow 2) object in the package's shape. */
function asset(raw) {
  const dags = (list) => (list ?? []).map((d) => d.dag_id);
  return { id: raw.id ?? null, uri: raw.uri ?? "", name: raw.name ?? null, group: raw.group ?? null, scheduledDags: [...dags(raw.scheduled_dags), ...dags(raw.consuming_dags)], raw };
}

/** An asset (dataset) event in the package's shape. */
function event(raw) {
  return {
    id: raw.id ?? null, assetId: raw.asset_id ?? raw.dataset_id ?? null, uri: raw.uri ?? raw.dataset_uri ?? null,
    timestamp: raw.timestamp ?? null, extra: raw.extra ?? null, sourceDagId: raw.source_dag_id ?? null,
    sourceTaskId: raw.source_task_id ?? null, sourceRunId: raw.source_run_id ?? null, raw,
  };
}

/** An asset argument: a URI (string) or an id (number). */
function assetArg(asset) {
  if (typeof asset === "string") return assetArgs(asset, undefined);
  if (typeof asset === "number") return assetArgs(undefined, asset);
  throw invalid("asset", `must be a URI (string) or an asset id (number), got ${kind(asset)}`);
}

export class AirflowClient {
  #handle;
  #fetch;
  #calls = 0;
  #freed;

  constructor(options) {
    need();
    if (options === null || typeof options !== "object") throw invalid("options", "must be an object");
    const { fetch: fetchFn, ...rest } = options;
    if (fetchFn !== undefined && typeof fetchFn !== "function") throw invalid("fetch", "must be a function");
    this.#fetch = fetchFn ?? ((input, init) => globalThis.fetch(input, init));
    this.#handle = make(ClientHandle, toJson(rest, "options"));
  }

  async #run(call, onProgress, signal) {
    this.#calls++;
    // An action is JSON; a request's body, when there is one, follows it after a line break.
    const parse = (text) => {
      const end = text.indexOf("\n");
      if (end < 0) return JSON.parse(text);
      const action = JSON.parse(text.slice(0, end));
      action.send.request.body = text.slice(end + 1);
      return action;
    };
    const client = this.#handle;
    let reported;
    // The caller's signal: checked before every step, and it ends a sleep or a fetch at once.
    const cancelled = () => signal?.aborted === true;
    let onAbort;
    const aborted = signal ? new Promise((resolve) => {
      onAbort = resolve;
      signal.addEventListener("abort", onAbort, { once: true });
    }) : undefined;
    try {
      // A cancel is an event of the call: it knows what a POST already sent may have created.
      // One export for every event: 0 start, 1 an answer, 2 a failure, 3 a timeout, 4 slept,
      // 5 cancelled, 6 an answer too large to read.
      const next = (event, status = 0, type = "", body = "") => parse(call.next(client, event, status, type, body));
      let action = next(cancelled() ? 5 : 0);
      for (;;) {
        if ("done" in action) {
          if (onProgress && action.done.state !== reported) onProgress(action.done);
          return action.done;
        }
        if (cancelled()) {
          action = next(5);
          continue;
        }
        if ("sleep" in action) {
          if (onProgress && action.progress) {
            reported = action.progress.state;
            onProgress(action.progress);
          }
          let timer;
          await Promise.race([new Promise((resolve) => { timer = setTimeout(resolve, action.sleep); }), aborted].filter(Boolean));
          clearTimeout(timer);
          action = next(cancelled() ? 5 : 4);
          continue;
        }
        const { request, timeoutMs, includeCredentials } = action.send;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        const forward = () => controller.abort();
        signal?.addEventListener("abort", forward, { once: true });
        let answer;
        let redirect;
        let tooLarge;
        try {
          const res = await this.#fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            signal: controller.signal,
            // Never follow: a redirect would carry the credentials (and a login's password) to
            // wherever it points, in runtimes that keep Authorization across origins (workerd).
            redirect: "manual",
            ...(includeCredentials ? { credentials: "include" } : {}),
          });
          if (isRedirect(res)) {
            redirect = res;
            res.body?.cancel().catch(() => {});
          } else {
            const body = await readAnswer(res);
            if (body === null) tooLarge = res;
            else answer = [res.status, res.headers.get("content-type") ?? "", body];
          }
        } catch (e) {
          action = cancelled() ? next(5) : controller.signal.aborted ? next(3) : next(2, 0, "", messageOf(e));
          continue;
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener("abort", forward);
        }
        if (redirect) throw redirectError(request, redirect);
        // Too large to read: the call says so (and, after a trigger's POST, names the run).
        action = tooLarge ? next(6, tooLarge.status) : next(1, ...answer);
      }
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
      call.free();
      // free() during a call waits for the last call to end (its handle is still in use).
      if (--this.#calls === 0 && this.#freed) {
        this.#freed.free();
        this.#freed = undefined;
      }
    }
  }

  /**
   * Triggers a run (validating conf against the DAG's Params first unless `validate: false`;
   * `unpause: true` unpauses a paused DAG first). `signal` cancels it.
   */
  async trigger(dagId, options = {}) {
    const { signal, ...rest } = bag(options, "options");
    const checked = abortSignal(signal);
    return this.#run(live(this.#handle, "AirflowClient").call("trigger", text(dagId, "dagId"), toJson(rest, "options")), undefined, checked);
  }

  async getRun(dagId, runId, options) {
    const { signal } = only(options, ["signal"]);
    return this.#call("getRun", text(dagId, "dagId"), text(runId, "runId"), undefined, undefined, signal);
  }

  /** Polls the run until `success` or `failed`; `onProgress` hears every state change; `signal` stops it. */
  async waitForRun(dagId, runId, options) {
    const { intervalMs = 2000, timeoutMs = 3_600_000, onProgress, signal } = only(options, ["intervalMs", "timeoutMs", "onProgress", "signal"]);
    if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("onProgress", "must be a function");
    return this.#call("waitForRun", text(dagId, "dagId"), text(runId, "runId"), count(intervalMs, "intervalMs", 1, 2 ** 32 - 1), count(timeoutMs, "timeoutMs", 1, 2 ** 53 - 1), signal, onProgress);
  }

  async getDag(dagId, options) {
    const { signal } = only(options, ["signal"]);
    return this.#call("getDag", text(dagId, "dagId"), undefined, undefined, undefined, signal);
  }

  async getParams(dagId, options) {
    const { signal } = only(options, ["signal"]);
    return this.#call("getParams", text(dagId, "dagId"), undefined, undefined, undefined, signal);
  }

  async listDags(options) {
    const { search, limit = 100, signal } = only(options, ["search", "limit", "signal"]);
    return this.#call("listDags", search === undefined ? undefined : text(search, "search"), undefined, count(limit, "limit", 1, 2 ** 32 - 1), undefined, signal);
  }

  async listRuns(dagId, options) {
    const { limit = 10, signal } = only(options, ["limit", "signal"]);
    return this.#call("listRuns", text(dagId, "dagId"), undefined, count(limit, "limit", 1, 2 ** 32 - 1), undefined, signal);
  }

  async version(options) {
    const { signal } = only(options, ["signal"]);
    return this.#call("version", undefined, undefined, undefined, undefined, signal);
  }

  /**
   * Announces that an asset changed (Airflow 3: an asset event; Airflow 2: a dataset event), so
   * the DAGs scheduled on it run. `{ uri }` is matched exactly; `{ assetId }` is Airflow 3's id.
   * The POST is sent at most once: after a failure that leaves unknown whether it arrived, the
   * call rejects instead of risking a second event.
   */
  async createAssetEvent(options) {
    const { uri, assetId, extra, signal } = only(options, ["uri", "assetId", "extra", "signal"]);
    const { uri: u, assetId: id } = assetArgs(uri, assetId);
    return event(await this.#call("event", u, extra === undefined ? undefined : toJson(extra, "extra"), id, undefined, signal));
  }

  /** Assets (Airflow 2: datasets) whose URI contains `search`. */
  async listAssets(options) {
    const { search, limit = 100, signal } = only(options, ["search", "limit", "signal"]);
    const page = await this.#call("list", undefined, search === undefined ? undefined : text(search, "search"), undefined, count(limit, "limit", 1, 2 ** 32 - 1), signal);
    return { assets: page.assets.map(asset), totalEntries: page.totalEntries };
  }

  /** One asset by URI (a string, matched exactly) or id (a number), with the DAGs scheduled on it. */
  async getAsset(uriOrId, options) {
    const { signal } = only(options, ["signal"]);
    const { uri, assetId } = assetArg(uriOrId);
    return asset(await this.#call("get", uri, undefined, assetId, undefined, signal));
  }

  /** Airflow 3: runs the DAG that produces the asset (URI or id); resolves with the run. */
  async materializeAsset(uriOrId, options) {
    const { signal } = only(options, ["signal"]);
    const { uri, assetId } = assetArg(uriOrId);
    return this.#call("materialize", uri, undefined, assetId, undefined, signal);
  }

  // One export for every call (each export costs its own glue in the payload).
  #call(kind, a, b, x, y, signal, onProgress) {
    const checked = abortSignal(signal);
    return this.#run(live(this.#handle, "AirflowClient").call(kind, a, b, x, y), onProgress, checked);
  }

  /** Releases the client's memory now instead of at garbage collection (after calls under way end). */
  free() {
    if (this.#calls > 0) this.#freed ??= this.#handle;
    else this.#handle?.free();
    this.#handle = undefined;
  }
}

/** Reads an answer you fetched yourself: the DAG run for a 2xx status, an AirflowError otherwise. */
export function parseTriggerResponse(apiVersion, status, contentType, body) {
  need();
  count(status, "status", 100, 599);
  return JSON.parse(jsonOp(2, text(apiVersion, "apiVersion"), text(contentType ?? "", "contentType"), text(body ?? "", "body"), status, false));
}

/**
 * A JSON Schema (2020-12, or draft 7 by `$schema`) compiled once, to validate many values.
 * Errors are ajv-shaped. Call `free()` when done early (garbage collection frees it otherwise).
 */
// ajv's addFormat: formats every ConfValidator compiled afterwards knows (its own `addFormats`
// option adds more, or replaces these).
const addedFormats = new Map();

// Format checks running now. A check may validate (re-entry is safe), but the checks of that
// validation may not: each level holds a validation's stack in the module, whose stack is finite.
let checking = 0;

/** The guard of every validate: not from a check of a check. */
function notTooDeep() {
  if (checking > 1) throw invalid("validate", "is called from a check of a validation in a check: one level only");
}

/** A format check: a RegExp the string must match, or a function given the string. */
function formatCheck(check, name) {
  if (!(check instanceof RegExp) && typeof check !== "function") throw invalid(name, `must be a RegExp or a function, got ${kind(check)}`);
  return check;
}

/** Adds a format (a RegExp, or a function of the string) for ConfValidators compiled afterwards. */
export function addFormat(name, check) {
  addedFormats.set(text(name, "name"), formatCheck(check, "format"));
}

export class ConfValidator {
  #handle;
  #formats;
  #thrown = [];
  #busy = 0;
  #freed;

  constructor(schema, options = {}) {
    need();
    if (options === null || typeof options !== "object" || Array.isArray(options)) toJson(options, "options");
    const { addFormats, ...rest } = options;
    const formats = new Map(addedFormats);
    for (const [name, check] of Object.entries(bag(addFormats, "addFormats"))) formats.set(name, formatCheck(check, `addFormats.${name}`));
    let host;
    if (formats.size) {
      rest.addFormats = [...formats.keys()];
      // The module holds this function as a GC root: through a WeakRef, not the checks (which
      // may reach the validator), or a validator would never be collected.
      this.#formats = formats;
      const self = new WeakRef(this);
      host = (name, value) => self.deref()?.#check(name, value) ?? false;
    }
    this.#handle = make(ValidatorHandle, false, anyToJson(schema, "schema"), toJson(rest, "options"), host);
  }

  // One format check. What it throws is thrown by validate() once the module has returned.
  #check(name, value) {
    checking++;
    try {
      const check = this.#formats.get(name);
      if (typeof check === "function") return Boolean(check(value));
      check.lastIndex = 0;
      return check.test(value);
    } catch (e) {
      this.#thrown.push(e);
      return false;
    } finally {
      checking--;
    }
  }

  validate(instance) {
    const handle = live(this.#handle, "ConfValidator");
    notTooDeep();
    const json = bytes(anyToJson(instance, "instance"));
    let result;
    this.#busy++;
    try {
      result = handle.validate(json);
    } finally {
      // free() from a check waited for this validation to end.
      if (--this.#busy === 0 && this.#freed) this.#freed = void this.#freed.free();
    }
    if (this.#thrown.length) throw this.#thrown.splice(0)[0];
    if (result === undefined) return { valid: true, errors: [] };
    const { valid, errors, defaults } = JSON.parse(result);
    // useDefaults: each default the module filled in is set on the caller's value, as ajv does.
    // An own data property, never an assignment: a key such as "__proto__" must not reach a
    // setter. A value whose JSON differs from it (toJSON) may lack the path: skipped.
    for (const [path, value] of defaults ?? []) {
      const keys = path.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
      const last = keys.pop();
      const at = keys.reduce((at, k) => (at !== null && typeof at === "object" && Object.hasOwn(at, k) ? at[k] : undefined), instance);
      if (at !== null && typeof at === "object") Reflect.defineProperty(at, last, { value, writable: true, enumerable: true, configurable: true });
    }
    return { valid, errors };
  }

  free() {
    if (this.#busy) this.#freed ??= this.#handle;
    else this.#handle?.free();
    this.#handle = undefined;
  }
}

/** Compiles `schema`, validates `instance` once. */
/**
 * Errors as one line of text, as ajv's `errorsText`: `data must have required property 'day',
 * data/retries must be <= 5`; "No errors" for none.
 */
export function errorsText(errors, options) {
  const { separator = ", ", dataVar = "data" } = only(options, ["separator", "dataVar"]);
  if (errors !== undefined && errors !== null && !Array.isArray(errors)) throw invalid("errors", `must be an array, got ${kind(errors)}`);
  if (!errors?.length) return "No errors";
  return errors.map((e) => `${dataVar}${e?.instancePath ?? ""} ${e?.message}`).join(separator);
}

export function validateConf(schema, instance, options = {}) {
  const validator = new ConfValidator(schema, options);
  try {
    return validator.validate(instance);
  } finally {
    validator.free();
  }
}

/** The `params` of GET /dags/{id}/details (Airflow 2 or 3) as one object schema for forms. */
export function paramsToSchema(params) {
  need();
  return JSON.parse(jsonOp(3, toJson(params, "params"), "", "", 0, false));
}

/**
 * Validates a conf against a DAG's Params exactly as Airflow does: each Param on its own,
 * defaults merged into the returned `conf`, keys that are not Params accepted.
 */
export class ParamsValidator {
  #handle;

  constructor(params, options = {}) {
    need();
    this.#handle = make(ValidatorHandle, true, toJson(params, "params"), toJson(options, "options"));
  }

  validate(conf) {
    const handle = live(this.#handle, "ParamsValidator");
    notTooDeep();
    return JSON.parse(handle.validate(bytes(anyToJson(conf, "conf"))));
  }

  free() {
    this.#handle?.free();
    this.#handle = undefined;
  }
}

// `using v = new ConfValidator(schema)` frees it at the end of the block, where the runtime
// has explicit resource management.
if (typeof Symbol.dispose === "symbol") {
  for (const Class of [AirflowClient, ConfValidator, ParamsValidator]) Class.prototype[Symbol.dispose] = Class.prototype.free;
}
