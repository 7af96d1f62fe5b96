// airflow-trigger gateway: a Cloudflare Worker that holds the Airflow credentials and lets
// portals trigger allowlisted DAGs. Callers authenticate with a bearer secret and/or an
// HMAC-SHA256 signature; conf is validated against the DAG's Params before anything reaches
// Airflow. Configuration: wrangler.toml ([vars]) and secrets (see README.md here).
import { AirflowClient, AirflowError, ParamsValidator, paramsToSchema } from "airflow-trigger";
import { accessConfig, allows, verifyAccess } from "./identity.js";
import { eventsOf, webhookRoutes } from "./webhook.js";

const MAX_BODY = 64 * 1024;
// A 422 stays small whatever the conf: at most this many errors, each string cut to CUT chars and
// params dropped past PARAMS_CUT chars of JSON (a 64 KB conf once made an 11 MB answer).
const MAX_ERRORS = 20;
const CUT = 300;
const PARAMS_CUT = 1000;
const SIGNATURE_WINDOW_S = 300;
// How far ahead of the gateway's clock a signature may be dated (clock skew): a signature is
// usable, and remembered, until its timestamp is SIGNATURE_WINDOW_S old, so this bounds both.
const SIGNATURE_AHEAD_S = 60;
// Signatures remembered at most (per isolate; GATEWAY_REPLAY_MEMORY sets it); past it, signed
// requests wait for old ones to expire.
const MAX_SEEN = 50_000;
const PARAMS_TTL_MS = 60_000;
const ALLOWED_HEADERS = "authorization, content-type, idempotency-key, x-gateway-timestamp, x-gateway-signature";

// Per isolate: the client (token, detected version), compiled Params, signatures already used.
let state;

function setup(env) {
  if (state?.env === env) return state;
  const list = (v) => String(v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const problems = [];
  if (!env.AIRFLOW_URL) problems.push("AIRFLOW_URL");
  const access = accessConfig(env);
  if (access?.problem) problems.push(access.problem);
  const routes = webhookRoutes(env.WEBHOOK_ASSETS, new Set(list(env.ALLOWED_ASSETS)));
  if (routes?.problem) problems.push(routes.problem);
  if (!env.GATEWAY_TOKEN && !env.GATEWAY_HMAC_SECRET && !access) problems.push("GATEWAY_TOKEN, GATEWAY_HMAC_SECRET or ACCESS_AUD");
  if (!env.AIRFLOW_TOKEN && !(env.AIRFLOW_USERNAME && env.AIRFLOW_PASSWORD)) problems.push("AIRFLOW_TOKEN or AIRFLOW_USERNAME + AIRFLOW_PASSWORD");
  let client;
  if (problems.length === 0) {
    const auth = env.AIRFLOW_TOKEN
      ? { type: "bearer", token: env.AIRFLOW_TOKEN }
      : { type: "password", username: env.AIRFLOW_USERNAME, password: env.AIRFLOW_PASSWORD };
    client = new AirflowClient({
      baseUrl: env.AIRFLOW_URL,
      apiVersion: env.AIRFLOW_API_VERSION || "auto",
      auth,
      timeoutMs: Number(env.AIRFLOW_TIMEOUT_MS) || 10_000,
      retries: 2,
      // A service binding to Airflow (or a VPC binding), when configured, instead of the internet.
      ...(env.AIRFLOW ? { fetch: (url, init) => env.AIRFLOW.fetch(url, init) } : {}),
    });
  }
  state = {
    env,
    problems,
    client,
    access: access?.problem ? null : access,
    routes: Array.isArray(routes) ? routes : [],
    dags: new Set(list(env.ALLOWED_DAGS)),
    assets: new Set(list(env.ALLOWED_ASSETS)),
    origins: new Set(list(env.ALLOWED_ORIGINS)),
    validators: new Map(),
    seen: new Map(),
    maxSeen: Number(env.GATEWAY_REPLAY_MEMORY) > 0 ? Number(env.GATEWAY_REPLAY_MEMORY) : MAX_SEEN, // signature -> the Unix second after which its timestamp is stale
    pruneAt: 0,
  };
  return state;
}

function brief(errors) {
  const cut = (v) => (typeof v === "string" && v.length > CUT ? `${v.slice(0, CUT)}…` : v);
  return errors.slice(0, MAX_ERRORS + 1).map((e) => ({
    instancePath: cut(e.instancePath),
    schemaPath: cut(e.schemaPath),
    keyword: cut(e.keyword),
    params: JSON.stringify(e.params ?? {}).length > PARAMS_CUT ? {} : e.params,
    message: cut(e.message),
  }));
}

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

function fail(status, code, message, extra = {}) {
  return json(status, { error: { code, message, ...extra } });
}

/** Constant-time equality of two strings (through SHA-256, so lengths leak nothing either). */
async function sameSecret(a, b) {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", enc.encode(s))));
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i] ^ v[i];
  return diff === 0;
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks the caller: the bearer secret and/or the signature, as configured. Null when accepted. */
async function authenticate(request, s, path, body) {
  const env = s.env;
  if (s.access) {
    const checked = await verifyAccess(request, s.access);
    if (checked.error) return fail(checked.status ?? 401, checked.status ? "UNAVAILABLE" : "UNAUTHORIZED", checked.error);
    identities.set(request, checked.identity);
  }
  if (env.GATEWAY_TOKEN) {
    const header = request.headers.get("Authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!(await sameSecret(token, env.GATEWAY_TOKEN))) {
      return fail(401, "UNAUTHORIZED", "Missing or wrong gateway token: send Authorization: Bearer <token>.");
    }
  }
  if (env.GATEWAY_HMAC_SECRET) {
    const ts = request.headers.get("X-Gateway-Timestamp") ?? "";
    const sig = (request.headers.get("X-Gateway-Signature") ?? "").replace(/^sha256=/, "").toLowerCase();
    const now = Math.floor(Date.now() / 1000);
    const age = now - Number(ts);
    if (!/^\d{1,12}$/.test(ts) || age > SIGNATURE_WINDOW_S || age < -SIGNATURE_AHEAD_S) {
      return fail(401, "UNAUTHORIZED", `Missing or stale X-Gateway-Timestamp: send the current Unix time in seconds (at most ${SIGNATURE_WINDOW_S} s old, ${SIGNATURE_AHEAD_S} s ahead).`);
    }
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(env.GATEWAY_HMAC_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // An Idempotency-Key names the run, so a signature must cover it: otherwise a captured
    // request replayed with a new key would make a second run.
    const idempotencyKey = request.headers.get("Idempotency-Key");
    const payload = idempotencyKey === null ? `${ts}.${request.method}.${path}.${body}` : `${ts}.${request.method}.${path}.${idempotencyKey}.${body}`;
    const want = hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)));
    if (!(await sameSecret(sig, want))) {
      return fail(401, "UNAUTHORIZED", "Bad X-Gateway-Signature: HMAC-SHA256 of `${timestamp}.${method}.${path}.${body}` in hex (with an Idempotency-Key: `${timestamp}.${method}.${path}.${key}.${body}`).");
    }
    // A signature is remembered for as long as its timestamp is accepted: until the timestamp,
    // not its arrival, is SIGNATURE_WINDOW_S old (one dated ahead outlives its arrival's window).
    // Expired signatures are dropped at most every 10 s (a full memory is not re-scanned on
    // every request: that would cost each caller 50,000 steps).
    if (now >= s.pruneAt) {
      for (const [seenSig, until] of s.seen) if (until < now) s.seen.delete(seenSig);
      s.pruneAt = now + 10;
    }
    if (s.seen.has(want)) {
      return fail(401, "UNAUTHORIZED", "This signature was already used: sign every request anew (a replay is refused).");
    }
    if (s.seen.size >= s.maxSeen) {
      return json(503, { error: { code: "BUSY", message: "Too many signed requests within the replay window; retry in a few seconds." } }, { "Retry-After": "10" });
    }
    s.seen.set(want, Number(ts) + SIGNATURE_WINDOW_S);
    signatures.set(request, want);
  }
  return null;
}

// The verified HMAC of each signed request: a trigger without an Idempotency-Key takes its run id
// from it, so the same signed request replayed to another isolate (which has not seen it) finds
// the run the first one created instead of making a second.
const signatures = new WeakMap();
// The verified identity of each request, when an access proxy vouches for callers.
const identities = new WeakMap();

/** A refusal when `request`'s identity may not use `name`, null otherwise (the same answer as an allowlist's). */
function forbidden(s, request, kind, name) {
  const identity = identities.get(request);
  if (!identity || allows(s.access, identity, kind, name)) return null;
  return fail(403, "FORBIDDEN", `This ${kind === "dags" ? "DAG" : "asset"} is not available through the gateway.`);
}

/**
 * 429 when over the rate of the runtime's ratelimit binding (when configured) for `key`: the
 * caller (CALLER_LIMITER, every request that goes to Airflow) or the target (TARGET_LIMITER,
 * only a trigger or event about to be sent, so bad requests of one caller cannot use up a DAG's
 * budget for the others).
 */
async function limited(s, binding, key) {
  if (!binding || (await binding.limit({ key })).success) return null;
  const period = String(Number(s.env.RATE_LIMIT_PERIOD_S) > 0 ? Number(s.env.RATE_LIMIT_PERIOD_S) : 60);
  return json(429, { error: { code: "RATE_LIMITED", message: `Too many requests for ${key.startsWith("caller:") ? "this caller" : "this target"}; retry after ${period} s.` } }, { "Retry-After": period });
}

const callerLimit = (s, request) => {
  const identity = identities.get(request);
  return limited(s, s.env.CALLER_LIMITER, `caller:${identity ? `id:${identity.email}` : signatures.has(request) ? "hmac" : "token"}`);
};

const MAX_NOTE = 1000; // Airflow's note column

/** What Airflow shows of who triggered: the identity and the gateway first, then the caller's note. */
function noteFor(request, note) {
  const identity = identities.get(request);
  if (!identity) return note;
  const who = `triggered by ${identity.email} through the airflow-trigger gateway`;
  return note ? `${who}: ${note}` : who;
}
const SIGNED_RUN_PREFIX = "gw_sig_";

/** Reads at most MAX_BODY bytes; null when the body is larger. */
async function readBody(request) {
  const declared = Number(request.headers.get("Content-Length"));
  if (declared > MAX_BODY) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
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

/** The DAG's Params, compiled once per isolate (refreshed after PARAMS_TTL_MS). */
async function validatorFor(s, dagId) {
  const cached = s.validators.get(dagId);
  if (cached && Date.now() - cached.at < PARAMS_TTL_MS) return cached;
  const params = await s.client.getParams(dagId);
  // Airflow 2 and 3 check different formats: validate as the server behind the gateway does.
  const formats = (await s.client.version()).apiVersion === "v1" ? "airflow2" : "airflow3";
  // Params this crate cannot compile (a draft it does not implement, groups nested past its
  // limit, a schema Airflow refuses too) are not checked here: Airflow's own answer decides.
  let validator = null;
  try {
    validator = new ParamsValidator(params, { maxErrors: MAX_ERRORS, formats });
  } catch (e) {
    if (!(e instanceof AirflowError && e.code === "INVALID_ARGUMENT")) throw e;
  }
  cached?.validator?.free();
  const entry = { at: Date.now(), params, formats, validator };
  s.validators.set(dagId, entry);
  return entry;
}

/** JSON equality, key order aside. */
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/** The run as the gateway shows it: no raw server object. */
function publicRun(run) {
  const { dagId, dagRunId, state, logicalDate, conf, note, startDate, endDate, runType } = run;
  const out = { dagId, dagRunId, state, logicalDate, conf, note, startDate, endDate, runType };
  if (run.alreadyExisted !== undefined) out.alreadyExisted = run.alreadyExisted;
  if (run.dagPaused !== undefined) out.dagPaused = run.dagPaused;
  return out;
}

/**
 * Airflow's failures. The whole story (the client's message, which names Airflow's address, and
 * Airflow's own text) goes to the worker's log; the caller gets a stable code and the gateway's
 * own words: never Airflow's address, the gateway's credentials, or anything Airflow wrote.
 */
function upstream(e, action, dagId) {
  const airflow = e instanceof AirflowError;
  const told = airflow
    ? `${e.code}${e.status !== undefined ? ` (HTTP ${e.status})` : ""}: ${e.message}${e.detail != null ? ` Airflow said: ${e.detail}` : ""}`
    : e?.stack ?? String(e);
  const refusal = airflow && ["NOT_FOUND", "CONFLICT", "INVALID_CONF", "INVALID_ARGUMENT"].includes(e.code);
  const what = action === "event" ? "asset" : "DAG";
  (refusal ? console.warn : console.error)(`airflow-trigger gateway: ${action} of ${what} ${JSON.stringify(dagId)} failed: ${told}`);
  if (!airflow) return fail(502, "SERVER", "The gateway could not complete the request; its log has the details.");
  const operator = "the gateway's operator must fix it (the gateway's log has the details)";
  switch (e.code) {
    case "INVALID_ARGUMENT":
      // The library's checks of what the caller sent (its own words about the caller's values).
      if (e.field === "dagRunId") return fail(400, "BAD_REQUEST", e.message.replace(/^dagRunId/, action === "trigger" ? "Idempotency-Key" : "runId"));
      if (/^(conf|note|extra|uri)\b/.test(e.field ?? "")) return fail(400, "BAD_REQUEST", e.message);
      return fail(502, "SERVER", "The gateway could not use Airflow's answer; its log has the details.");
    case "INVALID_CONF":
      return fail(422, "INVALID_CONF", "Airflow rejected conf: it does not match the DAG's Params (which may have changed just now). Read them again with GET /dags/{dagId}/params.", { errors: brief(e.errors ?? []) });
    case "NOT_FOUND":
      if (action === "event") return fail(404, "NOT_FOUND", "Airflow does not know this asset (yet: it is registered when a DAG using it is parsed).");
      return fail(404, "NOT_FOUND", action === "run" ? "Airflow has no run with this id for this DAG." : "Airflow does not know this DAG (yet: a new DAG file takes a few seconds to be parsed).");
    case "CONFLICT":
      return fail(409, "CONFLICT", "A run with this id already exists; use a new Idempotency-Key.");
    case "NOT_AIRFLOW":
      return fail(502, "MISCONFIGURED", `Airflow's API did not answer at the gateway's AIRFLOW_URL (no version found); ${operator}.`);
    case "BAD_REQUEST":
      if (e.status === 0 || (e.status >= 300 && e.status < 400)) {
        return fail(502, "MISCONFIGURED", `Airflow answered with a redirect, which the gateway never follows (its credentials stay with Airflow): AIRFLOW_URL must be Airflow's own address; ${operator}.`);
      }
      return fail(502, "SERVER", `Airflow refused the gateway's request (HTTP ${e.status ?? "?"}); the gateway's log has Airflow's reason.`);
    case "UNAUTHORIZED":
    case "FORBIDDEN":
      return fail(502, "SERVER", `Airflow refused the gateway's own credentials; ${operator}.`);
    case "TIMEOUT":
      if (action === "event") return fail(504, "TIMEOUT", "Airflow did not answer in time: the event may or may not have been recorded. Check Airflow before sending it again.");
      return fail(504, "TIMEOUT", "Airflow did not answer in time. Retry with the same Idempotency-Key.");
    default:
      if (action === "event") return fail(502, "SERVER", "Airflow could not be reached or failed: the event may or may not have been recorded. Check Airflow before sending it again.");
      return fail(502, "SERVER", "Airflow could not be reached or failed. Retry with the same Idempotency-Key.");
  }
}

/** The event as the gateway shows it: no raw server object. */
function publicEvent(event) {
  const { id, assetId, uri, timestamp, extra } = event;
  return { id, assetId, uri, timestamp, extra };
}

/**
 * POST /assets/events `{ uri, extra? }`: an asset (Airflow 2: dataset) event for an allowlisted
 * URI (ALLOWED_ASSETS), so the DAGs scheduled on it run. Sent to Airflow at most once: after a
 * failure that leaves unknown whether it arrived, the caller is told so instead of a retry.
 */
async function assetEvent(request, s, path) {
  if (request.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", `${path} takes POST.`);
  const body = await readBody(request);
  if (body === null) return fail(413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY} bytes.`);
  const refused = await authenticate(request, s, path, body);
  if (refused) return refused;
  if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
    return fail(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as Content-Type: application/json.");
  }
  let input;
  try {
    input = JSON.parse(body);
  } catch {
    return fail(400, "BAD_REQUEST", "The body is not valid JSON.");
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return fail(400, "BAD_REQUEST", "The body must be a JSON object { uri, extra? }.");
  }
  const unknown = Object.keys(input).filter((k) => k !== "uri" && k !== "extra");
  if (unknown.length) return fail(400, "BAD_REQUEST", `Unknown field ${JSON.stringify(unknown[0])}; the body takes uri and extra.`);
  if (typeof input.uri !== "string") return fail(400, "BAD_REQUEST", "uri must be a string: the asset's URI.");
  const extra = input.extra === undefined ? {} : input.extra;
  if (extra === null || typeof extra !== "object" || Array.isArray(extra)) return fail(400, "BAD_REQUEST", "extra must be a JSON object.");
  // Not allowlisted: the same answer whether or not the asset exists.
  if (!s.assets.has(input.uri)) return fail(403, "FORBIDDEN", "This asset is not available through the gateway.");
  // Attribution is the gateway's: a caller cannot write it itself.
  if (Object.keys(extra).some((k) => /^(triggered_by|via)$/i.test(k))) return fail(400, "BAD_REQUEST", "extra: triggered_by and via are the gateway's own keys.");
  const refusedFor = forbidden(s, request, "assets", input.uri) ?? (await callerLimit(s, request)) ?? (await limited(s, s.env.TARGET_LIMITER, `asset:${input.uri}`));
  if (refusedFor) return refusedFor;
  const identity = identities.get(request);
  try {
    const event = await s.client.createAssetEvent({
      uri: input.uri,
      extra: identity ? { ...extra, triggered_by: identity.email, via: "airflow-trigger gateway" } : extra,
    });
    return json(201, { event: publicEvent(event) });
  } catch (e) {
    return upstream(e, "event", input.uri);
  }
}

/**
 * POST /webhooks/object-created: an object store's notification (S3's event format; MinIO's
 * webhook target sends it with `Authorization: Bearer <token>`), each object created under a
 * WEBHOOK_ASSETS prefix announced as an event of its asset. With WEBHOOK_TOKEN set, that token
 * (and only it) authenticates this path, so the store holds no credential that can trigger DAGs.
 * Every check (rules, rate limits) passes for every asset before any event is sent; 202
 * `{ events, skipped }`. A failure after some events were recorded lists them (`recorded`) and
 * the asset that failed: the store's retry would announce the recorded ones again.
 */
async function objectCreated(request, s, path) {
  if (request.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", `${path} takes POST.`);
  const body = await readBody(request);
  if (body === null) return fail(413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY} bytes.`);
  if (s.env.WEBHOOK_TOKEN) {
    const header = request.headers.get("Authorization") ?? "";
    if (!(await sameSecret(header.startsWith("Bearer ") ? header.slice(7) : "", s.env.WEBHOOK_TOKEN))) {
      return fail(401, "UNAUTHORIZED", "Missing or wrong webhook token: send Authorization: Bearer <WEBHOOK_TOKEN>.");
    }
  } else {
    const refused = await authenticate(request, s, path, body);
    if (refused) return refused;
  }
  if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
    return fail(415, "UNSUPPORTED_MEDIA_TYPE", "Send the notification as Content-Type: application/json.");
  }
  let notification;
  try {
    notification = JSON.parse(body);
  } catch {
    return fail(400, "BAD_REQUEST", "The body is not valid JSON.");
  }
  const found = eventsOf(notification, s.routes);
  if (found.error) return fail(400, "BAD_REQUEST", found.error);
  const identity = identities.get(request);
  for (const { uri } of found.events) {
    const refusedFor = forbidden(s, request, "assets", uri);
    if (refusedFor) return refusedFor;
  }
  if (found.events.length) {
    const refusedFor = await callerLimit(s, request);
    if (refusedFor) return refusedFor;
  }
  for (const { uri } of found.events) {
    const refusedFor = await limited(s, s.env.TARGET_LIMITER, `asset:${uri}`);
    if (refusedFor) return refusedFor;
  }
  const recorded = [];
  for (const { uri, extra } of found.events) {
    const via = identity ? { triggered_by: identity.email, via: "airflow-trigger gateway webhook" } : { via: "airflow-trigger gateway webhook" };
    try {
      recorded.push(publicEvent(await s.client.createAssetEvent({ uri, extra: { ...extra, ...via } })));
    } catch (e) {
      const answer = upstream(e, "event", uri);
      const { error } = await answer.json();
      return json(answer.status, { error, failed: uri, recorded });
    }
  }
  return json(202, { events: recorded, skipped: found.skipped });
}

async function handle(request, s, url) {
  const path = url.pathname;
  if (path === "/assets/events") return assetEvent(request, s, path);
  if (path === "/webhooks/object-created") return objectCreated(request, s, path);
  if (path === "/dags") {
    if (request.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "/dags takes GET.");
    const refused = await authenticate(request, s, path, "");
    if (refused) return refused;
    const identity = identities.get(request);
    const dags = [...s.dags].filter((d) => !identity || allows(s.access, identity, "dags", d)).sort();
    return json(200, { dags: dags.map((dagId) => ({ dagId })), totalEntries: dags.length });
  }
  const m = path.match(/^\/dags\/([^/]+)\/(trigger|params|runs|runs\/([^/]+))$/);
  if (!m) return fail(404, "NOT_FOUND", "Unknown path. Use GET /dags, POST /dags/{dagId}/trigger, GET /dags/{dagId}/runs[/{runId}], GET /dags/{dagId}/params, POST /assets/events or POST /webhooks/object-created.");
  const action = m[2].startsWith("runs/") ? "run" : m[2];
  const method = action === "trigger" ? "POST" : "GET";
  if (request.method !== method) {
    return fail(405, "METHOD_NOT_ALLOWED", `${path} takes ${method}.`, {});
  }
  let body = "";
  if (method === "POST") {
    body = await readBody(request);
    if (body === null) return fail(413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY} bytes.`);
  }
  const refused = await authenticate(request, s, path, body);
  if (refused) return refused;

  let dagId;
  try {
    dagId = decodeURIComponent(m[1]);
  } catch {
    dagId = "";
  }
  // Not allowlisted: the same answer whether or not the DAG exists.
  if (!s.dags.has(dagId)) return fail(403, "FORBIDDEN", "This DAG is not available through the gateway.");
  const refusedFor = forbidden(s, request, "dags", dagId) ?? (await callerLimit(s, request));
  if (refusedFor) return refusedFor;

  try {
    if (action === "params") {
      const { params, formats } = await validatorFor(s, dagId);
      return json(200, { params, schema: paramsToSchema(params), formats });
    }
    if (action === "run") {
      let runId;
      try {
        runId = decodeURIComponent(m[3]);
      } catch {
        return fail(400, "BAD_REQUEST", "The run id in the path is not valid percent-encoding.");
      }
      return json(200, { run: publicRun(await s.client.getRun(dagId, runId)) });
    }
    if (action === "runs") {
      const limit = Math.min(Math.max(Number(url.searchParams.get("limit")) || 10, 1), 100);
      const { runs, totalEntries } = await s.client.listRuns(dagId, { limit });
      return json(200, { runs: runs.map(publicRun), totalEntries });
    }
    if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
      return fail(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as Content-Type: application/json.");
    }
    let input;
    try {
      input = body === "" ? {} : JSON.parse(body);
    } catch {
      return fail(400, "BAD_REQUEST", "The body is not valid JSON.");
    }
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      return fail(400, "BAD_REQUEST", "The body must be a JSON object { conf?, note? }.");
    }
    const extra = Object.keys(input).filter((k) => k !== "conf" && k !== "note");
    if (extra.length) return fail(400, "BAD_REQUEST", `Unknown field ${JSON.stringify(extra[0])}; the body takes conf and note.`);
    const conf = input.conf ?? {};
    if (conf === null || typeof conf !== "object" || Array.isArray(conf)) return fail(400, "BAD_REQUEST", "conf must be a JSON object.");
    if (input.note !== undefined && typeof input.note !== "string") return fail(400, "BAD_REQUEST", "note must be a string.");
    if (identities.has(request) && /[\r\n]/.test(input.note ?? "")) return fail(400, "BAD_REQUEST", "note must be one line.");
    const note = noteFor(request, input.note);
    if ((note ?? "").length > MAX_NOTE) return fail(400, "BAD_REQUEST", `note is longer than Airflow's ${MAX_NOTE} characters (the gateway's attribution included).`);

    const { validator } = await validatorFor(s, dagId);
    const verdict = validator?.validate(conf) ?? { valid: true };
    if (!verdict.valid) {
      return fail(422, "INVALID_CONF", "conf does not match the DAG's Params; nothing was sent to Airflow.", { errors: brief(verdict.errors) });
    }
    const signature = signatures.get(request);
    const given = request.headers.get("Idempotency-Key");
    if (given?.startsWith(SIGNED_RUN_PREFIX)) return fail(400, "BAD_REQUEST", `Idempotency-Key: must not start with ${SIGNED_RUN_PREFIX} (the gateway's own run ids for signed requests).`);
    const key = given ?? (signature ? `${SIGNED_RUN_PREFIX}${signature.slice(0, 40)}` : null);
    const overTarget = await limited(s, s.env.TARGET_LIMITER, `dag:${dagId}`);
    if (overTarget) return overTarget;
    let run;
    try {
      run = await s.client.trigger(dagId, {
        conf,
        ...(note !== undefined ? { note } : {}),
        ...(key !== null ? { dagRunId: key } : {}),
        validate: false, // done above, against the cached Params
      });
    } catch (e) {
      if (!(key !== null && e instanceof AirflowError && e.code === "CONFLICT")) throw e;
      run = { ...(await s.client.getRun(dagId, key)), alreadyExisted: true };
    }
    if (run.alreadyExisted) {
      // A repeated Idempotency-Key answers with the run it created before, only when the request
      // repeats every field it sets (whether the run was read back here or, after a lost answer,
      // by the client).
      const differ = [];
      if (!sameJson(run.conf, verdict.conf) && !sameJson(run.conf, conf)) differ.push("conf");
      if ((run.note || null) !== (note || null)) differ.push("note");
      if (differ.length) {
        return fail(409, "CONFLICT", `This Idempotency-Key was used for a run with another ${differ.join(" and ")}; use a new key.`);
      }
    }
    return json(run.alreadyExisted ? 200 : 201, { run: publicRun(run) });
  } catch (e) {
    return upstream(e, action, dagId);
  }
}

export default {
  async fetch(request, env) {
    const s = setup(env);
    const origin = request.headers.get("Origin");
    const cors = origin && s.origins.has(origin)
      ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" }
      : null;
    if (origin && !cors) return fail(403, "FORBIDDEN", "This origin is not allowed; add it to ALLOWED_ORIGINS.");
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
          "Access-Control-Allow-Headers": ALLOWED_HEADERS,
          "Access-Control-Max-Age": "600",
        },
      });
    }
    if (s.problems.length) {
      return fail(500, "MISCONFIGURED", `The gateway is not configured: set ${s.problems.join(", ")}.`);
    }
    const url = new URL(request.url);
    const response = await handle(request, s, url);
    if (cors) for (const [k, v] of Object.entries(cors)) response.headers.set(k, v);
    if (response.status === 405) response.headers.set("Allow", /\/(trigger|events|object-created)$/.test(url.pathname) ? "POST, OPTIONS" : "GET, OPTIONS");
    return response;
  },
};
