// What a new user hits first, each with the message they now see: a wrong option, a base URL
// that is not Airflow, deep or large confs, errors that are real AirflowErrors, `using`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { test } from "node:test";

import * as browser from "../../pkg/index.js";
import {
  AirflowClient,
  AirflowError,
  ConfValidator,
  ParamsValidator,
  buildTriggerRequest,
  validateConf,
} from "../../pkg/node.js";

const base = { baseUrl: "http://127.0.0.1:8080", apiVersion: "v2", dagId: "etl" };

function refuses(f, field, message) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof AirflowError, String(e));
    assert.equal(Object.getPrototypeOf(e), AirflowError.prototype, "a real AirflowError, not one recognised by name");
    assert.equal(e.code, "INVALID_ARGUMENT");
    assert.equal(e.field, field);
    assert.match(e.message, message);
    return true;
  });
}

async function rejects(promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(Object.getPrototypeOf(e), AirflowError.prototype, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

test("a snake_case option gets the camelCase name", () => {
  refuses(() => buildTriggerRequest({ ...base, logical_date: "2024-01-01T00:00:00Z" }), "logical_date",
    /^logical_date: is not an option; did you mean "logicalDate"\?$/);
  refuses(() => buildTriggerRequest({ ...base, "data-interval-end": "x" }), "data-interval-end", /did you mean "dataIntervalEnd"/);
});

test("a bad option to client.trigger lists only what trigger takes", async () => {
  const client = new AirflowClient({ baseUrl: "http://127.0.0.1:1", apiVersion: "v2", retries: 0 });
  try {
    await rejects(client.trigger("etl", { notAnOption: 1 }), "INVALID_ARGUMENT",
      /^notAnOption: is not an option; known options: conf, dagRunId, logicalDate, note, dataIntervalStart, dataIntervalEnd, runAfter, validate, unpause$/);
    await rejects(client.trigger("etl", { logical_date: "x" }), "INVALID_ARGUMENT", /did you mean "logicalDate"/);
    // The client's own options are named as such, not listed as known.
    await rejects(client.trigger("etl", { dagId: "x" }), "INVALID_ARGUMENT", /^dagId: is set on the client, not per trigger$/);
    await rejects(client.trigger("etl", { dagid: "x" }), "INVALID_ARGUMENT", /known options: conf, dagRunId/);
  } finally {
    client.free();
  }
});

test("a server that is not Airflow is NOT_AIRFLOW, saying what was tried", async () => {
  // A plain web server: 404 for /api/v1/version, an HTML page for everything else.
  const server = createServer((req, res) => {
    if (req.url === "/api/v1/version") res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not Found</h1>");
    else res.writeHead(200, { "content-type": "text/html" }).end("<html>app</html>");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const client = new AirflowClient({ baseUrl: url, retries: 0 });
  try {
    await rejects(client.trigger("etl"), "NOT_AIRFLOW", new RegExp(
      `^${url.replace(/\./g, "\\.")} does not look like Airflow's REST API: GET /api/v1/version answered 404, `
      + "GET /api/v2/version answered 200 without a version\\. Check baseUrl, or set apiVersion\\.$"));
  } finally {
    client.free();
    server.close();
  }
});

test("nesting past 128 levels has one message, however deep", async () => {
  const deep = (n) => {
    let v = 1;
    for (let i = 0; i < n; i++) v = { a: v };
    return v;
  };
  // 128 levels pass everywhere (a conf inside the options is counted from the conf).
  assert.equal(validateConf({}, deep(128)).valid, true);
  assert.equal(new ParamsValidator({}).validate(deep(128)).valid, true);
  assert.ok(buildTriggerRequest({ ...base, conf: deep(128) }).body.length > 128 * 6);
  for (const n of [129, 130, 1000, 100_000]) {
    refuses(() => validateConf({}, deep(n)), "instance.a", /^instance\.a: is nested more than 128 levels deep$/);
    refuses(() => new ParamsValidator({}).validate(deep(n)), "conf.a", /^conf\.a: is nested more than 128 levels deep$/);
    refuses(() => buildTriggerRequest({ ...base, conf: deep(n) }), "conf.a", /^conf\.a: is nested more than 128 levels deep$/);
  }
  const client = new AirflowClient({ baseUrl: "http://127.0.0.1:1", apiVersion: "v2", retries: 0 });
  try {
    // Accepted, so it goes out (and finds no server).
    await rejects(client.trigger("etl", { conf: deep(128), validate: false }), "NETWORK", /Could not reach Airflow/);
    await rejects(client.trigger("etl", { conf: deep(129), validate: false }), "INVALID_ARGUMENT", /^conf\.a: is nested more than 128 levels deep$/);
  } finally {
    client.free();
  }
});

test("one conf limit everywhere: 4 MiB of JSON", async () => {
  const limit = 4 << 20;
  const overhead = JSON.stringify({ a: "" }).length;
  const at = { a: "x".repeat(limit - overhead) };
  const over = { a: "x".repeat(limit - overhead + 1) };
  const message = /^(conf|instance): is larger than 4 MiB of JSON \(4194305 bytes\); pass large data by reference/;
  assert.equal(validateConf({}, at).valid, true);
  assert.equal(new ParamsValidator({}).validate(at).valid, true);
  assert.ok(buildTriggerRequest({ ...base, conf: at }).body.length > limit);
  refuses(() => validateConf({}, over), "instance", message);
  refuses(() => new ParamsValidator({}).validate(over), "conf", message);
  refuses(() => buildTriggerRequest({ ...base, conf: over }), "conf", message);
  // The limit counts UTF-8 bytes, as they are sent.
  refuses(() => buildTriggerRequest({ ...base, conf: { a: "é".repeat(limit / 2) } }), "conf", /larger than 4 MiB/);
  const client = new AirflowClient({ baseUrl: "http://127.0.0.1:1", apiVersion: "v2", retries: 0 });
  try {
    await rejects(client.trigger("etl", { conf: over, validate: false }), "INVALID_ARGUMENT", message);
  } finally {
    client.free();
  }
});

test("errors made inside the module are real AirflowErrors, with their name in the stack", async () => {
  const cases = [
    () => new ConfValidator({ type: 5 }),
    () => new ParamsValidator({ a: 1 }, { formats: "x" }),
    () => new AirflowClient({ baseUrl: "ftp://x" }),
    () => buildTriggerRequest({ ...base, baseUrl: "http://x/api/v2" }),
    () => new ConfValidator({}, { maxInputBytes: 1 }).validate({ a: 1 }),
  ];
  for (const f of cases) {
    assert.throws(f, (e) => {
      assert.equal(Object.getPrototypeOf(e), AirflowError.prototype);
      assert.equal(e.constructor, AirflowError);
      assert.ok(e.stack.startsWith("AirflowError: "), e.stack);
      return true;
    });
  }
  const client = new AirflowClient({ baseUrl: "http://127.0.0.1:1", apiVersion: "v2", retries: 0 });
  try {
    await rejects(client.getRun("etl", "r1"), "NETWORK", /Could not reach Airflow/);
  } finally {
    client.free();
  }
});

test("before init() the browser entry throws an AirflowError with a code", () => {
  for (const f of [() => new browser.ConfValidator({}), () => browser.validateConf({}, {}), () => new browser.AirflowClient({}), () => browser.buildTriggerRequest(base)]) {
    assert.throws(f, (e) => e instanceof browser.AirflowError && e.code === "INVALID_ARGUMENT" && /call `await init\(\)`/.test(e.message));
  }
});

test("Symbol.dispose frees validators and clients", async () => {
  for (const [name, make] of [["ConfValidator", () => new ConfValidator({})], ["ParamsValidator", () => new ParamsValidator({})]]) {
    const v = make();
    v[Symbol.dispose]();
    refuses(() => v.validate({}), name, /was freed/);
  }
  const client = new AirflowClient({ baseUrl: "http://h", apiVersion: "v2" });
  client[Symbol.dispose]();
  await rejects(client.getRun("etl", "r1"), "INVALID_ARGUMENT", /^AirflowClient: was freed/);
});

test("ConfValidator is strict by default, as ajv 8; strict: false and ParamsValidator are lenient", () => {
  const where = "urn:airflow-trigger:schema#";
  refuses(() => new ConfValidator({ properties: { n: { tpye: "integer" } } }), "schema",
    new RegExp(`^schema: tpye at ${where}/properties/n: is not a keyword of this draft \\(a typo\\?\\); strict mode refuses it, strict: false ignores it$`));
  refuses(() => new ConfValidator({ type: "string", format: "cron" }), "schema", /^schema: format at .*: "cron" is not a format this validator knows/);
  for (const draft of ["http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#", "https://json-schema.org/draft/2019-09/schema"]) {
    refuses(() => new ConfValidator({ $schema: draft, type: "string" }, { formats: "all" }), "schema", /^schema: \$schema at .*is not a draft this validator implements \(2020-12 and draft-07\)/);
    assert.equal(new ConfValidator({ $schema: draft, type: "string" }, { strict: false, formats: "all" }).validate(1).valid, false);
    // The Airflow modes (the default) read it as python-jsonschema does in the full module
    // (Node's), strict or not; the browser's default module declines it (agreement.test).
    for (const strict of [true, false]) {
      const v = new ConfValidator({ $schema: draft, type: "string" }, { strict });
      assert.deepEqual([v.validate("a").valid, v.validate(1).valid], [true, false]);
    }
  }
  // Keywords of the other draft are unknown in strict mode.
  refuses(() => new ConfValidator({ $schema: "http://json-schema.org/draft-07/schema#", prefixItems: [] }), "schema", /prefixItems at/);
  refuses(() => new ConfValidator({ additionalItems: false }), "schema", /additionalItems at/);
  // What every schema may carry compiles.
  new ConfValidator({
    $schema: "https://json-schema.org/draft/2020-12/schema", $id: "https://example.com/s", $comment: "c", title: "t",
    description: "d", default: {}, examples: [{}], deprecated: false, readOnly: false, writeOnly: false,
    $defs: { a: { type: "string", format: "date" } }, definitions: {}, properties: { a: { $ref: "#/$defs/a" } },
  }).free();
  new ConfValidator({ $schema: "http://json-schema.org/draft-07/schema#", items: [{}], additionalItems: false, dependencies: {} }).free();
  assert.equal(new ConfValidator({ tpye: "integer", format: "cron" }, { strict: false }).validate("x").valid, true);
  refuses(() => new ConfValidator({}, { strict: "yes" }), "options.strict", /must be true or false/);
  // Params are Airflow's: lenient, as Airflow is.
  assert.equal(new ParamsValidator({ n: { value: 1, schema: { type: "integer", tpye: "x", format: "cron" } } }).validate({ n: 2 }).valid, true);
});

test("errorsText writes errors as ajv's does", async () => {
  const { errorsText } = await import("../../pkg/node.js");
  const v = new ConfValidator({ type: "object", required: ["day"], properties: { retries: { type: "integer", maximum: 5 } } });
  const { errors } = v.validate({ retries: 9 });
  assert.equal(errorsText(errors), "data must have required property 'day', data/retries must be <= 5");
  assert.equal(errorsText(errors, { separator: "\n", dataVar: "conf" }), "conf must have required property 'day'\nconf/retries must be <= 5");
  assert.equal(errorsText([]), "No errors");
  assert.equal(errorsText(undefined), "No errors");
  refuses(() => errorsText("x"), "errors", /must be an array/);
});

test("useDefaults fills missing properties and tuple items on the caller's value, as ajv does", () => {
  const schema = {
    type: "object",
    required: ["retries"],
    properties: {
      retries: { type: "integer", default: 3 },
      "a/b~c": { default: [1] },
      env: { $ref: "#/$defs/env" },
      target: { type: "object", default: {}, properties: { name: { default: "prod" } } },
      pair: { type: "array", prefixItems: [{ default: 1 }, { default: 2 }], items: { properties: { x: { default: "x" } } } },
      either: { anyOf: [{ properties: { no: { default: 1 } } }] },
    },
    allOf: [{ properties: { fromAllOf: { default: true } } }],
    $defs: { env: { default: "ignored: a default behind $ref is the referenced schema's, not the property's" } },
  };
  const v = new ConfValidator(schema, { useDefaults: true });
  const conf = { pair: [5], either: {} };
  assert.deepEqual(v.validate(conf), { valid: true, errors: [] });
  assert.deepEqual(conf, {
    pair: [5, 2], either: {}, retries: 3, "a/b~c": [1], target: { name: "prod" }, fromAllOf: true,
  });
  // A later tuple item waits for the earlier ones (JSON has no holes); items past the tuple get theirs.
  const more = { pair: [5, 6, {}, { x: 0 }] };
  v.validate(more);
  assert.deepEqual(more.pair, [5, 6, { x: "x" }, { x: 0 }]);
  // An invalid value still gets the defaults; without useDefaults nothing changes.
  const bad = { retries: "x" };
  assert.equal(v.validate(bad).valid, false);
  assert.equal(bad.target.name, "prod");
  const untouched = {};
  assert.equal(new ConfValidator(schema).validate(untouched).valid, false);
  assert.deepEqual(untouched, {});
  // A $ref loop stops at maxDepth instead of filling for ever.
  const loop = new ConfValidator({ $ref: "#", properties: { a: { default: 1 } } }, { useDefaults: true });
  const l = {};
  assert.equal(loop.validate(l).valid, false);
  assert.deepEqual(l, { a: 1 });
  refuses(() => new ConfValidator({}, { useDefaults: 1 }), "options.useDefaults", /must be true or false/);
});

test("addFormat and addFormats: a RegExp or a function, known to strict mode, its exceptions thrown", async () => {
  const { addFormat } = await import("../../pkg/node.js");
  // Before it is added, strict mode refuses the name.
  refuses(() => new ConfValidator({ format: "cron-test" }), "schema", /"cron-test" is not a format this validator knows/);
  addFormat("cron-test", /^(\S+ ){4}\S+$/g); // a global RegExp: lastIndex must not carry over
  const cron = new ConfValidator({ type: "string", format: "cron-test" });
  for (let i = 0; i < 3; i++) assert.equal(cron.validate("0 * * * *").valid, true);
  const bad = cron.validate("hourly");
  assert.deepEqual(bad.errors.map((e) => [e.keyword, e.params, e.message]), [["format", { format: "cron-test" }, 'must match format "cron-test"']]);
  assert.equal(cron.validate(5).valid, false, "type still applies");
  assert.equal(new ConfValidator({ format: "cron-test" }).validate(5).valid, true, "formats check strings only");
  // In every formats mode, and per validator, where a function may use its own state.
  const seen = [];
  const even = new ConfValidator({ items: { format: "even" } }, { formats: "none", addFormats: { even: (s) => (seen.push(s), s.length % 2 === 0) } });
  assert.deepEqual(even.validate(["ab", "abc", "abcd"]).errors.map((e) => e.instancePath), ["/1"]);
  assert.deepEqual(seen, ["ab", "abc", "abcd"]);
  // A per-validator format replaces a package-wide one of the same name.
  assert.equal(new ConfValidator({ format: "cron-test" }, { addFormats: { "cron-test": () => true } }).validate("x").valid, true);
  // What a check throws, validate throws; the validator stays usable.
  const boom = new Error("boom");
  let fail = true;
  const throwing = new ConfValidator({ format: "t" }, { addFormats: { t: () => { if (fail) throw boom; return true; } } });
  assert.throws(() => throwing.validate("x"), (e) => e === boom);
  fail = false;
  assert.equal(throwing.validate("x").valid, true);
  // A check that validates again (re-entry) works.
  let inner;
  let depth = 0;
  const check = (s) => {
    if (depth++ === 0) inner = reentrant.validate("nested").valid;
    depth--;
    return s === "ok";
  };
  const reentrant = new ConfValidator({ format: "r" }, { addFormats: { r: check } });
  assert.equal(reentrant.validate("ok").valid, true);
  assert.equal(inner, false);
  refuses(() => addFormat("x", "not a check"), "format", /must be a RegExp or a function, got string/);
  refuses(() => new ConfValidator({}, { addFormats: { x: 1 } }), "addFormats.x", /must be a RegExp or a function/);
  // Params are Airflow's: an added format is not asserted there.
  assert.equal(new ParamsValidator({ c: { value: "hourly", schema: { type: "string", format: "cron-test" } } }).validate({}).valid, true);
});

test("useDefaults sets own properties: __proto__ and constructor reach no setter and pollute nothing", () => {
  const v = new ConfValidator({
    properties: {
      ["__proto__"]: { default: { polluted: 1 }, properties: { deeper: { default: 2 } } },
      constructor: { default: {}, properties: { prototype: { default: { polluted: 3 } } } },
    },
  }, { useDefaults: true });
  const conf = {};
  assert.equal(v.validate(conf).valid, true);
  assert.equal(Object.getPrototypeOf(conf), Object.prototype, "the prototype is untouched");
  assert.deepEqual(Object.getOwnPropertyNames(conf).sort(), ["__proto__", "constructor"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(conf, "__proto__").value, { polluted: 1, deeper: 2 });
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.deeper, undefined);
});

test("the hostile review's cases: re-entry depth, free() during a check, collection, growing defaults", async () => {
  const { errorsText, triggerDagRun } = await import("../../pkg/node.js");
  // A check that validates, whose validation's check validates again: refused, not a stack
  // overflow in the module (which then failed every later call).
  let schema = { format: "deep" };
  let inst = "s";
  for (let i = 0; i < 20; i++) {
    schema = { properties: { a: schema } };
    inst = { a: inst };
  }
  let v;
  v = new ConfValidator(schema, { addFormats: { deep: () => v.validate(inst).valid } });
  assert.throws(() => v.validate(inst), (e) => e instanceof AirflowError && e.field === "validate" && /one level only/.test(e.message));
  assert.equal(buildTriggerRequest(base).method, "POST", "the module still works");
  assert.equal(new ConfValidator({ type: "string" }).validate("x").valid, true);

  // free() from inside a check waits for the validation to end; then the validator is freed.
  let f;
  f = new ConfValidator({ format: "free" }, { addFormats: { free: () => (f.free(), true) } });
  assert.equal(f.validate("x").valid, true);
  refuses(() => f.validate("x"), "ConfValidator", /was freed/);
  f.free();

  // Defaults that grow without end (a recursive schema) are refused, and nothing is filled in.
  const grow = new ConfValidator({ properties: { a: { $ref: "#", default: {} }, b: { $ref: "#", default: {} } } }, { useDefaults: true });
  const conf = {};
  const started = Date.now();
  refuses(() => grow.validate(conf), "instance", /^instance: with its defaults \(useDefaults\) it would pass maxInputBytes \(4194304\); nothing was filled in$/);
  assert.deepEqual(conf, {});
  assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  const wide = new ConfValidator({ items: { properties: { a: { default: "x".repeat(100_000) } } } }, { useDefaults: true });
  const items = Array.from({ length: 100 }, () => ({}));
  refuses(() => wide.validate(items), "instance", /would pass maxInputBytes/);
  assert.deepEqual(items[0], {});
  assert.equal(grow.validate({ a: 1, b: 1 }).valid, true, "usable after");
  // Long keys: the paths reported for the defaults count too (they grew the memory by 1.5 GB).
  const long = new ConfValidator({ properties: { ["k".repeat(30_000)]: { $ref: "#", default: {} } } }, { useDefaults: true });
  const started2 = Date.now();
  refuses(() => long.validate({}), "instance", /would pass maxInputBytes/);
  assert.ok(Date.now() - started2 < 5_000, `${Date.now() - started2} ms`);
  // A frozen object, or a property JSON does not show, gets no default and no TypeError.
  const frozen = Object.freeze({});
  const hidden = Object.defineProperty({}, "retries", { value: 9, enumerable: false });
  const d = new ConfValidator({ properties: { retries: { default: 3 } } }, { useDefaults: true });
  assert.equal(d.validate(frozen).valid, true);
  assert.equal(d.validate(hidden).valid, true);
  assert.equal(hidden.retries, 9);

  // Options misspelt for triggerDagRun get the right name; odd errorsText input gets text.
  await assert.rejects(triggerDagRun({ base_url: "http://h", apiVersion: "v2", dagId: "etl" }), (e) => e.field === "base_url" && /did you mean "baseUrl"/.test(e.message));
  assert.equal(errorsText([null, {}]), "data undefined, data undefined");
});

test("a validator with a format check of its own is garbage-collected", () => {
  // In a child process with --expose-gc: a FinalizationRegistry sees the validators go.
  const script = `
    const m = await import(${JSON.stringify(new URL("../../pkg/node.js", import.meta.url).href)});
    let collected = 0;
    const registry = new FinalizationRegistry(() => collected++);
    m.addFormat("gc-test", (s) => s.length > 0);
    (() => { for (let i = 0; i < 25; i++) registry.register(new m.ConfValidator({ format: "gc-test" }, { addFormats: { x: /x/ } }), i); })();
    // A check that reaches its own validator (it validates with it) does not keep it alive either.
    (() => { for (let i = 0; i < 25; i++) { let v; v = new m.ConfValidator({ format: "self" }, { addFormats: { self: (s) => s === "nested" || v.validate("nested").valid } }); v.validate("x"); registry.register(v, 25 + i); } })();
    for (let i = 0; i < 20 && collected < 50; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
    console.log(collected);
  `;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(Number(out.trim()), 50, "every validator was collected");
});
