// The JS entry of the built package, without a server: options cross as JSON, and values JSON
// would silently change are refused with their path.
import assert from "node:assert/strict";
import { test } from "node:test";

import { AirflowError, buildTriggerRequest, parseTriggerResponse, toCurl, triggerDagRun } from "../../pkg/node.js";

const base = { baseUrl: "http://127.0.0.1:8080", apiVersion: "v1", dagId: "etl", dagRunId: "r1" };

function refused(options, field, part) {
  assert.throws(
    () => buildTriggerRequest(options),
    (e) => {
      assert.ok(e instanceof AirflowError, String(e));
      assert.equal(e.code, "INVALID_ARGUMENT");
      assert.equal(e.field, field);
      assert.match(e.message, part);
      return true;
    },
  );
}

test("builds the request as plain data", () => {
  const req = buildTriggerRequest({ ...base, conf: { a: [1, { b: null }], n: 2.5, gone: undefined }, auth: { type: "basic", username: "admin", password: "pw" } });
  assert.deepEqual(req, {
    method: "POST",
    url: "http://127.0.0.1:8080/api/v1/dags/etl/dagRuns",
    headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Basic YWRtaW46cHc=" },
    body: '{"dag_run_id":"r1","conf":{"a":[1,{"b":null}],"n":2.5}}',
    sensitiveHeaders: ["Authorization"],
  });
  assert.equal(
    toCurl(req),
    "curl -X 'POST' 'http://127.0.0.1:8080/api/v1/dags/etl/dagRuns' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: Basic ***' \\\n  --data-raw '{\"dag_run_id\":\"r1\",\"conf\":{\"a\":[1,{\"b\":null}],\"n\":2.5}}'",
  );
  assert.match(toCurl(req, { revealSecrets: true }), /Basic YWRtaW46cHc=/);
  // A hand-written request: credential-like header names are masked too.
  assert.match(toCurl({ method: "GET", url: "http://h", headers: { "X-Api-Key": "k" } }), /X-Api-Key: \*\*\*/);
});

test("values JSON would change are refused with their path", () => {
  refused({ ...base, conf: { a: { b: [1, NaN] } } }, "conf.a.b[1]", /NaN is not a JSON number/);
  refused({ ...base, conf: { x: Infinity } }, "conf.x", /Infinity/);
  refused({ ...base, conf: { when: new Date() } }, "conf.when", /is a Date.*toISOString/);
  refused({ ...base, conf: { m: new Map() } }, "conf.m", /is a Map/);
  refused({ ...base, conf: { f() {} } }, "conf.f", /is a function/);
  refused({ ...base, conf: { list: [1, undefined] } }, "conf.list[1]", /undefined/);
  refused({ ...base, conf: { big: 1n } }, "conf.big", /bigint/);
  const cyclic = { a: {} };
  cyclic.a.self = cyclic;
  refused({ ...base, conf: cyclic }, "conf.a.self", /cycle/);
  refused({ ...base, conf: [1] }, "conf", /must be a JSON object/);
  refused({ ...base, conf: null }, "conf", /must be a JSON object/);
  refused({ ...base, conf: "x" }, "conf", /must be a JSON object/);
  refused(undefined, "options", /must be an object/);
  refused({ ...base, dagID: "x" }, "dagID", /did you mean "dagId"/);
});

test("deep conf is an error, not a crash", () => {
  let conf = {};
  for (let i = 0; i < 10_000; i++) conf = { c: conf };
  refused({ ...base, conf }, "conf.c", /^conf\.c: is nested more than 128 levels deep$/);
  // Just past the limit: the same message, not the parser's "is not valid JSON (…)".
  conf = {};
  for (let i = 0; i < 130; i++) conf = { c: conf };
  refused({ ...base, conf }, "conf.c", /^conf\.c: is nested more than 128 levels deep$/);
});

test("toCurl checks its options", () => {
  assert.throws(() => toCurl({ method: "GET", url: "u" }, { revealSecrets: "yes" }), (e) => e.code === "INVALID_ARGUMENT" && e.field === "revealSecrets");
});

test("parseTriggerResponse reads a run and turns errors into AirflowError", () => {
  const run = parseTriggerResponse("v2", 200, "application/json", '{"dag_id":"d","dag_run_id":"r","state":"queued","logical_date":null}');
  assert.equal(run.dagRunId, "r");
  assert.equal(run.logicalDate, null);
  assert.deepEqual(run.conf, {});
  assert.throws(() => parseTriggerResponse("v1", 500, "text/html", "<h1>Ooops!</h1>"), (e) => e instanceof AirflowError && e.code === "SERVER" && e.status === 500 && e.detail === "Ooops!");
});

test("AirflowError works with instanceof, also when constructed in JS", () => {
  const e = new AirflowError("TIMEOUT", "slow", { status: undefined });
  assert.ok(e instanceof AirflowError && e instanceof Error);
  assert.equal(e.name, "AirflowError");
  assert.ok(!(new Error("x") instanceof AirflowError));
});

test("validator limits are errors, not hangs or traps", async () => {
  const { ConfValidator } = await import("../../pkg/node.js");
  // uniqueItems costs about one step per value it hashes (it was quadratic): 5,000 items fit
  // 100,000 steps, and not 1,000.
  const items = Array.from({ length: 5000 }, (_, i) => i);
  assert.equal(new ConfValidator({ uniqueItems: true }, { maxSteps: 100_000 }).validate(items).valid, true);
  const unique = new ConfValidator({ uniqueItems: true }, { maxSteps: 1000 });
  const r = unique.validate(items);
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].keyword, "maxSteps");
  const small = new ConfValidator({}, { maxInputBytes: 10 });
  assert.throws(() => small.validate({ text: "more than ten bytes" }), (e) => e instanceof AirflowError && e.field === "instance" && /maxInputBytes/.test(e.message));
  unique.free();
  small.free();
});

test("an unreachable server is a NETWORK error that mentions CORS", async () => {
  // Port 9 (discard) on loopback: nothing listens there.
  const err = await triggerDagRun({ baseUrl: "http://127.0.0.1:9", apiVersion: "v2", dagId: "a" }).catch((e) => e);
  assert.ok(err instanceof AirflowError, String(err));
  assert.equal(err.code, "NETWORK");
  assert.match(err.message, /http:\/\/127\.0\.0\.1:9.*CORS refusal looks exactly like this/);
});
