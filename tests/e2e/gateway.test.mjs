// The gateway worker (gateway/worker.js) in workerd through miniflare, against real Airflow
// 2.11.2 and 3.3.2: what it lets through reaches Airflow, and what it refuses does not — counted
// through Airflow's own API.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { GATEWAY, bundleWorker } from "../../scripts/worker-bundle.mjs";
import { countRuns, deleteRuns, getRun, requireServers, servers } from "./helpers.mjs";
import { startWorker } from "./workerd.mjs";

const TOKEN = "gateway-token-for-tests";
const HMAC = "gateway-hmac-secret-for-tests";
const PORTAL = "https://portal.example";
const DAG = "paused_target";

let dir;
before(() => {
  requireServers();
  dir = mkdtempSync(join(tmpdir(), "airflow-trigger-gateway-"));
  bundleWorker({ ...GATEWAY, outDir: dir });
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

function gateway(server, auth) {
  return startWorker(dir, {
    AIRFLOW_URL: server.url,
    AIRFLOW_USERNAME: server.user,
    AIRFLOW_PASSWORD: server.password,
    ALLOWED_DAGS: `${DAG},trigger_params`,
    ALLOWED_ORIGINS: PORTAL,
    ...(auth === "token" ? { GATEWAY_TOKEN: TOKEN } : { GATEWAY_HMAC_SECRET: HMAC }),
  });
}

function signed(method, path, body, { secret = HMAC, ts = Math.floor(Date.now() / 1000) } = {}) {
  const sig = createHmac("sha256", secret).update(`${ts}.${method}.${path}.${body}`).digest("hex");
  return { "X-Gateway-Timestamp": String(ts), "X-Gateway-Signature": `sha256=${sig}` };
}

const post = (body, headers = {}) => ({ method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

for (const server of servers) {
  describe(`gateway in workerd, ${server.name}`, () => {
    let mf;
    let hmac;
    const created = [];
    before(async () => {
      mf = await gateway(server, "token");
      hmac = await gateway(server, "hmac");
    });
    after(async () => {
      await mf?.dispose();
      await hmac?.dispose();
      await deleteRuns(server, DAG, created);
    });
    const bearer = { Authorization: `Bearer ${TOKEN}` };
    const call = (path, init) => mf.dispatchFetch(`http://gateway${path}`, init);

    test("an allowed trigger reaches Airflow; the Idempotency-Key is the run id and makes a repeat harmless", async () => {
      const key = `gw_${server.major}_${Date.now()}`;
      const before = await countRuns(server, DAG);
      const body = JSON.stringify({ conf: { n: 7 }, note: "from the portal" });
      const res = await call(`/dags/${DAG}/trigger`, post(body, { ...bearer, "Idempotency-Key": key, Origin: PORTAL }));
      const out = await res.json();
      assert.equal(res.status, 201, JSON.stringify(out));
      created.push(key);
      assert.equal(res.headers.get("Access-Control-Allow-Origin"), PORTAL);
      assert.equal(out.run.dagRunId, key);
      assert.deepEqual(out.run.conf, { n: 7 });
      assert.equal(out.run.raw, undefined, "the server's raw object is not passed on");
      assert.deepEqual((await getRun(server, DAG, key)).conf, { n: 7 });

      const again = await call(`/dags/${DAG}/trigger`, post(body, { ...bearer, "Idempotency-Key": key }));
      assert.equal(again.status, 200);
      assert.equal((await again.json()).run.alreadyExisted, true);
      assert.equal(await countRuns(server, DAG), before + 1, "one run for two calls with one key");
      const reused = await call(`/dags/${DAG}/trigger`, post(JSON.stringify({ conf: { n: 8 } }), { ...bearer, "Idempotency-Key": key }));
      assert.equal(reused.status, 409);
      assert.equal((await reused.json()).error.code, "CONFLICT");

      const progress = await call(`/dags/${DAG}/runs/${key}`, { headers: bearer });
      assert.equal(progress.status, 200);
      assert.equal((await progress.json()).run.state, "queued");
      const params = await (await call(`/dags/${DAG}/params`, { headers: bearer })).json();
      assert.deepEqual(params.schema.properties.n.type, "integer");
      assert.equal(params.formats, server.major === 2 ? "airflow2" : "airflow3", "the gateway validates as its Airflow does");
      const recent = await (await call(`/dags/${DAG}/runs?limit=5`, { headers: bearer })).json();
      assert.ok(recent.runs.some((r) => r.dagRunId === key && r.raw === undefined), JSON.stringify(recent));
      assert.deepEqual(await (await call("/dags", { headers: bearer })).json(), { dags: [{ dagId: DAG }, { dagId: "trigger_params" }], totalEntries: 2 });
      assert.equal((await call("/dags")).status, 401, "the list needs the token too");
    });

    test("refusals answer as specified and reach nothing in Airflow", async () => {
      const before = await countRuns(server, DAG);
      const good = JSON.stringify({ conf: { n: 1 } });
      const cases = [
        ["no token", call(`/dags/${DAG}/trigger`, post(good)), 401, "UNAUTHORIZED"],
        ["wrong token", call(`/dags/${DAG}/trigger`, post(good, { Authorization: "Bearer nope" })), 401, "UNAUTHORIZED"],
        ["DAG not allowlisted (exists)", call("/dags/no_params/trigger", post(good, bearer)), 403, "FORBIDDEN"],
        ["DAG not allowlisted (does not exist)", call("/dags/nope/trigger", post(good, bearer)), 403, "FORBIDDEN"],
        ["bad conf", call(`/dags/${DAG}/trigger`, post(JSON.stringify({ conf: { n: "x" } }), bearer)), 422, "INVALID_CONF"],
        ["oversized body", call(`/dags/${DAG}/trigger`, post(JSON.stringify({ conf: { n: 1, pad: "x".repeat(70_000) } }), bearer)), 413, "PAYLOAD_TOO_LARGE"],
        ["wrong method", call(`/dags/${DAG}/trigger`, { method: "GET", headers: bearer }), 405, "METHOD_NOT_ALLOWED"],
        ["disallowed origin", call(`/dags/${DAG}/trigger`, post(good, { ...bearer, Origin: "https://evil.example" })), 403, "FORBIDDEN"],
        ["not JSON", call(`/dags/${DAG}/trigger`, post("{", bearer)), 400, "BAD_REQUEST"],
        ["unknown field", call(`/dags/${DAG}/trigger`, post(JSON.stringify({ conf: {}, dagRunId: "x" }), bearer)), 400, "BAD_REQUEST"],
        ["bad Idempotency-Key", call(`/dags/${DAG}/trigger`, post(good, { ...bearer, "Idempotency-Key": "a/b" })), 400, "BAD_REQUEST"],
      ];
      const bodies = {};
      for (const [name, pending, status, code] of cases) {
        const res = await pending;
        const body = await res.json();
        assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
        assert.equal(body.error?.code, code, name);
        assert.ok(!JSON.stringify(body).includes(server.url) && !JSON.stringify(body).includes(server.password), `${name} leaks nothing`);
        bodies[name] = body;
      }
      assert.deepEqual(bodies["DAG not allowlisted (exists)"], bodies["DAG not allowlisted (does not exist)"], "existence is not revealed");
      assert.ok(bodies["bad conf"].error.errors.some((e) => e.instancePath === "/n"));
      assert.equal(await countRuns(server, DAG), before, "nothing reached Airflow");
    });

    test("preflight: an allowed origin gets the CORS headers, another is refused", async () => {
      const ok = await call(`/dags/${DAG}/trigger`, { method: "OPTIONS", headers: { Origin: PORTAL, "Access-Control-Request-Method": "POST" } });
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get("Access-Control-Allow-Origin"), PORTAL);
      assert.match(ok.headers.get("Access-Control-Allow-Headers"), /idempotency-key/);
      const no = await call(`/dags/${DAG}/trigger`, { method: "OPTIONS", headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } });
      assert.equal(no.status, 403);
      assert.equal(no.headers.get("Access-Control-Allow-Origin"), null);
    });

    test("HMAC signatures: a signed trigger works; bad, stale and replayed signatures are refused", async () => {
      const before = await countRuns(server, DAG);
      const path = `/dags/${DAG}/trigger`;
      const body = JSON.stringify({ conf: { n: 3 } });
      const headers = signed("POST", path, body);
      const res = await hmac.dispatchFetch(`http://gateway${path}`, post(body, headers));
      const out = await res.json();
      assert.equal(res.status, 201, JSON.stringify(out));
      created.push(out.run.dagRunId);
      const refusals = [
        ["replayed", post(body, headers)],
        ["bad signature", post(body, signed("POST", path, body, { secret: "wrong" }))],
        ["body changed", post(JSON.stringify({ conf: { n: 4 } }), signed("POST", path, body))],
        ["stale", post(body, signed("POST", path, body, { ts: Math.floor(Date.now() / 1000) - 3600 }))],
        ["unsigned", post(body)],
      ];
      for (const [name, init] of refusals) {
        const r = await hmac.dispatchFetch(`http://gateway${path}`, init);
        assert.equal(r.status, 401, name);
        assert.equal((await r.json()).error.code, "UNAUTHORIZED", name);
      }
      assert.equal(await countRuns(server, DAG), before + 1, "only the signed trigger reached Airflow");
    });
  });
}
