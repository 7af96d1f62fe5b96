// A recording fake of Airflow on 127.0.0.1 for tests that must not need (or load) a real one:
// 2.11.2 (API v1, Basic) or 3.3.2 (API v2, a JWT from POST /auth/token), answering the calls the
// client makes the way the real servers do (tests/fixtures, ../shared/AIRFLOW.md). It records
// every request (method, path, headers, body), and a test can answer any request itself through
// `fake.answer` (a redirect, an error, a dropped connection).
import { createServer } from "node:http";
import { after, before } from "node:test";

const DAGS = {
  paused_target: {
    n: { schema: { type: "integer" }, value: 1, description: "a number" },
    // Optional (a default): a conf that leaves it out is unaffected; one that fills it with bad
    // items makes many errors, each naming the whole enum.
    tags: { schema: { type: "array", items: { enum: Array.from({ length: 500 }, (_, i) => `tag-${i}`) } }, value: [], description: "tags" },
  },
};

/**
 * Starts a fake. `fake.answer(request, next)`, when set, may return `{ status, headers, body }`
 * (body: a string or a JSON value), `{ destroy: true }` to drop the connection, `{ hold: ms }` to
 * answer late, or undefined for the fake's own answer; `next()` computes that answer (creating a
 * run, say) and returns it. `cors`: answers any origin's preflights and requests (browser tests).
 */
export async function fakeAirflow({ major, user = "fake-admin", password = "fake-password-5e3c", cors = false }) {
  const prefix = major === 2 ? "/api/v1" : "/api/v2";
  const token = `eyJhbGciOiJIUzUxMiJ9.fake-jwt-${Math.random().toString(36).slice(2)}.sig`;
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const runs = new Map(); // `${dagId}/${runId}` -> run
  const fake = { major, user, password, token, basic, requests: [], runs, answer: undefined };

  const problem = (status, title, detail) =>
    major === 2
      ? { status, headers: { "Content-Type": "application/problem+json" }, body: { detail, status, title, type: "about:blank" } }
      : { status, body: { detail } };
  const notFoundPage = { status: 404, headers: { "Content-Type": "text/html" }, body: "<!DOCTYPE html><title>404 Not Found</title><h1>Not Found</h1>" };

  function paramsOf(dagId) {
    const out = {};
    for (const [name, p] of Object.entries(DAGS[dagId])) {
      out[name] = major === 2
        ? { __class: "airflow.models.param.Param", description: p.description, schema: p.schema, value: p.value }
        : { value: p.value, schema: p.schema, description: p.description, source: null };
    }
    return out;
  }

  function ownAnswer({ method, path, headers, body }) {
    const url = new URL(path, "http://fake");
    const p = url.pathname;
    if (method === "GET" && p === "/api/v1/version") {
      return major === 2 ? { status: 200, body: { version: "2.11.2", git_version: null } } : { status: 404, body: { detail: "Not Found" } };
    }
    if (method === "GET" && p === "/api/v2/version") {
      return major === 3 ? { status: 200, body: { version: "3.3.2", git_version: null } } : notFoundPage;
    }
    if (p === "/auth/token" && major === 3) {
      if (method !== "POST") return { status: 405, body: { detail: "Method Not Allowed" } };
      let given;
      try {
        given = JSON.parse(body);
      } catch {
        return { status: 422, body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }] } };
      }
      if (given?.username !== user || given?.password !== password) return { status: 401, body: { detail: "Invalid credentials" } };
      return { status: 201, body: { access_token: token } };
    }
    if (!p.startsWith(`${prefix}/`)) return notFoundPage;
    const auth = headers.authorization;
    if (major === 2 && auth !== basic) return problem(403, "Forbidden", "You do not have permission to perform this action");
    if (major === 3 && !auth) return { status: 401, body: { detail: "Not authenticated" } };
    if (major === 3 && auth !== `Bearer ${token}`) return { status: 403, body: { detail: "Invalid JWT token" } };
    const parts = p.slice(prefix.length + 1).split("/").map(decodeURIComponent);
    if (parts[0] !== "dags" || parts.length < 2) return problem(404, "Not Found", "Not Found");
    const dagId = parts[1];
    if (!DAGS[dagId]) return problem(404, "DAG not found", `${major === 2 ? "DAG" : "Dag"} with dag_id: '${dagId}' not found`);
    if (method === "GET" && parts.length === 3 && parts[2] === "details") {
      return { status: 200, body: { dag_id: dagId, is_paused: true, description: null, tags: [], params: paramsOf(dagId) } };
    }
    if (parts[2] !== "dagRuns") return problem(404, "Not Found", "Not Found");
    if (method === "GET" && parts.length === 3) {
      const all = [...runs.values()].filter((r) => r.dag_id === dagId).reverse();
      const limit = Number(url.searchParams.get("limit")) || 100;
      return { status: 200, body: { dag_runs: all.slice(0, limit), total_entries: all.length } };
    }
    if (method === "GET" && parts.length === 4) {
      const run = runs.get(`${dagId}/${parts[3]}`);
      return run ? { status: 200, body: run } : problem(404, "DAGRun not found", `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${parts[3]}' not found`);
    }
    if (method === "POST" && parts.length === 3) {
      const given = JSON.parse(body);
      const id = given.dag_run_id ?? `manual__${new Date().toISOString()}`;
      if (runs.has(`${dagId}/${id}`)) {
        return major === 2
          ? problem(409, "Conflict", `DAGRun with DAG ID: '${dagId}' and DAGRun ID: '${id}' already exists`)
          : { status: 409, body: { detail: { reason: "Unique constraint violation", statement: "hidden", orig_error: "hidden", message: "Serious error when handling your request." } } };
      }
      const now = new Date().toISOString();
      const logical = major === 2 ? given.logical_date ?? now : given.logical_date;
      const run = {
        dag_id: dagId, dag_run_id: id, state: "queued", conf: given.conf ?? {}, note: given.note ?? null,
        logical_date: logical, start_date: null, end_date: null, run_type: "manual",
        ...(major === 2 ? { execution_date: logical, external_trigger: true } : { run_after: now, triggered_by: "rest_api" }),
      };
      runs.set(`${dagId}/${id}`, run);
      return { status: 200, body: run };
    }
    return { status: 405, body: { detail: "Method Not Allowed" } };
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const request = { method: req.method, path: req.url, headers: { ...req.headers }, body: Buffer.concat(chunks).toString() };
      fake.requests.push(request);
      const open = cors ? { "Access-Control-Allow-Origin": "*" } : {};
      if (cors && req.method === "OPTIONS") {
        return res.writeHead(204, { ...open, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "authorization, content-type, accept" }).end();
      }
      let computed;
      const next = () => (computed ??= ownAnswer(request));
      const out = fake.answer?.(request, next) ?? next();
      if (out.destroy) return req.socket.destroy();
      if (out.hold) await new Promise((resolve) => setTimeout(resolve, out.hold));
      const json = typeof out.body !== "string" && out.body !== undefined;
      res.writeHead(out.status, { ...(json ? { "Content-Type": "application/json" } : {}), ...open, ...out.headers });
      res.end(json ? JSON.stringify(out.body) : out.body ?? "");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.host = `127.0.0.1:${server.address().port}`;
  fake.url = `http://${fake.host}`;
  fake.reset = () => {
    fake.requests.length = 0;
    fake.answer = undefined;
    runs.clear();
  };
  fake.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return fake;
}

/** A redirect to the same path on `target` (another origin). */
export function redirectTo(target, status) {
  return (request) => ({ status, headers: { Location: `${target.url}${request.path}` }, body: "" });
}

/**
 * For a test file: an Airflow 2 and an Airflow 3 fake, each with a second fake on another origin
 * (`other`, where redirects point), started before the file's tests and closed after them.
 */
export function pairedFakes() {
  const fakes = {};
  before(async () => {
    for (const major of [2, 3]) fakes[major] = { airflow: await fakeAirflow({ major }), other: await fakeAirflow({ major }) };
  });
  after(async () => {
    for (const { airflow, other } of Object.values(fakes)) {
      await airflow?.close();
      await other?.close();
    }
  });
  return fakes;
}
