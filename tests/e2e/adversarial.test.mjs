// The JS API attacked as a hostile caller would, without a server: every error path of every
// export alternated with valid calls (no trap, right verdicts, bounded memory), every export
// given bad arguments or called after free(), re-entry from JS, budget stops that must not fail
// open, patterns that hang backtracking engines, and costs that must stay bounded.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { bundleWorker } from "../../scripts/worker-bundle.mjs";
import { alternate } from "./alternate.mjs";
import { startWorker } from "./workerd.mjs";

import * as api from "../../pkg/index.js";
import { ParamsValidator as FullParamsValidator } from "../../pkg/node.js";

const { AirflowClient, AirflowError, ConfValidator, ParamsValidator, buildTriggerRequest, paramsToSchema, parseTriggerResponse, toCurl, triggerDagRun, validateConf } = api;
const { memory } = api.initSync({ module: readFileSync(new URL("../../pkg/airflow_trigger_bg.wasm", import.meta.url)) });
const ROUNDS = Number(process.env.ADVERSARIAL_ROUNDS ?? 100_000);
// ECMA-262 patterns: this module's Airflow modes (ConfValidator's default) refuse patterns.
const ECMA = { formats: "all" };
const root = new URL("../../", import.meta.url).pathname;

function invalidArgument(fn, field) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AirflowError, `${field}: ${e?.stack ?? e}`);
    assert.equal(e.code, "INVALID_ARGUMENT", `${field}: ${e.message}`);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return e;
  }
  assert.fail(`no error; expected INVALID_ARGUMENT for ${field}`);
}

const nested = (depth) => {
  let v = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

test("every error path alternated with valid calls: no trap, right verdicts, bounded memory (Node)", () => {
  alternate(api, 1000);
  const before = memory.buffer.byteLength;
  alternate(api, ROUNDS);
  const after = memory.buffer.byteLength;
  console.log(`# Node: wasm memory after ${ROUNDS} more rounds: ${(after / 2 ** 20).toFixed(1)} MiB (after the first 1,000: ${(before / 2 ** 20).toFixed(1)} MiB)`);
  assert.ok(after <= before * 2 + 2 ** 21, `memory grew from ${before} to ${after}`);
});

test("the same alternation inside workerd", async () => {
  const dir = mkdtempSync(join(tmpdir(), "airflow-trigger-alternate-"));
  let mf;
  try {
    bundleWorker({ entry: "tests/e2e/alternate-worker.mjs", cwd: root, pkg: join(root, "pkg"), alias: "./pkg/workerd.js", outDir: dir });
    mf = await startWorker(dir, {});
    const res = await mf.dispatchFetch(`http://worker/?rounds=${ROUNDS}`);
    const body = await res.json();
    assert.equal(res.status, 200, body.error);
    assert.equal(body.rounds, ROUNDS);
    console.log(`# workerd: ${ROUNDS} rounds over ${body.paths} error paths, no trap`);
  } finally {
    await mf?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every export refuses bad arguments and use after free() with INVALID_ARGUMENT naming the argument", async () => {
  const cases = [
    [() => buildTriggerRequest(undefined), "options"],
    [() => buildTriggerRequest(null), "options"],
    [() => buildTriggerRequest("x"), "options"],
    [() => toCurl(undefined), "request"],
    [() => toCurl({ method: "GET", url: "http://h/" }, { revealSecrets: "yes" }), "revealSecrets"],
    [() => toCurl({ method: "TRACE", url: "http://h/" }), "request.method"],
    [() => parseTriggerResponse(undefined, 200, "", "{}"), "apiVersion"],
    [() => parseTriggerResponse("v2", "200", "", "{}"), "status"],
    [() => parseTriggerResponse("v2", 200, 7, "{}"), "contentType"],
    [() => parseTriggerResponse("v2", 200, "", {}), "body"],
    [() => new ConfValidator(undefined), "schema"],
    [() => new ConfValidator({}, null), "options"],
    [() => new ConfValidator({}).validate(undefined), "instance"],
    [() => validateConf(undefined, 1), "schema"],
    [() => validateConf({}, undefined), "instance"],
    [() => new ParamsValidator(undefined), "params"],
    [() => new ParamsValidator([]), "params"],
    [() => new ParamsValidator({}).validate(undefined), "conf"],
    [() => paramsToSchema(undefined), "params"],
    // A lone surrogate is refused, not replaced: "\ud800" and "\ud801" once compared equal.
    [() => validateConf({ const: "\ud800" }, "x"), "schema"],
    [() => validateConf({}, ["\ud801"]), "instance"],
    [() => paramsToSchema(null), "params"],
    [() => new AirflowClient(undefined), "options"],
    [() => new AirflowClient(null), "options"],
  ];
  for (const [fn, field] of cases) invalidArgument(fn, field);

  const conf = new ConfValidator({});
  conf.free();
  invalidArgument(() => conf.validate(1), "ConfValidator");
  const pv = new ParamsValidator({});
  pv.free();
  invalidArgument(() => pv.validate({}), "ParamsValidator");

  const client = new AirflowClient({ baseUrl: "http://127.0.0.1:9", apiVersion: "v2", auth: { type: "none" }, fetch: () => assert.fail("nothing is sent") });
  // The client's methods are async: a bad argument is a rejection, never a synchronous throw.
  const rejected = async (promise, field) => {
    assert.ok(promise instanceof Promise, field);
    await assert.rejects(promise, (e) => e instanceof AirflowError && e.code === "INVALID_ARGUMENT" && e.field === field);
  };
  for (const [fn, field] of [
    [() => client.trigger(undefined), "dagId"],
    [() => client.trigger(7), "dagId"],
    [() => client.trigger("etl", 5), "options"],
    [() => client.getRun("etl", undefined), "runId"],
    [() => client.waitForRun("etl", "r", { intervalMs: "1" }), "intervalMs"],
    [() => client.waitForRun("etl", "r", { timeoutMs: -1 }), "timeoutMs"],
    [() => client.waitForRun("etl", "r", 5), "options"],
    [() => client.getDag(null), "dagId"],
    [() => client.getParams({}), "dagId"],
    [() => client.listDags({ search: 1 }), "search"],
    [() => client.listDags("x"), "options"],
    [() => client.listRuns("etl", { limit: 1.5 }), "limit"],
  ]) await rejected(fn(), field);
  client.free();
  for (const fn of [() => client.trigger("etl"), () => client.getRun("etl", "r"), () => client.version(), () => client.listDags(null)]) {
    await rejected(fn(), "AirflowClient");
  }

  // free() while a call waits for its answer: the call ends normally, the handle is freed after.
  let release;
  const waiting = new AirflowClient({
    baseUrl: "http://127.0.0.1:9",
    apiVersion: "v2",
    auth: { type: "none" },
    retries: 0,
    fetch: () => new Promise((resolve) => (release = () => resolve(new Response('{"detail":"no"}', { status: 404, headers: { "content-type": "application/json" } })))),
  });
  const pending = waiting.getRun("etl", "r1");
  await new Promise((r) => setTimeout(r, 10));
  waiting.free();
  waiting.free();
  release();
  await assert.rejects(pending, (e) => e instanceof AirflowError && e.code === "NOT_FOUND");
  await rejected(waiting.getRun("etl", "r1"), "AirflowClient");

  // toCurl: a secret header not listed as an array is refused, never printed; URL credentials masked.
  invalidArgument(() => toCurl({ method: "GET", url: "http://h/", headers: { "X-Custom": "SECRET1" }, sensitiveHeaders: "X-Custom" }), "request.sensitiveHeaders");
  invalidArgument(() => toCurl({ method: "GET", url: "http://h/", sensitiveHeaders: [1] }), "request.sensitiveHeaders");
  assert.ok(!toCurl({ method: "GET", url: "http://u:hunter2@h/" }).includes("hunter2"));
  assert.ok(!toCurl({ method: "GET", url: "http://h/", headers: { "X-Custom": "SECRET1" }, sensitiveHeaders: ["x-custom"] }).includes("SECRET1"));
  await assert.rejects(triggerDagRun(undefined), (e) => e instanceof AirflowError && e.code === "INVALID_ARGUMENT" && e.field === "options");
});

test("re-entry from JS during calls is safe (patched RegExp, Date.now, Math.random, parseFloat)", () => {
  const saved = { test: RegExp.prototype.test, exec: RegExp.prototype.exec, now: Date.now, random: Math.random, parseFloat: globalThis.parseFloat };
  // One level of re-entry (compiling calls Math.random, which would re-enter without end).
  let inside = false;
  const reenter = () => {
    if (inside) return;
    inside = true;
    try {
      assert.equal(new ConfValidator({ type: "string", pattern: "^a+$" }, ECMA).validate("aaa").valid, true);
    } finally {
      inside = false;
    }
  };
  try {
    RegExp.prototype.test = function (s) {
      reenter();
      return saved.test.call(this, s);
    };
    RegExp.prototype.exec = function (s) {
      reenter();
      return saved.exec.call(this, s);
    };
    Date.now = () => (reenter(), saved.now());
    Math.random = () => (reenter(), saved.random());
    globalThis.parseFloat = (t) => (reenter(), saved.parseFloat(t));
    const v = new ConfValidator({ type: "object", patternProperties: { "^x": { type: "string", pattern: "b$" } } }, ECMA);
    for (let i = 0; i < 2000; i++) {
      assert.equal(v.validate({ x1: "ab", y: 1 }).valid, true);
      assert.equal(v.validate({ x1: "ba" }).valid, false);
      assert.equal(validateConf({ maximum: 2.5 }, 2.25).valid, true);
      assert.equal(validateConf({ maximum: 2.5 }, 2.75).valid, false);
      assert.match(buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v1", dagId: "etl" }).body, /dag_run_id/);
    }
  } finally {
    Object.assign(RegExp.prototype, { test: saved.test, exec: saved.exec });
    Date.now = saved.now;
    Math.random = saved.random;
    globalThis.parseFloat = saved.parseFloat;
  }
  assert.equal(new ConfValidator({ pattern: "^a" }, ECMA).validate("ab").valid, true);
});

test("this module has no Python re or idna: the Airflow modes refuse what they would misjudge", () => {
  const refusals = [
    [() => new ConfValidator({ pattern: "^a" }), /^schema: pattern at [^ ]+#: invalid regular expression: needs Python's re: load airflow-trigger\/full, or use formats "all"$/],
    [() => new ConfValidator({ properties: { a: { patternProperties: { "^x": {} } } } }, { formats: "airflow2" }), /patternProperties at [^ ]+#\/properties\/a: invalid regular expression "\^x": needs Python.s re: load airflow-trigger/],
    [() => new ConfValidator({ items: { format: "regex" } }), /format at [^ ]+#\/items: needs Python.s re: load airflow-trigger/],
    [() => new ConfValidator({ format: "idn-hostname" }, { formats: "airflow2" }), /format at [^ ]+#: needs Python.s re: load airflow-trigger/],
    [() => new ParamsValidator({ p: { value: "a", schema: { type: "string", pattern: "(?i)a" } } }), /^params\.p: pattern at [^ ]+#: .*airflow-trigger\/full/],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [make, message] of refusals) assert.match(invalidArgument(make).message, message);
    // Everything else still compiles and judges in these modes; "all" and "none" read patterns as ECMA-262.
    assert.equal(validateConf({ format: "date", maxLength: 10 }, "2024-02-30").valid, false);
    assert.equal(validateConf({ format: "regex" }, "(?i)a", ECMA).valid, false);
    assert.equal(validateConf({ format: "idn-hostname" }, "b\u00fccher.de", ECMA).valid, true);
    assert.equal(validateConf({ pattern: "^\\d+$" }, "\u0661", { formats: "none" }).valid, false);
    // A format the caller added under that name is the caller's check, not refused.
    assert.equal(validateConf({ format: "regex" }, "x", { addFormats: { regex: /^x$/ } }).valid, true);
  }
});

test("a validation stopped by a budget is never valid, and never invalid without an error", () => {
  const distinct = Array.from({ length: 5000 }, (_, i) => i);
  const cases = [
    [{ oneOf: [{ type: "array" }, { type: "array", uniqueItems: true }] }, distinct, { maxSteps: 1000 }],
    [{ anyOf: [{ type: "array", uniqueItems: true }, { type: "string" }], unevaluatedItems: false }, distinct, { maxSteps: 1000 }],
    [{ anyOf: [{ type: "string" }, { items: { $ref: "#" } }] }, nested(100), { maxDepth: 20 }],
    [{ not: { type: "array", uniqueItems: true } }, distinct, { maxSteps: 1000 }],
    [{ propertyNames: { pattern: "^(a|b)*c$" } }, { ["ab".repeat(20000)]: 1 }, { maxSteps: 1000, formats: "all" }],
    [{ if: { type: "array", uniqueItems: true }, then: true, else: true }, distinct, { maxSteps: 1000 }],
  ];
  for (const [schema, instance, options] of cases) {
    for (const allErrors of [true, false]) {
      const r = validateConf(schema, instance, { ...options, allErrors });
      assert.equal(r.valid, false, JSON.stringify(schema));
      assert.ok(["maxSteps", "maxDepth"].includes(r.errors.at(-1)?.keyword), JSON.stringify(r.errors));
    }
  }
  // With the default budget both branches pass, so oneOf fails (as the spec says), with its own error.
  const params = new ParamsValidator({ xs: { value: [], schema: { oneOf: [{ type: "array" }, { type: "array", uniqueItems: true }] } } });
  const r = params.validate({ xs: distinct });
  assert.equal(r.valid, false);
  assert.deepEqual(r.errors.map((e) => [e.keyword, e.params]), [["oneOf", { passingSchemas: [0, 1] }]]);
});

test("patterns that hang backtracking engines finish (budgeted), and what cannot be bounded is refused", () => {
  const finishes = [
    ["^(a|a)*$", "a".repeat(40) + "!"],
    ["^(\\d|\\d\\d)*$", "1".repeat(5000) + "x"],
    ["^\\d*\\d*\\d*\\d*\\d*x$", "1".repeat(400)],
    ["(?=a*b)", "a".repeat(20000)],
    ["^(a+)+$", "a".repeat(100000) + "!"],
  ];
  for (const [pattern, s] of finishes) {
    const r = validateConf({ pattern }, s, ECMA);
    assert.equal(r.valid, false, pattern);
    assert.equal(r.errors[0].keyword, "pattern");
  }
  for (const pattern of ["^(a+)+\\1$", "(?<=a)b", "(?<!a)b"]) {
    const e = invalidArgument(() => new ConfValidator({ pattern }, ECMA), "schema");
    assert.match(e.message, /backreference|lookbehind|not supported/i);
  }
  // A costly pattern on a long string ends in the step budget's error, not in a long wait.
  const r = validateConf({ pattern: "(?:a|b|ab|ba)*c(?=(?:a|b)*$)" }, "ab".repeat(200000), { maxSteps: 10_000, formats: "all" });
  assert.equal(r.valid, false);
  assert.equal(r.errors.at(-1).keyword, "maxSteps");
});

test("costs stay bounded: enum errors, error counts, uniqueItems, compile size, regex formats", () => {
  const values = Array.from({ length: 500 }, (_, i) => `value-${i}`);
  const conf = Array.from({ length: 2000 }, () => "nope");
  const r = validateConf({ items: { enum: values } }, conf);
  assert.equal(r.errors.length, 101);
  assert.equal(r.errors.at(-1).keyword, "maxErrors");
  assert.ok(JSON.stringify(r).length < 200_000, `error report ${JSON.stringify(r).length} bytes`);
  assert.ok(r.errors[0].params.omitted > 0);
  for (const e of r.errors.slice(0, 100)) assert.ok(JSON.stringify(e.params).length < 1200, JSON.stringify(e.params).length);
  // A const larger than the room is named by `omitted`, not copied into every error.
  const huge = { blob: "x".repeat(5000) };
  const c = validateConf({ items: { const: huge } }, [1, 2, 3]);
  assert.deepEqual(c.errors.map((e) => e.params), [{ omitted: 1 }, { omitted: 1 }, { omitted: 1 }]);
  assert.equal(validateConf({ items: { enum: values } }, conf, { maxErrors: 5 }).errors.length, 6);

  const objects = Array.from({ length: 2000 }, (_, i) => Object.fromEntries(Array.from({ length: 101 }, (_, k) => [`k${k}`, k === 100 ? i : k])));
  assert.equal(validateConf({ uniqueItems: true }, objects).valid, true);
  objects.push({ ...objects[7] });
  assert.deepEqual(validateConf({ uniqueItems: true }, objects).errors[0].params, { i: 2000, j: 7 });

  const properties = Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`p${i}`, { type: "integer" }]));
  const v = new ConfValidator({ type: "object", properties });
  assert.equal(v.validate({ p19999: "x" }).valid, false);

  // Property names chosen so that FNV-1a's low 20 bits collide (the compile map's hash once took
  // its slot from them: 16,000 such names took 11.7 s to compile).
  const P = 435, MASK = (1 << 20) - 1;
  const step = (h, b) => (Math.imul(h ^ b, P) & MASK) >>> 0;
  const fnv = (s) => [...Buffer.from(s)].reduce(step, 0x22325);
  let inv = 1;
  for (let i = 0; i < 5; i++) inv = (Math.imul(inv, 2 - Math.imul(P, inv)) & MASK) >>> 0;
  const target = (Math.imul(0x12345, inv) & MASK) >>> 0;
  const ok = (b) => b >= 0x21 && b < 0x7e && ![0x2f, 0x22, 0x5c].includes(b);
  const colliding = {};
  for (let i = 0, n = 0; n < 16000; i++) {
    const prefix = `k${i.toString(36)}`;
    const h0 = fnv(`/properties/${prefix}`);
    for (let b1 = 0x21; b1 < 0x7e && n < 16000; b1++) {
      for (let b2 = 0x21; b2 < 0x7e && n < 16000; b2++) {
        const b3 = step(step(h0, b1), b2) ^ target;
        if (ok(b1) && ok(b2) && ok(b3)) (colliding[prefix + String.fromCharCode(b1, b2, b3)] = {}), n++;
      }
    }
  }
  new ConfValidator({ properties: colliding }).free();

  // A class of 60,000 characters repeated 9,000 times, as an instance of format regex, grew wasm
  // memory to 4 GB and trapped; a 50,000-character class tested each range in turn.
  const wide = Array.from({ length: 62048 }, (_, i) => 0x4e00 + i)
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCodePoint(c))
    .join("");
  // Contiguous characters merge into a few ranges (cheap to repeat); every other character does not.
  assert.equal(validateConf({ format: "regex" }, `[${wide}]{9000}`, ECMA).valid, true);
  const sparse = [...wide].filter((_, i) => i % 2 === 0).join("");
  assert.equal(validateConf({ format: "regex" }, `[${sparse}]{9000}`, ECMA).valid, false);
  invalidArgument(() => new ConfValidator({ pattern: `[${sparse}]{9000}` }, ECMA), "schema");
  assert.equal(validateConf({ pattern: `^[${wide.slice(0, 50000)}b]*$` }, "b".repeat(200000), ECMA).valid, true);

  const before = memory.buffer.byteLength;
  const regexes = Array.from({ length: 5000 }, (_, i) => `^a{0,${i % 50}}(b|c)*$`);
  assert.equal(validateConf({ items: { format: "regex" } }, regexes, { formats: "all" }).valid, true);
  assert.ok(memory.buffer.byteLength - before < 32 * 2 ** 20, "regex-format items do not grow memory without bound");
});

test("the second hostile review's cases: empty repetitions, repeated class escapes, long locations, a huge answer", async () => {
  // An empty group repeated 2^32-1 times ran forever as a format-regex instance (33 bytes of conf).
  assert.equal(validateConf({ format: "regex" }, "(?:(?:){4294967295}){4294967295}", ECMA).valid, false);
  // (The Airflow modes' Python re is the full module's: Node's entry loads it.)
  const params = new FullParamsValidator({ p: { value: "^a$", schema: { type: "string", format: "regex" } } });
  assert.equal(params.validate({ p: "(?:(?:){4294967295}){4294967295}" }).valid, false);
  // A million class escapes repeated 4,500 times grew memory to 4 GB and trapped.
  assert.equal(validateConf({ format: "regex" }, `[${"\\d".repeat(1e6)}]{4500}`, ECMA).valid, true);
  assert.equal(validateConf({ pattern: `^[${"\\d".repeat(100000)}]+$` }, "x".repeat(30000), ECMA).valid, false);
  // format regex on a long string stops at the budget like everything else.
  const r = validateConf({ format: "regex" }, "a".repeat(10000), { maxSteps: 1, formats: "all" });
  assert.equal(r.valid, false);
  assert.equal(r.errors.at(-1).keyword, "maxSteps");
  // Long keys under many siblings: the locations are capped, an error, not gigabytes or a trap.
  let schema = { properties: Object.fromEntries(Array.from({ length: 12000 }, (_, i) => [`s${i}`, {}])) };
  for (let i = 0; i < 11; i++) schema = { properties: { ["k".repeat(9000) + i]: schema } };
  invalidArgument(() => new ConfValidator(schema), "schema");
  // One error larger than maxErrorBytes is cut, not copied whole.
  const big = validateConf({ propertyNames: { maxLength: 5 } }, { ["k".repeat(4_000_000)]: 1 }, { maxErrorBytes: 1000 });
  assert.equal(big.valid, false);
  assert.ok(JSON.stringify(big.errors).length < 4_100_000, `${JSON.stringify(big.errors).length} bytes`);
  // An answer larger than 16 MiB is not read to its end.
  const client = new AirflowClient({
    baseUrl: "http://127.0.0.1:9",
    apiVersion: "v2",
    auth: { type: "none" },
    retries: 0,
    fetch: async () => new Response("x".repeat(20 << 20), { status: 200, headers: { "content-type": "application/json" } }),
  });
  await assert.rejects(client.getDag("etl"), (e) => e instanceof AirflowError && e.code === "SERVER" && /larger than 16 MiB/.test(e.message));
  client.free();
  // The module still works.
  assert.equal(validateConf({ type: "integer" }, 3).valid, true);
});

test("maxDepth at its cap does not overflow the wasm stack through any recursive path", () => {
  const cap = 256;
  invalidArgument(() => new ConfValidator({}, { maxDepth: cap + 1 }), "options.maxDepth");
  const schemas = [
    { $ref: "#" },
    { allOf: [{ $ref: "#" }] },
    { anyOf: [{ $ref: "#" }] },
    { oneOf: [{ $ref: "#" }] },
    { not: { $ref: "#" } },
    { if: { $ref: "#" } },
    { $defs: { a: { $ref: "#/$defs/b" }, b: { properties: { x: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
    { propertyNames: { $ref: "#/$defs/s" }, $defs: { s: { allOf: [{ $ref: "#/$defs/s" }] } } },
    { dependentSchemas: { a: { $ref: "#" } } },
    { items: { $ref: "#" }, unevaluatedItems: false, $ref: "#" },
  ];
  for (const schema of schemas) {
    const r = validateConf(schema, { a: [1] }, { maxDepth: cap });
    assert.equal(r.valid, false, JSON.stringify(schema));
    assert.equal(r.errors.at(-1).keyword, "maxDepth", JSON.stringify(r.errors.at(-1)));
  }
  // The module still works afterwards.
  assert.match(buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "etl" }).url, /\/api\/v2\/dags\/etl\/dagRuns$/);
});
