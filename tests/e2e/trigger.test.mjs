// The built package (pkg/node.js) triggers real Airflow 2.11.2 and 3.3.2, and the servers' real
// error answers become typed AirflowErrors.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { AirflowError, buildTriggerRequest, triggerDagRun } from "../../pkg/node.js";
import { countRuns, goodAuth, pollUntilFinished, requireServers, servers, token } from "./helpers.mjs";

before(requireServers);

for (const server of servers) {
  describe(server.name, () => {
    const base = () => ({ baseUrl: server.url, apiVersion: server.api });

    test("triggers a run with conf, which reaches success", async () => {
      const conf = { target: "e2e", count: 2, options: { nested: [1, "two"] } };
      const run = await triggerDagRun({ ...base(), dagId: "trigger_params", conf, note: "e2e", auth: await goodAuth(server) });
      assert.equal(run.dagId, "trigger_params");
      assert.match(run.dagRunId, /^trigger__\d{4}-\d\d-\d\dT[\d:.]+Z_[0-9a-z]{13}$/);
      assert.equal(run.state, "queued");
      assert.deepEqual(run.conf, conf);
      assert.equal(run.note, "e2e");
      assert.equal(run.runType, "manual");
      assert.equal(run.raw.dag_run_id, run.dagRunId);
      assert.equal(run.logicalDate === null, server.api === "v2");
      const { run: done, seen } = await pollUntilFinished(server, "trigger_params", run.dagRunId);
      assert.equal(done.state, "success", `states seen: ${seen}`);
      assert.deepEqual(done.conf, conf);
    });

    test("a DAG with no Params triggers with a given run id", async () => {
      const dagRunId = `e2e_${Date.now()}`;
      const run = await triggerDagRun({ ...base(), dagId: "no_params", dagRunId, auth: await goodAuth(server) });
      assert.equal(run.dagRunId, dagRunId);
      assert.deepEqual(run.conf, {});
    });

    test("unknown DAG: NOT_FOUND 404", async () => {
      const err = await triggerDagRun({ ...base(), dagId: "no_such_dag", auth: await goodAuth(server) }).catch((e) => e);
      assert.ok(err instanceof AirflowError, String(err));
      assert.ok(err instanceof Error);
      assert.equal(err.code, "NOT_FOUND");
      assert.equal(err.status, 404);
      assert.match(err.detail, /no_such_dag.*not found/i);
    });

    test("wrong credentials: the server's status, no secret in the error", async () => {
      const secret = "wrong-password-123";
      const auth =
        server.api === "v1"
          ? { type: "basic", username: server.user, password: secret }
          : { type: "bearer", token: secret };
      const err = await triggerDagRun({ ...base(), dagId: "trigger_params", conf: { target: "x" }, auth }).catch((e) => e);
      assert.ok(err instanceof AirflowError, String(err));
      assert.equal(err.code, "FORBIDDEN"); // 2.x: 403 for bad credentials; 3.x: 403 "Invalid JWT token"
      assert.equal(err.status, 403);
      if (server.api === "v1") assert.match(err.message, /Airflow 2 answers 403 for wrong or missing credentials/);
      else assert.equal(err.detail, "Invalid JWT token");
      assert.ok(!JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes(secret));
    });

    test("no credentials", async () => {
      const err = await triggerDagRun({ ...base(), dagId: "trigger_params", conf: { target: "x" } }).catch((e) => e);
      assert.equal(err.code, server.api === "v1" ? "FORBIDDEN" : "UNAUTHORIZED");
      assert.equal(err.status, server.api === "v1" ? 403 : 401);
    });

    test("duplicate dagRunId: CONFLICT 409", async () => {
      const auth = await goodAuth(server);
      const dagRunId = `dup_${Date.now()}`;
      await triggerDagRun({ ...base(), dagId: "no_params", dagRunId, auth });
      const err = await triggerDagRun({ ...base(), dagId: "no_params", dagRunId, auth }).catch((e) => e);
      assert.ok(err instanceof AirflowError, String(err));
      assert.equal(err.code, "CONFLICT");
      assert.equal(err.status, 409);
      assert.ok(err.detail.length > 0);
    });

    test("conf that breaks a Param, sent anyway (validate: false): Airflow's INVALID_CONF 400, no run", async () => {
      const auth = await goodAuth(server);
      const before = await countRuns(server, "trigger_params");
      for (const [conf, param] of [
        [{ target: "x", count: 0 }, "count"],
        [{ target: "x", mode: "slow" }, "mode"],
        [{ target: "x", day: "2024-02-30" }, "day"],
        [{ target: "x", options: "not an object" }, "options"],
        [{}, "target"],
      ]) {
        const err = await triggerDagRun({ ...base(), dagId: "trigger_params", conf, auth, validate: false }).catch((e) => e);
        assert.ok(err instanceof AirflowError, String(err));
        assert.equal(err.code, "INVALID_CONF", err.message);
        assert.equal(err.status, 400);
        assert.match(err.detail, new RegExp(`Invalid input for param ${param}`));
      }
      assert.equal(await countRuns(server, "trigger_params"), before);
    });

    test("conf that breaks a Param is caught before the trigger is sent, with ajv-shaped errors", async () => {
      const auth = await goodAuth(server);
      const before = await countRuns(server, "trigger_params");
      const methods = [];
      const realFetch = globalThis.fetch;
      globalThis.fetch = (input, init) => {
        methods.push(input.method ?? init?.method ?? "GET");
        return realFetch(input, init);
      };
      let err;
      try {
        err = await triggerDagRun({ ...base(), dagId: "trigger_params", conf: { count: 0, mode: "slow", day: "2024-02-30" }, auth }).catch((e) => e);
      } finally {
        globalThis.fetch = realFetch;
      }
      assert.ok(err instanceof AirflowError, String(err));
      assert.equal(err.code, "INVALID_CONF");
      assert.equal(err.status, undefined);
      assert.deepEqual(methods, ["GET"], "only the DAG's details were fetched");
      const byPath = Object.fromEntries(err.errors.map((e) => [e.instancePath, e.keyword]));
      assert.deepEqual(byPath, { "/count": "minimum", "/mode": "enum", "/day": "format", "/target": "required" });
      assert.match(err.message, /Nothing was sent/);
      assert.equal(await countRuns(server, "trigger_params"), before);
      // The same conf, fixed, goes through.
      const run = await triggerDagRun({ ...base(), dagId: "trigger_params", conf: { count: 1, mode: "safe", day: "2024-02-29", target: "t" }, auth });
      assert.equal(run.state, "queued");
    });

    test("bad input is refused before anything is sent", async () => {
      let fetched = 0;
      const realFetch = globalThis.fetch;
      globalThis.fetch = (...args) => {
        fetched++;
        return realFetch(...args);
      };
      try {
        for (const [options, field] of [
          [{ dagId: "a/b" }, "dagId"],
          [{ dagId: "trigger_params", dagRunId: "bad/id" }, "dagRunId"],
          [{ dagId: "trigger_params", conf: [1, 2] }, "conf"],
          [{ dagId: "trigger_params", logicalDate: "2024-01-01T00:00:00" }, "logicalDate"],
        ]) {
          const err = await triggerDagRun({ ...base(), ...options }).catch((e) => e);
          assert.equal(err.code, "INVALID_ARGUMENT");
          assert.equal(err.field, field);
        }
      } finally {
        globalThis.fetch = realFetch;
      }
      assert.equal(fetched, 0);
    });

    test("the built request works with a plain fetch", async () => {
      const req = buildTriggerRequest({ ...base(), dagId: "no_params", auth: await goodAuth(server) });
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).dag_run_id, JSON.parse(req.body).dag_run_id);
    });
  });
}

test("Airflow 3 refuses Basic auth before sending, and a token from /auth/token works", async () => {
  const v2 = servers.find((s) => s.api === "v2");
  assert.throws(
    () => buildTriggerRequest({ baseUrl: v2.url, apiVersion: "v2", dagId: "x", auth: { type: "basic", username: "a", password: "b" } }),
    (e) => e instanceof AirflowError && e.code === "INVALID_ARGUMENT" && /needs|token/.test(e.message),
  );
  assert.ok((await token(v2)).split(".").length === 3);
});
