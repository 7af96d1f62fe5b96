// AirflowClient against real Airflow 2.11.2 and 3.3.2: password auth (Basic / token exchange),
// version detection, triggers, monitoring to a final state, DAG queries.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { AirflowClient, AirflowError } from "../../pkg/node.js";
import { countRuns, deleteRuns, requireServers, servers } from "./helpers.mjs";

before(requireServers);

for (const server of servers) {
  describe(`AirflowClient on ${server.name}`, () => {
    const client = () =>
      new AirflowClient({ baseUrl: server.url, auth: { type: "password", username: server.user, password: server.password } });

    test("detects the API version", async () => {
      const v = await client().version();
      assert.equal(v.apiVersion, server.api);
      assert.equal(v.version, server.api === "v1" ? "2.11.2" : "3.3.2");
    });

    test("triggers and follows a run to success, reporting every state change", async () => {
      const c = client();
      const run = await c.trigger("trigger_params", { conf: { target: "client", count: 3 } });
      assert.equal(run.alreadyExisted, false);
      assert.equal(run.dagPaused, false);
      const states = [];
      const done = await c.waitForRun("trigger_params", run.dagRunId, { intervalMs: 500, timeoutMs: 180_000, onProgress: (r) => states.push(r.state) });
      assert.equal(done.state, "success");
      assert.equal(states.at(-1), "success");
      assert.ok(states.length >= 2 && new Set(states).size === states.length, `each change once: ${states}`);
      assert.deepEqual(done.conf, { target: "client", count: 3 });
    });

    test("a run whose task fails ends failed", async () => {
      const c = client();
      const run = await c.trigger("always_fails");
      const done = await c.waitForRun("always_fails", run.dagRunId, { intervalMs: 500, timeoutMs: 180_000 });
      assert.equal(done.state, "failed");
    });

    test("a trigger on a paused DAG succeeds and says so", async () => {
      const c = client();
      assert.equal((await c.getDag("paused_target")).isPaused, true);
      const run = await c.trigger("paused_target", { conf: { n: 1 } });
      assert.equal(run.dagPaused, true);
      assert.equal(run.state, "queued");
    });

    test("a reused dagRunId without an earlier failure is a CONFLICT (the caller reused the id)", async () => {
      const c = client();
      const dagRunId = `client_dup_${Date.now()}`;
      await c.trigger("paused_target", { dagRunId, conf: { n: 2 } });
      const err = await c.trigger("paused_target", { dagRunId, conf: { n: 2 } }).catch((e) => e);
      // Without an ambiguous failure first, a 409 is a conflict: the caller reused the id.
      assert.equal(err.code, "CONFLICT");
    });

    test("getParams, getDag, listDags", async () => {
      const c = client();
      const params = await c.getParams("trigger_params");
      assert.equal(params.count.value, 5);
      assert.deepEqual(params.count.schema, { type: "integer", minimum: 1 });
      const dag = await c.getDag("trigger_params");
      assert.equal(dag.dagId, "trigger_params");
      assert.equal(dag.isPaused, false);
      const list = await c.listDags({ search: "trigger", limit: 10 });
      assert.ok(list.dags.some((d) => d.dagId === "trigger_params"));
      assert.ok(!list.dags.some((d) => d.dagId === "no_params"));
      assert.equal(typeof list.totalEntries, "number");
    });

    test("wrong password: a typed error without the password in it", async () => {
      const secret = "not-the-password-42";
      const c = new AirflowClient({ baseUrl: server.url, apiVersion: server.api, auth: { type: "password", username: server.user, password: secret } });
      const err = await c.getDag("trigger_params").catch((e) => e);
      assert.ok(err instanceof AirflowError, String(err));
      assert.equal(err.code, server.api === "v1" ? "FORBIDDEN" : "UNAUTHORIZED");
      assert.ok(!`${err.message} ${err.detail} ${err.stack}`.includes(secret));
    });

    test("an injected fetch sees every request, and unknown DAGs are NOT_FOUND", async () => {
      const seen = [];
      const c = new AirflowClient({
        baseUrl: server.url,
        apiVersion: server.api,
        auth: { type: "password", username: server.user, password: server.password },
        fetch: (url, init) => {
          seen.push(`${init.method} ${new URL(url).pathname}`);
          return fetch(url, init);
        },
      });
      const err = await c.trigger("no_such_dag").catch((e) => e);
      assert.equal(err.code, "NOT_FOUND");
      assert.ok(seen.some((s) => s.endsWith("/dags/no_such_dag/details")), seen.join(", "));
      assert.ok(!seen.some((s) => s.startsWith("POST") && s.includes("dagRuns")), "no trigger was sent");
    });

    test("trigger-table rows a client can reach: keys that are not Params, logical dates", async () => {
      const c = client();
      const extra = await c.trigger("trigger_params", { conf: { target: "t", not_a_param: [1, 2] } });
      assert.deepEqual(extra.conf.not_a_param, [1, 2]);
      // Before the DAG's start_date: success at once, no task run.
      const early = await c.trigger("no_params", { logicalDate: "2020-01-01T00:00:00Z" });
      assert.equal((await c.waitForRun("no_params", early.dagRunId, { intervalMs: 500, timeoutMs: 120_000 })).state, "success");
      // In the future: the run is created and never completes.
      const future = await c.trigger("no_params", { logicalDate: "2099-01-01T00:00:00Z" });
      await new Promise((r) => setTimeout(r, 3000));
      const state = (await c.getRun("no_params", future.dagRunId)).state;
      assert.ok(!["success", "failed"].includes(state), state);
      await deleteRuns(server, "no_params", [future.dagRunId]);
    });

    test("a conf breaking a Param creates no run", async () => {
      const c = client();
      const before = await countRuns(server, "trigger_params");
      const err = await c.trigger("trigger_params", { conf: { count: -1 } }).catch((e) => e);
      assert.equal(err.code, "INVALID_CONF");
      assert.equal(await countRuns(server, "trigger_params"), before);
    });
  });
}
