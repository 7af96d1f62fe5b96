// Shared by the Node end-to-end tests: where the real Airflow servers are, and how to talk to
// them directly (to check what the package did, independently of the package).
import { parseTriggerResponse } from "../../pkg/node.js";

export const servers = [
  { name: "Airflow 2.11.2", major: 2, api: "v1" },
  { name: "Airflow 3.3.2", major: 3, api: "v2" },
].map((s) => ({
  ...s,
  url: process.env[`AF${s.major}_URL`],
  user: process.env[`AF${s.major}_USER`],
  password: process.env[`AF${s.major}_PASSWORD`],
}));

export function requireServers() {
  for (const s of servers) {
    if (!s.url) throw new Error(`AF${s.major}_URL is not set: run the tests through scripts/with-airflow.sh (make test)`);
  }
}

/** A JWT from Airflow 3's POST /auth/token, as a test user would get one. */
export async function token(server, password = server.password) {
  const res = await fetch(`${server.url}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: server.user, password }),
  });
  if (res.status !== 201) throw new Error(`POST /auth/token answered ${res.status}: ${await res.text()}`);
  return (await res.json()).access_token;
}

/** The `auth` option that works for this server. */
export async function goodAuth(server) {
  return server.api === "v1"
    ? { type: "basic", username: server.user, password: server.password }
    : { type: "bearer", token: await token(server) };
}

async function authHeader(server) {
  const auth = await goodAuth(server);
  return auth.type === "basic"
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`
    : `Bearer ${auth.token}`;
}

/** GET a run straight from the API. */
export async function getRun(server, dagId, runId) {
  const res = await fetch(`${server.url}/api/${server.api}/dags/${dagId}/dagRuns/${encodeURIComponent(runId)}`, {
    headers: { Accept: "application/json", Authorization: await authHeader(server) },
  });
  return parseTriggerResponse(server.api, res.status, res.headers.get("content-type") ?? "", await res.text());
}

/** How many runs the DAG has, counted through the API. */
export async function countRuns(server, dagId) {
  const res = await fetch(`${server.url}/api/${server.api}/dags/${dagId}/dagRuns?limit=1`, {
    headers: { Accept: "application/json", Authorization: await authHeader(server) },
  });
  if (!res.ok) throw new Error(`listing runs answered ${res.status}`);
  return (await res.json()).total_entries;
}

/** Deletes runs, or ends those Airflow will not delete (tests clean up what they create: Airflow 3's scheduler examines queued runs
 * oldest first, and hundreds queued on a paused DAG starve the others). */
export async function deleteRuns(server, dagId, runIds) {
  const headers = { Accept: "application/json", Authorization: await authHeader(server) };
  for (const id of runIds) {
    const url = `${server.url}/api/${server.api}/dags/${dagId}/dagRuns/${encodeURIComponent(id)}`;
    const res = await fetch(url, { method: "DELETE", headers });
    if (res.status === 204 || res.status === 404) continue;
    // Airflow 3 will not delete a running run: end it instead.
    const patched = await fetch(url, { method: "PATCH", headers: { ...headers, "Content-Type": "application/json" }, body: '{"state":"failed"}' });
    if (!patched.ok) throw new Error(`deleting run ${id} answered ${res.status}, marking it failed ${patched.status}`);
  }
}

/** Polls until the run is finished; returns the states seen, in order. */
export async function pollUntilFinished(server, dagId, runId, timeoutMs = 180_000) {
  const seen = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(server, dagId, runId);
    if (seen.at(-1) !== run.state) seen.push(run.state);
    if (run.state === "success" || run.state === "failed") return { run, seen };
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.state} after ${timeoutMs} ms (seen ${seen})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
