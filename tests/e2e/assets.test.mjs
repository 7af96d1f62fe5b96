// AirflowClient's data-aware calls against real Airflow 2.11.2 and 3.3.2: an asset (dataset)
// event makes the DAG scheduled on it run to success; URIs match exactly; materialize (3.x);
// unpause on trigger; an aborted waitForRun rejects at once and sends nothing more (counted by a
// proxy in front of Airflow).
import assert from "node:assert/strict";
import http from "node:http";
import { before, describe, test } from "node:test";

import { AirflowClient, AirflowError } from "../../pkg/node.js";
import { requireServers, servers, token } from "./helpers.mjs";

before(requireServers);

const LANDED = "trigger-test://landed/orders";
const MADE = "trigger-test://made/report";

/** A proxy that forwards to `target` and counts the requests it saw. */
async function countingProxy(target) {
  const seen = { count: 0 };
  const server = http.createServer((req, res) => {
    seen.count++;
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      try {
        const upstream = await fetch(new URL(req.url, target), {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))),
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(body);
      } catch {
        res.writeHead(502).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

async function pause(server, dagId) {
  const headers = { "Content-Type": "application/json" };
  let url = `${server.url}/api/${server.api}/dags/${dagId}`;
  if (server.api === "v1") {
    headers.Authorization = `Basic ${Buffer.from(`${server.user}:${server.password}`).toString("base64")}`;
    url += "?update_mask=is_paused";
  } else {
    headers.Authorization = `Bearer ${await token(server)}`;
  }
  const res = await fetch(url, { method: "PATCH", headers, body: '{"is_paused": true}' });
  assert.ok(res.ok, `pausing ${dagId}: ${res.status}`);
}

for (const server of servers) {
  describe(`assets on ${server.name}`, () => {
    const client = (baseUrl = server.url) =>
      new AirflowClient({ baseUrl, auth: { type: "password", username: server.user, password: server.password } });

    test("createAssetEvent makes the DAG scheduled on the asset run to success", async () => {
      const c = client();
      const asset = await c.getAsset(LANDED);
      assert.equal(asset.uri, LANDED);
      assert.ok(asset.scheduledDags.includes("asset_consumer"), JSON.stringify(asset));
      const before = new Set((await c.listRuns("asset_consumer", { limit: 100 })).runs.map((r) => r.dagRunId));
      const mark = `js_${Date.now()}`;
      const event = await c.createAssetEvent({ uri: LANDED, extra: { mark } });
      assert.equal(event.uri, LANDED);
      assert.equal(event.extra.mark, mark);
      assert.equal(event.assetId, asset.id);
      const deadline = Date.now() + 180_000;
      let run;
      while (!run) {
        run = (await c.listRuns("asset_consumer", { limit: 100 })).runs.find((r) => !before.has(r.dagRunId));
        if (!run) {
          assert.ok(Date.now() < deadline, "no run of asset_consumer after the event");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const done = await c.waitForRun("asset_consumer", run.dagRunId, { intervalMs: 1000, timeoutMs: 240_000 });
      assert.equal(done.state, "success");
    });

    test("URIs match exactly: a prefix or a pattern of a known URI is NOT_FOUND, naming it", async () => {
      const c = client();
      for (const uri of ["trigger-test://landed/order", "trigger-test://landed/%", "trigger-test://landed/orders2"]) {
        const err = await c.createAssetEvent({ uri }).catch((e) => e);
        assert.ok(err instanceof AirflowError, String(err));
        assert.equal(err.code, "NOT_FOUND", err.message);
        assert.ok(err.message.includes(JSON.stringify(uri)), err.message);
      }
      const listed = await c.listAssets({ search: "trigger-test://" });
      assert.ok(listed.assets.some((a) => a.uri === LANDED), JSON.stringify(listed));
      for (const [options, field] of [[{ uri: LANDED, extra: [1] }, "extra"], [{}, "uri"], [{ uri: LANDED, assetId: 1 }, "uri"], [{ uri: LANDED, bogus: 1 }, "bogus"]]) {
        const err = await c.createAssetEvent(options).catch((e) => e);
        assert.equal(err.code, "INVALID_ARGUMENT", JSON.stringify(options));
        assert.equal(err.field, field, err.message);
      }
    });

    test("materializeAsset runs the producer on Airflow 3; Airflow 2 cannot", async () => {
      const c = client();
      if (server.major === 2) {
        const err = await c.materializeAsset(MADE).catch((e) => e);
        assert.equal(err.code, "INVALID_ARGUMENT", err.message);
        return;
      }
      const run = await c.materializeAsset(MADE);
      assert.equal(run.dagId, "asset_producer");
      const done = await c.waitForRun("asset_producer", run.dagRunId, { intervalMs: 1000, timeoutMs: 240_000 });
      assert.equal(done.state, "success");
    });

    test("trigger with unpause runs a paused DAG", async () => {
      const c = client();
      await pause(server, "unpause_target");
      const run = await c.trigger("unpause_target", { unpause: true });
      assert.equal(run.unpaused, true);
      assert.equal(run.dagPaused, false);
      assert.equal((await c.getDag("unpause_target")).isPaused, false);
      const done = await c.waitForRun("unpause_target", run.dagRunId, { intervalMs: 1000, timeoutMs: 240_000 });
      assert.equal(done.state, "success");
    });

    test("an aborted waitForRun rejects at once with CANCELLED and sends nothing more", async () => {
      const proxy = await countingProxy(server.url);
      try {
        const c = client(proxy.url);
        const run = await c.trigger("paused_target", { conf: { n: 1 } });
        const controller = new AbortController();
        const at = proxy.seen.count;
        const waiting = c.waitForRun("paused_target", run.dagRunId, { intervalMs: 300, timeoutMs: 600_000, signal: controller.signal });
        while (proxy.seen.count < at + 2) await new Promise((r) => setTimeout(r, 20));
        const abortedAt = Date.now();
        controller.abort();
        const err = await waiting.catch((e) => e);
        assert.ok(Date.now() - abortedAt < 1000, "rejects at once");
        assert.ok(err instanceof AirflowError, String(err));
        assert.equal(err.code, "CANCELLED");
        const after = proxy.seen.count;
        await new Promise((r) => setTimeout(r, 2000));
        assert.equal(proxy.seen.count, after, "no request after the abort");
        // An already aborted signal sends nothing at all.
        const err2 = await c.getRun("paused_target", run.dagRunId, { signal: controller.signal }).catch((e) => e);
        assert.equal(err2.code, "CANCELLED");
        assert.equal(proxy.seen.count, after);
        const bad = await c.getRun("paused_target", run.dagRunId, { signal: "soon" }).catch((e) => e);
        assert.equal(bad.field, "signal");
      } finally {
        await proxy.close();
      }
    });
  });
}
