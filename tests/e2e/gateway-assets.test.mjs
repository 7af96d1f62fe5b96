// The gateway's POST /assets/events in workerd (miniflare) against real Airflow 2.11.2 and
// 3.3.2: an allowlisted asset's event makes the DAG scheduled on it run to success; anything the
// gateway refuses creates no event (counted through Airflow's own API). And a signed trigger
// replayed to another isolate resolves to the run the first created.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { AirflowClient } from "../../pkg/node.js";
import { GATEWAY, bundleWorker } from "../../scripts/worker-bundle.mjs";
import { countRuns, deleteRuns, goodAuth, requireServers, servers } from "./helpers.mjs";
import { startWorker } from "./workerd.mjs";

const TOKEN = "gateway-token-for-asset-tests";
const LANDED = "trigger-test://landed/orders";

let dir;
before(() => {
  requireServers();
  dir = mkdtempSync(join(tmpdir(), "airflow-trigger-gateway-assets-"));
  bundleWorker({ ...GATEWAY, outDir: dir });
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

const post = (body, headers = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}`, ...headers },
  body,
});

for (const server of servers) {
  describe(`gateway asset events in workerd, ${server.name}`, () => {
    let mf;
    const airflow = new AirflowClient({ baseUrl: server.url, auth: { type: "password", username: server.user, password: server.password } });
    // Airflow's own count of the asset's events, through its API.
    const eventCount = async () => {
      const asset = await airflow.getAsset(LANDED);
      const auth = await goodAuth(server);
      const headers = auth.type === "basic"
        ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` }
        : { Authorization: `Bearer ${auth.token}` };
      const url = server.api === "v1"
        ? `${server.url}/api/v1/datasets/events?dataset_id=${asset.id}&limit=1`
        : `${server.url}/api/v2/assets/events?asset_id=${asset.id}&limit=1`;
      const res = await fetch(url, { headers });
      assert.ok(res.ok, `counting events: ${res.status}`);
      return (await res.json()).total_entries;
    };
    before(async () => {
      mf = await startWorker(dir, {
        AIRFLOW_URL: server.url,
        AIRFLOW_USERNAME: server.user,
        AIRFLOW_PASSWORD: server.password,
        ALLOWED_DAGS: "trigger_params",
        ALLOWED_ASSETS: `${LANDED},trigger-test://never/registered`,
        GATEWAY_TOKEN: TOKEN,
        WEBHOOK_ASSETS: JSON.stringify({ "s3://lake/landed/": LANDED }),
        WEBHOOK_TOKEN: "webhook-only-token",
      });
    });
    after(async () => {
      await mf?.dispose();
    });
    const call = (path, init) => mf.dispatchFetch(`http://gateway${path}`, init);

    test("an allowlisted asset's event makes the DAG scheduled on it run to success", async () => {
      const before = new Set((await airflow.listRuns("asset_consumer", { limit: 100 })).runs.map((r) => r.dagRunId));
      const mark = `gw_${Date.now()}`;
      const res = await call("/assets/events", post(JSON.stringify({ uri: LANDED, extra: { mark } })));
      const out = await res.json();
      assert.equal(res.status, 201, JSON.stringify(out));
      assert.equal(out.event.uri, LANDED);
      assert.equal(out.event.extra.mark, mark);
      assert.equal(out.event.raw, undefined, "the server's raw object is not passed on");
      const deadline = Date.now() + 180_000;
      let run;
      while (!run) {
        run = (await airflow.listRuns("asset_consumer", { limit: 100 })).runs.find((r) => !before.has(r.dagRunId));
        if (!run) {
          assert.ok(Date.now() < deadline, "no run of asset_consumer after the gateway's event");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const done = await airflow.waitForRun("asset_consumer", run.dagRunId, { intervalMs: 1000, timeoutMs: 240_000 });
      assert.equal(done.state, "success");
    });

    test("an object store's notification (S3's format, as MinIO sends it) becomes the asset's event, and its DAG runs", async () => {
      const record = (eventName, key, size = 10) => ({ eventName, s3: { bucket: { name: "lake" }, object: { key, size, eTag: "abc" } } });
      const before = await eventCount();
      const runsBefore = new Set((await airflow.listRuns("asset_consumer", { limit: 100 })).runs.map((r) => r.dagRunId));
      // Two objects of one asset: one event listing both; a deletion and an object under no route are skipped.
      // Two objects of one asset (one of them twice): one event listing both; a deletion, a
      // tagging (not new data) and an object under no route are skipped.
      const notification = { Records: [record("s3:ObjectCreated:Put", "landed/orders+2024.csv"), record("s3:ObjectCreated:CompleteMultipartUpload", "landed/b.csv"), record("s3:ObjectCreated:Put", "landed/b.csv"), record("s3:ObjectRemoved:Delete", "landed/c.csv"), record("s3:ObjectCreated:PutTagging", "landed/e.csv"), record("s3:ObjectCreated:Put", "elsewhere/d.csv")] };
      const hook = (body, token = "webhook-only-token") => post(body, { Authorization: `Bearer ${token}` });
      // The webhook's own token, and only it: the gateway's token does not open this path, nor the webhook's any other.
      assert.equal((await call("/webhooks/object-created", post(JSON.stringify(notification)))).status, 401);
      assert.equal((await call("/assets/events", hook(JSON.stringify({ uri: LANDED })))).status, 401);
      const res = await call("/webhooks/object-created", hook(JSON.stringify(notification)));
      const out = await res.json();
      assert.equal(res.status, 202, JSON.stringify(out));
      assert.equal(out.skipped, 3);
      assert.equal(out.events.length, 1);
      assert.equal(out.events[0].uri, LANDED);
      assert.deepEqual(out.events[0].extra.objects.map((o) => o.url), ["s3://lake/landed/orders 2024.csv", "s3://lake/landed/b.csv"]);
      assert.equal(out.events[0].extra.object_count, 2);
      assert.equal(out.events[0].extra.via, "airflow-trigger gateway webhook");
      assert.equal(await eventCount(), before + 1, "one event in Airflow");
      const deadline = Date.now() + 180_000;
      let run;
      while (!run) {
        run = (await airflow.listRuns("asset_consumer", { limit: 100 })).runs.find((r) => !runsBefore.has(r.dagRunId));
        if (!run) {
          assert.ok(Date.now() < deadline, "no run of asset_consumer after the notification");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      assert.equal((await airflow.waitForRun("asset_consumer", run.dagRunId, { intervalMs: 1000, timeoutMs: 240_000 })).state, "success");
      // Nothing under a route, a wrong token, a body that is not a notification: no event.
      const none = await call("/webhooks/object-created", hook(JSON.stringify({ Records: [record("s3:ObjectCreated:Put", "other/x")] })));
      assert.deepEqual(await none.json(), { events: [], skipped: 1 });
      assert.equal((await call("/webhooks/object-created", hook(JSON.stringify(notification), "wrong"))).status, 401);
      assert.equal((await call("/webhooks/object-created", hook(JSON.stringify({ records: [] })))).status, 400);
      assert.equal(await eventCount(), before + 1);
    });

    test("refusals create no event: unknown caller, asset not allowlisted, bad bodies", async () => {
      const before = await eventCount();
      const cases = [
        [post(JSON.stringify({ uri: LANDED }), { Authorization: "Bearer wrong" }), 401, "UNAUTHORIZED"],
        [post(JSON.stringify({ uri: "trigger-test://landed/order" })), 403, "FORBIDDEN"],
        [post(JSON.stringify({ uri: LANDED, extra: [1] })), 400, "BAD_REQUEST"],
        [post(JSON.stringify({ uri: LANDED, conf: {} })), 400, "BAD_REQUEST"],
        [post("{"), 400, "BAD_REQUEST"],
        [post(JSON.stringify({ uri: LANDED, extra: { big: "x".repeat(70_000) } })), 413, "PAYLOAD_TOO_LARGE"],
        [{ method: "GET", headers: { Authorization: `Bearer ${TOKEN}` } }, 405, "METHOD_NOT_ALLOWED"],
        // Allowlisted but unknown to Airflow: Airflow's 404, in the gateway's words.
        [post(JSON.stringify({ uri: "trigger-test://never/registered" })), 404, "NOT_FOUND"],
      ];
      for (const [init, status, code] of cases) {
        const res = await call("/assets/events", init);
        const out = await res.json();
        assert.equal(res.status, status, JSON.stringify(out));
        assert.equal(out.error.code, code);
        assert.ok(!JSON.stringify(out).includes(server.url), "no Airflow address in an answer");
      }
      assert.equal(await eventCount(), before, "no event reached Airflow");
      // The gateway's own run ids for signed requests cannot be asked for.
      const reserved = await call("/dags/trigger_params/trigger", post(JSON.stringify({ conf: { target: "x" } }), { "Idempotency-Key": "gw_sig_0123" }));
      assert.equal(reserved.status, 400);
      // The count sees events: one allowed call adds one.
      const res = await call("/assets/events", post(JSON.stringify({ uri: LANDED })));
      assert.equal(res.status, 201);
      assert.equal(await eventCount(), before + 1);
    });
  });
}

const HMAC = "gateway-hmac-for-replay-tests";

for (const server of servers) {
  describe(`gateway replays across isolates, ${server.name}`, () => {
    test("a signed trigger without an Idempotency-Key, replayed to a second isolate, resolves to the same run", async () => {
      const bindings = {
        AIRFLOW_URL: server.url,
        AIRFLOW_USERNAME: server.user,
        AIRFLOW_PASSWORD: server.password,
        ALLOWED_DAGS: "paused_target",
        GATEWAY_HMAC_SECRET: HMAC,
      };
      const first = await startWorker(dir, bindings);
      const second = await startWorker(dir, bindings);
      const made = [];
      try {
        const path = "/dags/paused_target/trigger";
        const body = JSON.stringify({ conf: { n: 3 } });
        const ts = Math.floor(Date.now() / 1000);
        const sig = createHmac("sha256", HMAC).update(`${ts}.POST.${path}.${body}`).digest("hex");
        const init = () => ({ method: "POST", headers: { "Content-Type": "application/json", "X-Gateway-Timestamp": String(ts), "X-Gateway-Signature": `sha256=${sig}` }, body });
        const before = await countRuns(server, "paused_target");
        const a = await first.dispatchFetch(`http://gateway${path}`, init());
        const outA = await a.json();
        assert.equal(a.status, 201, JSON.stringify(outA));
        made.push(outA.run.dagRunId);
        // The same isolate refuses the replay; another isolate resolves it to the same run.
        assert.equal((await first.dispatchFetch(`http://gateway${path}`, init())).status, 401);
        const b = await second.dispatchFetch(`http://gateway${path}`, init());
        const outB = await b.json();
        assert.equal(b.status, 200, JSON.stringify(outB));
        assert.equal(outB.run.dagRunId, outA.run.dagRunId);
        assert.equal(outB.run.alreadyExisted, true);
        // The key names the run, so the signature covers it: a replay under a new key is refused.
        const rekeyed = init();
        rekeyed.headers["Idempotency-Key"] = `gw_rekeyed_${Date.now()}`;
        assert.equal((await second.dispatchFetch(`http://gateway${path}`, rekeyed)).status, 401);
        assert.equal(await countRuns(server, "paused_target"), before + 1, "one run for the request and its replays");
      } finally {
        await first.dispose();
        await second.dispose();
        await deleteRuns(server, "paused_target", made);
      }
    });
  });
}
