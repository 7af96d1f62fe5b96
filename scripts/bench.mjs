// `make bench`: figures side by side, measured in one run on this machine; medians and ratios.
// Never fails on a slow machine; it fails only when the compared validators disagree on a verdict
// (a fast wrong answer is not a result). Writes BENCH.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { Validator as CfValidator } from "@cfworker/json-schema";
import { ConfValidator } from "../pkg/node.js";
import { coldStartNode, fmtRate, kb, median, rate, rates, workloads } from "./bench/workloads.mjs";
import { payload } from "./payload.mjs";

const root = new URL("../", import.meta.url).pathname;
const out = [];
const say = (line = "") => {
  console.log(line);
  out.push(line);
};
// `node scripts/bench.mjs gateway client` runs only those sections (and leaves BENCH.md alone).
const only = process.argv.slice(2);
const want = (section) => only.length === 0 || only.includes(section);
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// ---- Size ------------------------------------------------------------------------------------
function bundle(entry) {
  // Inside the project, so the entry resolves its node_modules.
  mkdirSync(join(root, ".out"), { recursive: true });
  const dir = mkdtempSync(join(root, ".out", "bench-size-"));
  try {
    writeFileSync(join(dir, "entry.mjs"), entry);
    execFileSync(join(root, "node_modules/.bin/esbuild"), [join(dir, "entry.mjs"), "--bundle", "--minify", "--format=esm",
      "--platform=browser", `--outfile=${join(dir, "out.js")}`, "--log-level=error"], { cwd: root });
    return readFileSync(join(dir, "out.js"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const { wasm, glue } = payload(join(root, "pkg"));
if (want("size")) {
const sizes = [
  ["airflow-trigger (wasm + JS glue)", gz(wasm) + gz(glue), br(wasm) + br(glue)],
  ["ajv 2020 + ajv-formats (esbuild, minified)", ...((b) => [gz(b), br(b)])(bundle(
    `import Ajv from "ajv/dist/2020.js"; import f from "ajv-formats"; const a = new Ajv(); f(a); export default a;`))],
  ["@cfworker/json-schema (esbuild, minified)", ...((b) => [gz(b), br(b)])(bundle(
    `export { Validator } from "@cfworker/json-schema";`))],
];
say("## Size (runtime payload)");
say();
say("| package | gzip -9 | brotli | vs budget 120 KB gzip |");
say("|---|---|---|---|");
for (const [name, g, b] of sizes) say(`| ${name} | ${kb(g)} | ${kb(b)} | ${name.startsWith("airflow") ? (g <= 120 * 1024 ? "within" : "over") : ""} |`);
say();
}


const python = join(root, ".airflow/venv-3.3.2/bin/python");
function pythonRate(schema, instance) {
  if (!existsSync(python)) return null;
  const dir = mkdtempSync(join(tmpdir(), "bench-py-"));
  try {
    writeFileSync(join(dir, "in.json"), JSON.stringify({ schema, instance }));
    const code = `
import json, time, sys
from jsonschema import Draft202012Validator, FormatChecker
d = json.load(open(sys.argv[1]))
v = Draft202012Validator(d["schema"], format_checker=FormatChecker())
valid = v.is_valid(d["instance"])
rates = []
for _ in range(5):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.3:
        list(v.iter_errors(d["instance"])); n += 1
    rates.append(n / (time.perf_counter() - start))
print(json.dumps({"valid": valid, "rate": sorted(rates)[2]}))`;
    const res = spawnSync(python, ["-c", code, join(dir, "in.json")], { encoding: "utf8" });
    return res.status === 0 ? JSON.parse(res.stdout) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let disagreements = 0;
if (want("throughput")) {
say("## Validation throughput in Node (all errors, formats asserted)");
say();
say("| workload | variant | airflow-trigger | ajv (compiled) | @cfworker/json-schema | Python jsonschema | vs cfworker | vs Python | vs ajv |");
say("|---|---|---|---|---|---|---|---|---|");
for (const [name, schema, good, bad] of workloads) {
  const ours = new ConfValidator(schema, { formats: "all" });
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const ajvValidate = ajv.compile(schema);
  const cf = new CfValidator(schema, "2020-12", false);
  for (const [variant, instance] of [["valid", good], ["invalid", bad]]) {
    const verdicts = [ours.validate(instance).valid, ajvValidate(instance), cf.validate(instance).valid];
    const py = pythonRate(schema, instance);
    if (py) verdicts.push(py.valid);
    const want = variant === "valid";
    if (verdicts.some((v) => v !== want)) {
      disagreements++;
      say(`| ${name} | ${variant} | verdicts disagree: ${JSON.stringify(verdicts)} (expected ${want}) | | | | | | |`);
      continue;
    }
    const [o, a, c] = rates([() => ours.validate(instance), () => ajvValidate(instance), () => cf.validate(instance)]);
    const r = { ours: o, ajv: a, cf: c };
    const x = (a, b) => (b ? `${(a / b).toFixed(1)}x` : "n/a");
    say(`| ${name} | ${variant} | ${fmtRate(r.ours)} | ${fmtRate(r.ajv)} | ${fmtRate(r.cf)} | ${py ? fmtRate(py.rate) : "n/a"} | ${x(r.ours, r.cf)} | ${py ? x(r.ours, py.rate) : "n/a"} | ${x(r.ours, r.ajv)} |`);
  }
  ours.free();
}
say();
}

// Crossing the JS/wasm boundary: the public API takes JS values and sends JSON text.
if (want("throughput")) {
  const [, schema, good] = workloads[2];
  const ours = new ConfValidator(schema, { formats: "all" });
  const total = rate(() => ours.validate(good));
  const stringify = rate(() => JSON.stringify(good));
  say("## The JS/wasm boundary (large conf, valid)");
  say();
  say(`validate(object): ${fmtRate(total)}; JSON.stringify alone: ${fmtRate(stringify)} — the text crossing costs ${((total / stringify) * 100).toFixed(0)} % of a validation.`);
  say("Values cross as JSON text (one `JSON.stringify`, one parse in Rust); walking JS objects from wasm through serde-wasm-bindgen was measured larger and slower in issue #2.");
  ours.free();
  say();
}

// ---- Cold start in Node ------------------------------------------------------------------------
if (want("cold")) {
  const [total, load, compile, validate, build] = coldStartNode(join(root, "pkg")).map((t) => t.toFixed(1));
  say("## Cold start in Node");
  say();
  say(`import -> instantiate -> compile 10 Params -> validate -> build the request: median ${total} ms of 11 fresh processes (goal 5 ms).`);
  say(`Medians of the parts: import (the ES modules, reading, compiling and instantiating the .wasm) ${load} ms, the first ParamsValidator ${compile} ms, the first validation ${validate} ms, the first request built ${build} ms (V8 compiles each wasm function on its first call).`);
  say();
}

// ---- Cold start in workerd -------------------------------------------------------------------
const { bundleWorker, GATEWAY } = await import("./worker-bundle.mjs");
const { startWorker } = await import("../tests/e2e/workerd.mjs");
const { startStub, CONF } = await import("./bench/stub-airflow.mjs");
const pkgDir = join(root, "pkg");
const benchDir = join(root, ".out", "bench-workers");
const workerOf = (name, entry) => bundleWorker({ entry, cwd: root, pkg: pkgDir, alias: "./pkg/workerd.js", outDir: join(benchDir, name) }) && join(benchDir, name);
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
if (want("cold")) {
  const dirs = { empty: workerOf("empty", "scripts/bench/empty-worker.js"), ours: workerOf("cold", "scripts/bench/cold-worker.js") };
  const times = { empty: [], ours: [] };
  for (let i = 0; i < 7; i++) {
    for (const name of ["empty", "ours"]) {
      const t0 = performance.now();
      const mf = await startWorker(dirs[name], {});
      try {
        await mf.ready;
        const body = await (await mf.dispatchFetch("http://worker/")).json();
        if (body.valid !== true) throw new Error(`cold-start worker answered ${JSON.stringify(body)}`);
        times[name].push(performance.now() - t0);
      } finally {
        await mf.dispose();
      }
    }
  }
  const [e, o] = [median(times.empty), median(times.ours)];
  say("## Cold start in workerd (miniflare)");
  say();
  say(`From starting workerd to the first answer: an empty worker ${e.toFixed(0)} ms; a worker that imports airflow-trigger (the .wasm compiled at startup, as on Cloudflare), compiles the 10 bench Params, validates a conf and builds the trigger request on its first request ${o.toFixed(0)} ms: **${(o - e).toFixed(1)} ms more** (median of 7 each).`);
  say();
}

// ---- Gateway per request in workerd -------------------------------------------------------------
if (want("gateway")) {
  const stub = await startStub();
  const bindings = { AIRFLOW_URL: stub.url, AIRFLOW_TOKEN: "bench-airflow-token", AIRFLOW_API_VERSION: "v2", GATEWAY_TOKEN: "bench-gateway-token", ALLOWED_DAGS: "bench" };
  const workers = [
    ["airflow-trigger gateway (gateway/worker.js)", bundleWorker({ ...GATEWAY, outDir: join(benchDir, "gateway") }) && join(benchDir, "gateway")],
    ["plain JS + @cfworker/json-schema", workerOf("plain", "scripts/bench/plain-worker.js")],
    ["pass-through (forwards, checks nothing)", workerOf("passthrough", "scripts/bench/passthrough-worker.js")],
  ];
  const results = [];
  const started = [];
  try {
    for (const [name, dir] of workers) started.push([name, await startWorker(dir, bindings)]);
    const once = async (name, mf) => {
      const t0 = performance.now();
      const res = await mf.dispatchFetch("http://gateway/dags/bench/trigger", { method: "POST",
        headers: { Authorization: "Bearer bench-gateway-token", "Content-Type": "application/json" }, body: JSON.stringify({ conf: CONF }) });
      const body = await res.json();
      if (res.status !== 201 || !body.run?.dag_run_id && !body.run?.dagRunId) throw new Error(`${name} answered ${res.status} ${JSON.stringify(body)}`);
      return performance.now() - t0;
    };
    // Round robin, one request to each worker per round: a slow moment hits all three alike.
    const lat = started.map(() => []);
    for (let round = 0; round < 700; round++) {
      for (const [i, [name, mf]] of started.entries()) {
        const ms = await once(name, mf);
        if (round >= 100) lat[i].push(ms);
      }
    }
    for (const [i, [name]] of started.entries()) results.push([name, percentile(lat[i], 0.5), percentile(lat[i], 0.9)]);
  } finally {
    for (const [, mf] of started) await mf.dispose();
    await stub.close();
  }
  const floor = results[2][1];
  say("## Gateway per request in workerd (validate + build + forward to a local stub)");
  say();
  say("| worker | p50 | p90 | p50 above the pass-through |");
  say("|---|---|---|---|");
  for (const [name, p50, p90] of results) say(`| ${name} | ${p50.toFixed(2)} ms | ${p90.toFixed(2)} ms | ${(p50 - floor).toFixed(2)} ms |`);
  say();
  say("600 POSTs to each after 100 warm-up, one to each worker in turn, every one answered 201; latency measured from Node through miniflare, so the pass-through row is the floor (loopback, workerd, the stub). workerd does not advance its clocks during execution, so CPU time is read as the p50 above that floor.");
  say();
}

// ---- Client overhead in Node --------------------------------------------------------------------
if (want("client")) {
  // In a fresh process: see scripts/bench/client.mjs (miniflare, imported above, slows fetch).
  const res = spawnSync(process.execPath, [join(root, "scripts/bench/client.mjs")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (res.status !== 0) throw new Error(`the client bench failed (${res.status})`);
  const rows = JSON.parse(res.stdout);
  say("## Client overhead in Node (local stub answering like Airflow 3)");
  say();
  say("| way | sequential | 16 in flight | vs raw fetch, sequential | vs raw fetch, 16 in flight | vs raw fetch with timeout, sequential | vs raw fetch with timeout, 16 in flight |");
  say("|---|---|---|---|---|---|---|");
  const pct = (x, base) => `${((base / x - 1) * 100).toFixed(1)} %`;
  for (const [name, seq, par] of rows) {
    const vs = (i, base) => (name === rows[0][0] ? "" : pct(i === 1 ? seq : par, base));
    say(`| ${name} | ${seq.toFixed(0)} /s | ${par.toFixed(0)} /s | ${vs(1, rows[0][1])} | ${vs(2, rows[0][2])} | ${name.startsWith("raw") ? "" : pct(seq, rows[1][1])} | ${name.startsWith("raw") ? "" : pct(par, rows[1][2])} |`);
  }
  say();
  say("The stub runs in its own process, as Airflow would; 16 in flight is bound by the client process's CPU, so it shows the cost per trigger. The client reads the DAG's details once (then cached for paramsTtlMs) and sends only the POSTs.");
  say();
}

// ---- Patterns: the worst cases are bounded ---------------------------------------------------------
if (want("patterns")) {
  // Patterns that hang backtracking engines, on growing inputs, with the default options: the time
  // grows in proportion to the input until maxSteps (10,000,000; 8 regex thread steps a step)
  // stops the validation, which is the bound whatever the pattern and input.
  const cases = [
    ["^(a|a)*$", (n) => "a".repeat(n) + "!"],
    ["^(\\d|\\d\\d)*$", (n) => "1".repeat(n) + "x"],
    ["^\\d*\\d*\\d*\\d*\\d*x$", (n) => "1".repeat(n)],
    ["(?=a*b)", (n) => "a".repeat(n)],
    ["^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$", (n) => "a".repeat(n)],
    ["(?:a|b|ab|ba)*c(?=(?:a|b)*$)", (n) => "ab".repeat(n / 2)],
    // The largest programs (~20,000 instructions, all threads alive): where the budget stops.
    ["(?:a?){3000}a{3000}x", (n) => "a".repeat(n)],
  ];
  const sizes = [10_000, 100_000, 1_000_000];
  say("## Patterns: worst cases (default options)");
  say();
  say(`| pattern | ${sizes.map((n) => `${n.toLocaleString("en")} chars`).join(" | ")} |`);
  say(`|---|${sizes.map(() => "---").join("|")}|`);
  for (const [pattern, text] of cases) {
    const v = new ConfValidator({ pattern });
    const cells = sizes.map((n) => {
      const s = text(n);
      const times = [];
      let r;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        r = v.validate(s);
        times.push(performance.now() - t);
      }
      const stopped = r.errors.at(-1)?.keyword === "maxSteps";
      return `${median(times).toFixed(1)} ms${stopped ? " (maxSteps)" : ""}`;
    });
    v.free();
    say(`| \`${pattern.replaceAll("|", "\\|")}\` | ${cells.join(" | ")} |`);
  }
  say();
  say("Every pattern runs on the crate's Pike VM (natively and in wasm): O(m·n) for a program of m instructions on n characters, lookaheads included. \"(maxSteps)\" marks a validation the budget stopped: its time is the bound a pattern can cost with the default options.");
  say();
}

// ---- The client against the real Airflow ----------------------------------------------------------
if (want("airflow")) {
  const res = spawnSync(join(root, "scripts/with-airflow.sh"), ["3", "--", process.execPath, join(root, "scripts/bench/client-airflow.mjs")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const last = res.stdout.trim().split("\n").pop();
  say("## Client overhead against the real Airflow 3.3.2");
  say();
  if (res.status === 0 && last.startsWith("{")) {
    const { raw, client, failed } = JSON.parse(last);
    say(`Milliseconds per trigger of a paused DAG (medians of 100 each, one of each at a time, which goes first alternating; ${failed} of 200 answered an error): raw fetch ${raw.toFixed(2)} ms, AirflowClient.trigger ${client.toFixed(2)} ms: ${((client / raw - 1) * 100).toFixed(1)} %. (Airflow's own time per trigger varies by more than the client costs: see the loopback table above for that cost.)`);
  } else {
    say(`Not measured: Airflow 3 did not start or the run failed (status ${res.status}).`);
  }
  say();
}

if (only.length === 0) writeFileSync(join(root, "BENCH.md"), `# Benchmarks\n\nMeasured by \`make bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}); ratios are the claim, absolute times depend on the machine.\n\n${out.join("\n")}\n`);
if (disagreements) {
  console.error(`${disagreements} workload(s) where the validators disagree`);
  process.exit(1);
}
