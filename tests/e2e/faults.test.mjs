// 200 triggers through a proxy that loses a share of the answers end with exactly 200 runs in
// Airflow: none duplicated, none lost, each call resolved (success or alreadyExisted).
import assert from "node:assert/strict";
import { before, test } from "node:test";

import { AirflowClient } from "../../pkg/node.js";
import { startFaultProxy } from "./fault-proxy.mjs";
import { countRuns, deleteRuns, requireServers, servers } from "./helpers.mjs";

before(requireServers);

const TRIGGERS = Number(process.env.FAULT_TRIGGERS ?? 200);

for (const server of servers) {
  test(`${TRIGGERS} triggers through a faulty proxy to ${server.name}: exactly ${TRIGGERS} new runs`, { timeout: 1_200_000 }, async () => {
    const proxy = await startFaultProxy(server.url, { share: 0.3, holdMs: 8500, seed: server.major });
    const results = [];
    try {
      const client = new AirflowClient({
        baseUrl: proxy.url,
        apiVersion: server.api,
        auth: { type: "password", username: server.user, password: server.password },
        // Generous: behind SQLite, Airflow 3 can take seconds to answer while the scheduler writes.
        timeoutMs: 8000,
        retries: 8,
      });
      const before = await countRuns(server, "paused_target");
      const tag = `fault${server.major}_${Date.now()}`;
      // One at a time: SQLite behind both servers takes one writer at a time.
      for (let n = 0; n < TRIGGERS; n++) {
        results.push(await client.trigger("paused_target", { conf: { n }, note: tag }));
      }
      const existed = results.filter((r) => r.alreadyExisted).length;
      console.log(`${server.name}: faults ${JSON.stringify(proxy.faults)}; ${results.length} calls resolved, ${existed} as alreadyExisted`);
      assert.equal(results.length, TRIGGERS);
      assert.equal(new Set(results.map((r) => r.dagRunId)).size, TRIGGERS, "every call its own run");
      assert.ok(proxy.faults.drop + proxy.faults.bad_gateway + proxy.faults.hold > TRIGGERS * 0.15, "faults were injected");
      assert.ok(existed > 0, "some retries found their run already created");
      assert.equal(await countRuns(server, "paused_target"), before + TRIGGERS, "exactly one run per trigger");
      client.free();
    } finally {
      await proxy.close();
      await deleteRuns(server, "paused_target", results.map((r) => r.dagRunId));
    }
  });
}
