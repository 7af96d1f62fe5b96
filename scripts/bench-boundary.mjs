// Issue 15 (branch `measure`): the figures for two decisions about the npm package.
//  1. Values at the validators' boundary: JSON text (shipped) or JS values through
//     serde-wasm-bindgen (feature `js-swb`, scripts/bench/boundary/swb.patch for js/api.js).
//  2. The npm client's driver: the JS driver of js/api.js (shipped) or a trigger driven from Rust,
//     AirflowClient<GlooTransport> with wasm-bindgen-futures (feature `js-gloo`,
//     scripts/bench/boundary/gloo.patch: `GlooAirflowClient`, `triggerGloo`).
// Builds the three packages (scripts/build.sh with FEATURES, the patch applied to js/ for the build
// and reverted after) into .out/boundary/{text,swb,gloo}, then prints sizes (wasm + JS glue, gzip -9,
// as scripts/size.mjs), validation speed in this Node (µs per call, public API, JS-side cost
// included), how numbers cross, and trigger speed against tests/e2e/fake-airflow.mjs (run in a
// child process). Every time is the median of ROUNDS child processes.
//
//   node scripts/bench-boundary.mjs            # build, then measure
//   node scripts/bench-boundary.mjs --no-build # measure the builds in .out/boundary
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { payload } from "./payload.mjs";

const root = new URL("../", import.meta.url).pathname;
const out = join(root, ".out", "boundary");
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pkgOf = (name) => join(out, name, "node.js");

// ---- Workloads -------------------------------------------------------------------------------
function workloads() {
  const small = {
    schema: { type: "object", required: ["day"], properties: { day: { type: "string", format: "date" }, count: { type: "integer", minimum: 1 },
      mode: { enum: ["fast", "safe"] }, notify: { type: "boolean" }, owner: { type: "string", minLength: 1 } } },
    good: { day: "2024-01-01", count: 5, mode: "safe", notify: true, owner: "data-eng" },
  };
  small.bad = { ...small.good, count: 0, mode: "slow" };
  const props = {};
  const conf = {};
  for (let i = 0; i < 200; i++) {
    const k = `p${i}`;
    switch (i % 4) {
      case 0:
        props[k] = { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 0 }, tags: { type: "array", items: { type: "string" } },
          when: { type: "string", format: "date-time" } } };
        conf[k] = { id: i, tags: ["a", "b"], when: "2024-01-01T00:00:00Z" };
        break;
      case 1:
        props[k] = { type: "array", items: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x"] } };
        conf[k] = [{ x: 1, y: 2 }, { x: 3.5 }];
        break;
      case 2:
        props[k] = { enum: ["red", "green", "blue", null] };
        conf[k] = "green";
        break;
      default:
        props[k] = { type: "integer", minimum: -100, maximum: 100000 };
        conf[k] = i * 5;
    }
  }
  const medium = { schema: { type: "object", properties: props }, good: conf, bad: { ...conf, p4: { tags: [1] }, p7: "x" } };
  const record = { type: "object", required: ["id", "name"], properties: { id: { type: "integer" }, name: { type: "string", maxLength: 100 },
    tags: { type: "array", items: { type: "string" } }, score: { type: "number", minimum: 0 } } };
  const records = Array.from({ length: 12500 }, (_, i) => ({ id: i, name: `record number ${i}`, tags: ["alpha", "beta", "gamma"], score: i / 7 }));
  const large = { schema: { type: "object", properties: { records: { type: "array", items: record } } }, good: { records },
    bad: { records: records.map((r, i) => (i === 9000 ? { ...r, score: -1 } : r)) } };
  const size = (v) => kb(Buffer.byteLength(JSON.stringify(v)));
  return [[`small (5 keys, ${size(small.good)})`, small], [`medium (200 keys, nested, ${size(medium.good)})`, medium], [`large (${size(large.good)})`, large]];
}

// Params for ParamsValidator from a schema's properties (Airflow 3's shape).
const paramsOf = (schema) => Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, { value: null, schema: s, description: null, source: null }]));

/** µs per call of each of `fns`: 7 slices of about `ms` each, the functions taking turns; medians. */
function timeEach(fns, ms) {
  const rounds = fns.map(() => []);
  for (const fn of fns) for (let i = 0; i < 20; i++) fn(); // warm-up
  for (let r = 0; r < 7; r++) {
    for (const [i, fn] of fns.entries()) {
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < ms) {
        fn();
        n++;
      }
      rounds[i].push(((performance.now() - start) * 1000) / n);
    }
  }
  return rounds.map(median);
}

// ---- Child: validation speed of the text and swb builds in one process --------------------------
if (process.argv[2] === "--validate") {
  const text = await import(pkgOf("text"));
  const swb = await import(pkgOf("swb"));
  // Second instances of the modules through the wasm-bindgen glue, for the raw handles.
  const { readFileSync } = await import("node:fs");
  const rawText = await import(join(out, "text", "airflow_trigger.js"));
  const rawSwb = await import(join(out, "swb", "airflow_trigger.js"));
  rawText.initSync({ module: readFileSync(join(out, "text", "airflow_trigger_bg.wasm")) });
  rawSwb.initSync({ module: readFileSync(join(out, "swb", "airflow_trigger_bg.wasm")) });
  const res = {};
  for (const [name, w] of workloads()) {
    const ms = name.startsWith("large") ? 500 : 150;
    const cases = [];
    for (const m of [text, swb]) {
      const cv = new m.ConfValidator(w.schema, {});
      const pv = new m.ParamsValidator(paramsOf(w.schema), {});
      cases.push([() => cv.validate(w.good), () => cv.validate(w.bad), () => pv.validate(w.good)]);
      // Same verdicts and outputs from both builds.
      if (m === swb) {
        const a = JSON.stringify([cases[0][0](), cases[0][1](), cases[0][2]()]);
        const b = JSON.stringify([cases[1][0](), cases[1][1](), cases[1][2]()]);
        if (a !== b) throw new Error(`${name}: the builds disagree`);
        if (!cases[0][0]().valid || cases[0][1]().valid) throw new Error(`${name}: unexpected verdicts`);
      }
    }
    const labels = ["ConfValidator valid", "ConfValidator invalid", "ParamsValidator (returns conf)"];
    for (const [i, label] of labels.entries()) {
      const [t, s] = timeEach([cases[0][i], cases[1][i]], ms);
      res[`${name} | ${label}`] = [t, s];
    }
    // The handles without the public API's checks (swb: no plain-value walk), valid instance.
    {
      const ht = new rawText.ValidatorHandle(false, JSON.stringify(w.schema), "{}");
      const hs = new rawSwb.ValidatorHandle(false, JSON.stringify(w.schema), "{}");
      const enc = new TextEncoder();
      res[`${name} | ConfValidator valid, raw handle (no JS checks)`] = timeEach([() => ht.validate(enc.encode(JSON.stringify(w.good))), () => hs.validateValue(w.good)], ms);
      ht.free();
      hs.free();
    }
    // The JS-side share of the text path: JSON.stringify + UTF-8 encode of the instance.
    const enc = new TextEncoder();
    res[`${name} | (JSON.stringify + encode alone)`] = [timeEach([() => enc.encode(JSON.stringify(w.good))], ms)[0], null];
  }
  console.log(JSON.stringify(res));
  process.exit(0);
}

// ---- Child: a fake Airflow 3 on a port; prints { url, user, password } ----------------------------
if (process.argv[2] === "--fake") {
  const { fakeAirflow } = await import(join(root, "tests/e2e/fake-airflow.mjs"));
  const fake = await fakeAirflow({ major: 3 });
  // GET /__count: the requests since the last count. The recorded requests are trimmed.
  let n = 0;
  fake.answer = (request) => {
    if (fake.requests.length > 10000) fake.requests.splice(0, 5000);
    if (request.path !== "/__count") return void n++;
    const c = n;
    n = 0;
    return { status: 200, body: { requests: c } };
  };
  console.log(JSON.stringify({ url: fake.url, user: fake.user, password: fake.password }));
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
  await new Promise(() => {});
}

// ---- Child: trigger speed, JS driver (shipped build) vs GlooAirflowClient (gloo build) ----------
if (process.argv[2] === "--trigger") {
  const fake = JSON.parse(process.argv[3]);
  const shipped = await import(pkgOf("text"));
  const gloo = await import(pkgOf("gloo"));
  const options = { baseUrl: fake.url, auth: { type: "password", username: fake.user, password: fake.password } };
  const trig = { conf: { n: 3 } };
  const count = async () => (await (await fetch(`${fake.url}/__count`)).json()).requests;
  const drivers = {
    js: { client: () => new shipped.AirflowClient(options), once: async () => { const c = new shipped.AirflowClient(options); try { return await c.trigger("paused_target", trig); } finally { c.free(); } } },
    gloo: { client: () => new gloo.GlooAirflowClient(options), once: () => gloo.triggerGloo(options, "paused_target", trig) },
  };
  const res = {};
  const put = (k, d, v) => ((res[k] ??= {})[d] = v);
  // The drivers take turns going first from one round to the next.
  const order = Number(process.argv[4]) % 2 ? ["gloo", "js"] : ["js", "gloo"];
  for (const d of order) {
    const drv = drivers[d];
    const c = drv.client();
    for (let i = 0; i < 50; i++) await c.trigger("paused_target", trig); // warm-up (and version, token, Params)
    await count();
    let t = performance.now();
    for (let i = 0; i < 500; i++) await c.trigger("paused_target", trig);
    put("500 sequential triggers, one client (ms total)", d, performance.now() - t);
    put("requests per trigger (one client)", d, (await count()) / 500);
    const batches = [];
    for (let b = 0; b < 11; b++) {
      t = performance.now();
      await Promise.all(Array.from({ length: 50 }, () => c.trigger("paused_target", trig)));
      batches.push(performance.now() - t);
    }
    put("50 concurrent triggers, one client (ms per batch, median of 11)", d, median(batches));
    c.free();
    for (let i = 0; i < 10; i++) await drv.once();
    await count();
    t = performance.now();
    for (let i = 0; i < 100; i++) await drv.once();
    put("100 sequential triggers, a new client each (ms total)", d, performance.now() - t);
    put("requests per trigger (new client each)", d, (await count()) / 100);
  }
  console.log(JSON.stringify(res));
  process.exit(0);
}

// ---- Parent -----------------------------------------------------------------------------------
const BUILDS = [
  ["text", "shipped: JSON text, JS driver", null, "js"],
  ["swb", "validators through serde-wasm-bindgen", "swb.patch", "js-swb"],
  ["gloo", "+ trigger driven from Rust (GlooTransport)", "gloo.patch", "js-gloo"],
];

if (!process.argv.includes("--no-build")) {
  mkdirSync(out, { recursive: true });
  for (const [name, , patch, features] of BUILDS) {
    const p = patch && join(root, "scripts/bench/boundary", patch);
    if (p) execFileSync("git", ["apply", p], { cwd: root });
    try {
      console.error(`building ${name} (FEATURES=${features}) ...`);
      execFileSync("bash", ["scripts/build.sh"], { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, FEATURES: features } });
    } finally {
      if (p) execFileSync("git", ["apply", "-R", p], { cwd: root });
    }
    rmSync(join(out, name), { recursive: true, force: true });
    cpSync(join(root, "pkg"), join(out, name), { recursive: true });
  }
  // Leave pkg/ as the shipped build.
  rmSync(join(root, "pkg"), { recursive: true, force: true });
  cpSync(join(out, "text"), join(root, "pkg"), { recursive: true });
}
for (const [name] of BUILDS) if (!existsSync(pkgOf(name))) throw new Error(`no build in ${join(out, name)}: run without --no-build`);

const gz = (b) => gzipSync(b, { level: 9 }).length;
console.log(`Node ${process.version}; ${ROUNDS} rounds; times are medians\n`);
console.log("## Payload (gzip -9; budget 120 KB)\n");
console.log("| build | .wasm | JS glue | total | vs shipped |\n|---|---|---|---|---|");
let base;
for (const [name, label] of BUILDS) {
  const { wasm, glue } = payload(join(out, name));
  const total = gz(wasm) + gz(glue);
  base ??= total;
  console.log(`| ${name}: ${label} | ${kb(gz(wasm))} | ${kb(gz(glue))} | ${kb(total)} | ${total === base ? "" : `+${kb(total - base)}`} |`);
}

function rounds(args) {
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    const res = spawnSync(process.execPath, [new URL(import.meta.url).pathname, ...args, String(r)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (res.status !== 0) throw new Error(`${args[0]} failed:\n${res.stderr}`);
    runs.push(JSON.parse(res.stdout.trim().split("\n").pop()));
  }
  return runs;
}
const med = (runs, k, i) => median(runs.map((r) => r[k][i]));

console.log("\n## Validation (µs per call; public API, JSON.stringify/encode or the plain-value check included)\n");
console.log("| workload | call | JSON text (shipped) | serde-wasm-bindgen | swb / text |\n|---|---|---|---|---|");
const v = rounds(["--validate"]);
const us = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
for (const k of Object.keys(v[0])) {
  const [w, call] = k.split(" | ");
  const t = med(v, k, 0);
  if (v[0][k][1] === null) {
    console.log(`| ${w} | ${call} | ${us(t)} | | |`);
    continue;
  }
  const s = med(v, k, 1);
  console.log(`| ${w} | ${call} | ${us(t)} | ${us(s)} | ${(s / t).toFixed(2)}x |`);
}

console.log("\n## Numbers (ParamsValidator {n: integer} / ConfValidator {type: integer}, then the conf it returns)\n");
{
  const text = await import(pkgOf("text"));
  const swb = await import(pkgOf("swb"));
  const cases = [["1", 1], ["1.0", 1.0], ["-0", -0], ["2**53 + 2", 2 ** 53 + 2], ["2**64", 2 ** 64], ["1e21", 1e21], ["123n", 123n], ["NaN", NaN]];
  const show = (x) => (Object.is(x, -0) ? "-0" : JSON.stringify(x));
  console.log("| value | JSON text (shipped) | serde-wasm-bindgen |\n|---|---|---|");
  for (const [label, x] of cases) {
    const cells = [text, swb].map((m) => {
      try {
        const r = new m.ParamsValidator({ n: { schema: { type: "integer" }, value: 0 } }).validate({ n: x });
        return `integer: ${r.valid}/${new m.ConfValidator({ type: "integer" }).validate(x).valid}, conf.n = ${show(r.conf.n)}`;
      } catch (e) {
        return `${e.code}: ${e.message.split(",")[0]}`;
      }
    });
    console.log(`| ${label} | ${cells.join(" | ")} |`);
  }
}

console.log("\n## Trigger against tests/e2e/fake-airflow.mjs (Airflow 3 fake in its own process; password auth)\n");
{
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, "--fake"], { stdio: ["pipe", "pipe", "inherit"] });
  const fake = await new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) resolve(buf.split("\n")[0]);
    });
    child.on("exit", (code) => reject(new Error(`the fake exited (${code})`)));
  });
  try {
    const t = rounds(["--trigger", fake]);
    console.log("| measure | JS driver (shipped) | GlooTransport from Rust | gloo / js |\n|---|---|---|---|");
    for (const k of Object.keys(t[0])) {
      const [j, g] = [median(t.map((r) => r[k].js)), median(t.map((r) => r[k].gloo))];
      const f = (x) => (k.startsWith("requests") ? x.toFixed(2) : `${x.toFixed(0)} ms`);
      console.log(`| ${k} | ${f(j)} | ${f(g)} | ${k.startsWith("requests") ? "" : `${(g / j).toFixed(2)}x`} |`);
    }
  } finally {
    child.stdin.end();
  }
}
