// The gateway deploys the way gateway/README.md says: `npm install` in gateway/ (airflow-trigger
// from ../pkg), then `wrangler deploy`. Here the real wrangler CLI — the root devDependency, pinned
// exactly, the version gateway/package.json pins — runs `deploy --dry-run --outdir` in a copy of
// gateway/ (the checkout is left as it is), and the test reads what it would upload: the worker
// bundle, the .wasm as a module of its own (CompiledWasm: application/wasm in the upload form), the
// size wrangler reports; then the bundle it wrote runs in workerd.
//
//   node --test --test-reporter=tap tests/e2e/gateway-deploy.test.mjs   (after `make build`)
//
// Offline: --dry-run needs no account, no login and no network (no metrics: WRANGLER_SEND_METRICS=
// false; CI=1: nothing interactive; wrangler's logs go to a temporary XDG_CONFIG_HOME). No Airflow:
// the worker's one trigger goes to a fake (tests/e2e/fake-airflow.mjs). Wrangler needs a newer
// Node.js than the machine's: scripts/install-tools.sh puts one in .tools/node22, used for wrangler
// alone. A missing wrangler or Node.js fails the tests here, never skips them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { after, describe, test } from "node:test";

import { fakeAirflow } from "./fake-airflow.mjs";
import { startWorker } from "./workerd.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = join(root, "pkg");
const WRANGLER = join(root, "node_modules/.bin/wrangler");
const HOOK = fileURLToPath(new URL("./wrangler-upload-form.mjs", import.meta.url));
const TOKEN = "gateway-token-deploy";
const kib = (n) => `${(n / 1024).toFixed(2)} KiB`;

/** A Node.js that satisfies wrangler's `engines` (">=22.12.0"): the running one, else .tools/node22's. */
function nodeForWrangler() {
  const engines = JSON.parse(readFileSync(join(root, "node_modules/wrangler/package.json"), "utf8")).engines?.node ?? ">=0.0.0";
  const min = engines.match(/^>=\s*(\d+)\.(\d+)\.(\d+)$/);
  assert.ok(min, `wrangler's engines.node is ${JSON.stringify(engines)}: this test reads only ">=x.y.z"`);
  const ok = (v) => {
    const have = v.replace(/^v/, "").split(".").map(Number);
    for (let i = 0; i < 3; i++) if (have[i] !== Number(min[i + 1])) return have[i] > Number(min[i + 1]);
    return true;
  };
  if (ok(process.versions.node)) return { node: process.execPath, version: process.versions.node };
  const tools = join(root, ".tools/node22/node_modules/.bin/node");
  const version = existsSync(tools) ? spawnSync(tools, ["--version"], { encoding: "utf8" }).stdout.trim() : "";
  assert.ok(version && ok(version), `wrangler needs Node.js ${engines}; this is ${process.version}, and ${relative(root, tools)} ` +
    `${version ? `is ${version}` : "is missing"}: run scripts/install-tools.sh (make install)`);
  return { node: tools, version };
}

let work; // the temporary folder: gateway/ copied, wrangler's output, its config
let out; // wrangler's --outdir
let run; // { status, stdout, stderr, output } of `wrangler deploy --dry-run`
let form; // the upload form's parts: { name, type, size }
let meta; // esbuild's metafile (--metafile)
let upload; // { size, gzip } in KiB as wrangler printed them
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies?.wrangler;

/** `npm install` in a copy of gateway/, then `wrangler deploy --dry-run`: sets the variables above. */
function deploy() {
  assert.ok(existsSync(WRANGLER), `${relative(root, WRANGLER)} is missing: the wrangler devDependency is not installed (make install runs npm ci)`);
  assert.match(pinned ?? "", /^\d+\.\d+\.\d+$/, "package.json pins wrangler to an exact version");
  const { node, version } = nodeForWrangler();
  work = mkdtempSync(join(tmpdir(), "airflow-trigger-deploy-"));

  // gateway/ as a user has it, without anything an earlier install or deploy left in the checkout.
  const gateway = join(work, "gateway");
  cpSync(join(root, "gateway"), gateway, {
    recursive: true,
    filter: (src) => !["node_modules", ".wrangler", "package-lock.json", "dist"].includes(relative(join(root, "gateway"), src).split("/")[0]),
  });
  // Its ../pkg, pointed at this checkout's built package by absolute path; wrangler comes from the
  // root's node_modules (the same pinned version), so `npm install` needs no registry.
  const manifest = JSON.parse(readFileSync(join(gateway, "package.json"), "utf8"));
  assert.equal(manifest.dependencies?.["airflow-trigger"], "file:../pkg", "gateway/package.json takes airflow-trigger from ../pkg");
  assert.equal(manifest.devDependencies?.wrangler, pinned, "gateway/package.json pins the wrangler the root package.json pins");
  manifest.dependencies["airflow-trigger"] = `file:${pkg}`;
  delete manifest.devDependencies.wrangler;
  writeFileSync(join(gateway, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund"], { cwd: gateway, encoding: "utf8" });
  assert.equal(install.status, 0, `npm install in gateway/ failed:\n${install.stdout}\n${install.stderr}`);
  assert.equal(realpathSync(join(gateway, "node_modules/airflow-trigger")), realpathSync(pkg), "gateway's airflow-trigger is this checkout's pkg/");

  // `wrangler deploy`, from gateway/, as the README says; --dry-run writes what it would upload.
  out = join(work, "out");
  const formFile = join(work, "form.jsonl");
  const env = {
    ...process.env,
    PATH: `${dirname(node)}:${process.env.PATH}`, // wrangler's `#!/usr/bin/env node`
    CI: "1",
    WRANGLER_SEND_METRICS: "false",
    XDG_CONFIG_HOME: join(work, "config"),
    NO_COLOR: "1",
    NODE_OPTIONS: `--import=${pathToFileURL(HOOK)}`,
    AT_WRANGLER_FORM: formFile,
  };
  for (const k of Object.keys(env)) if (/^(CLOUDFLARE_|CF_)/.test(k) || k === "NODE_TEST_CONTEXT") delete env[k];
  const ver = spawnSync(WRANGLER, ["--version"], { cwd: gateway, env: { ...env, NODE_OPTIONS: "" }, encoding: "utf8" });
  assert.equal(ver.stdout.trim(), pinned, `node_modules/.bin/wrangler is the pinned version (on Node.js ${version}):\n${ver.stdout}${ver.stderr}`);
  const r = spawnSync(WRANGLER, ["deploy", "--dry-run", "--outdir", out, "--metafile", join(work, "meta.json")],
    { cwd: gateway, env, encoding: "utf8", timeout: 120_000 });
  run = { ...r, output: `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
  form = existsSync(formFile) ? readFileSync(formFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
  meta = existsSync(join(work, "meta.json")) ? JSON.parse(readFileSync(join(work, "meta.json"), "utf8")) : null;
  const m = run.output.match(/Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/);
  upload = m && { size: Number(m[1]), gzip: Number(m[2]) };
  console.log(`wrangler ${pinned} (Node.js ${version}) deploy --dry-run: ${m ? m[0] : "no Total Upload line"}`);
}
after(() => work && rmSync(work, { recursive: true, force: true }));

/** Each test past the first reads what wrangler wrote: none when it failed. */
function built() {
  assert.equal(run?.status, 0, "wrangler deploy --dry-run failed: its output is in the first test's failure");
}

/** The outdir's .wasm module (exactly one). */
function wasmFile() {
  const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm module in the outdir: ${readdirSync(out).join(", ")}`);
  return wasm[0];
}

describe("wrangler deploy --dry-run of gateway/", () => {
  test("npm install in gateway/, then wrangler deploy --dry-run: exits 0 and writes the bundle to --outdir", () => {
    deploy();
    assert.equal(run.status, 0, `wrangler exited ${run.status}${run.signal ? ` (${run.signal})` : ""}:\n${run.output}`);
    assert.match(run.output, /--dry-run: exiting now/);
    // worker.js, its source map, the .wasm and wrangler's own README.md: nothing else.
    const files = readdirSync(out).sort();
    const unexpected = files.filter((f) => !["worker.js", "worker.js.map", "README.md"].includes(f) && !f.endsWith(".wasm"));
    assert.deepEqual(unexpected, [], `unexpected files in the outdir: ${files.join(", ")}`);
    assert.ok(files.includes("worker.js"), `no worker.js in the outdir: ${files.join(", ")}`);
  });

  test("the .wasm is a module of its own, the package's byte for byte, and the bundle imports it", () => {
    built();
    const wasm = wasmFile();
    assert.match(wasm, /(^|-)airflow_trigger_full_bg\.wasm$/);
    assert.ok(readFileSync(join(out, wasm)).equals(readFileSync(join(pkg, "airflow_trigger_full_bg.wasm"))),
      `${wasm} differs from pkg/airflow_trigger_full_bg.wasm`);
    const js = readFileSync(join(out, "worker.js"), "utf8");
    assert.match(js, new RegExp(`^import \\w+ from "\\./${wasm.replace(/\./g, "\\.")}";$`, "m"), "worker.js imports the .wasm module");
    assert.ok(!js.includes("WebAssembly.compile("), "the bundle does not compile wasm at run time (workerd cannot)");
    // esbuild's view: the bundle's one import is that module, left out of the bundle.
    const imports = meta?.outputs?.[relative(join(work, "gateway"), join(out, "worker.js"))]?.imports;
    assert.deepEqual(imports, [{ path: `./${wasm}`, kind: "import-statement", external: true }]);
  });

  test("the upload form sends the .wasm as a CompiledWasm module (application/wasm)", () => {
    built();
    assert.ok(form.length > 0, `wrangler ${pinned} built no upload form through the global File that ${relative(root, HOOK)} ` +
      "watches: a newer wrangler may build it otherwise (update the hook)");
    const wasm = wasmFile();
    const parts = Object.fromEntries(form.map((p) => [p.name.replace(/^\.\//, ""), p]));
    assert.equal(parts["worker.js"]?.type, "application/javascript+module", `worker.js is the main ES module: ${JSON.stringify(form)}`);
    assert.equal(parts[wasm]?.type, "application/wasm",
      `${wasm} must go up as a compiled wasm module (wrangler.toml's CompiledWasm rule), not ${parts[wasm]?.type}: ${JSON.stringify(form)}`);
    assert.equal(parts[wasm].size, readFileSync(join(pkg, "airflow_trigger_full_bg.wasm")).length);
    const modules = form.filter((p) => p.type !== "application/source-map").map((p) => p.name.replace(/^\.\//, "")).sort();
    assert.deepEqual(modules, ["worker.js", wasm].sort(), "the worker's modules are worker.js and the .wasm");
  });

  test("the bundle is the gateway and airflow-trigger, and nothing else of the repository", () => {
    built();
    const inputs = Object.keys(meta?.inputs ?? {}).map((p) => resolve(work, "gateway", p));
    const gatewayFiles = inputs.filter((p) => dirname(p) === join(work, "gateway")).map((p) => relative(join(work, "gateway"), p)).sort();
    const pkgFiles = inputs.filter((p) => dirname(p) === realpathSync(pkg)).map((p) => relative(pkg, p)).sort();
    const other = inputs.filter((p) => dirname(p) !== join(work, "gateway") && dirname(p) !== realpathSync(pkg));
    assert.deepEqual(other, [], "inputs from elsewhere (tests, node_modules, ...)");
    assert.deepEqual(gatewayFiles, ["identity.js", "webhook.js", "worker.js"]);
    assert.ok(pkgFiles.includes("workerd.js") && pkgFiles.includes("index.js"), `pkg/ inputs: ${pkgFiles.join(", ")}`);
    const js = readFileSync(join(out, "worker.js"), "utf8");
    for (const name of ["AirflowClient", "ParamsValidator", "is not initialised", // airflow-trigger
      "verifyAccess", "eventsOf", "INVALID_CONF", "gw_sig_"]) { // the gateway
      assert.ok(js.includes(name), `the bundle has no ${name}`);
    }
    for (const text of ["node:test", "fake-airflow", "tests/e2e"]) assert.ok(!js.includes(text), `the bundle contains ${text}`);
  });

  test("wrangler's reported upload is the bundle plus the .wasm, under 1 MiB gzip", (t) => {
    built();
    assert.ok(upload, `no "Total Upload: … KiB / gzip: … KiB" line in wrangler's output:\n${run.output}`);
    const js = readFileSync(join(out, "worker.js"));
    const wasm = readFileSync(join(out, wasmFile()));
    assert.equal(upload.size.toFixed(2), ((js.length + wasm.length) / 1024).toFixed(2), "Total Upload = worker.js + the .wasm");
    const gz = (b) => gzipSync(b, { level: 9 }).length;
    const line = `Total Upload ${upload.size.toFixed(2)} KiB / gzip ${upload.gzip.toFixed(2)} KiB (wrangler ${pinned}): ` +
      `worker.js ${kib(js.length)} (${kib(gz(js))} gzip -9) + ${wasmFile()} ${kib(wasm.length)} (${kib(gz(wasm))} gzip -9)`;
    t.diagnostic(line);
    assert.ok(upload.gzip < 1024, `gzip upload ${upload.gzip} KiB is not under 1 MiB`);
    assert.ok(upload.gzip < upload.size, "gzip is smaller than raw");
  });

  test("the bundle wrangler wrote runs in workerd: the .wasm instantiates and validates conf", async () => {
    built();
    const fake = await fakeAirflow({ major: 3 });
    const mf = await startWorker(out, {
      AIRFLOW_URL: fake.url,
      AIRFLOW_USERNAME: fake.user,
      AIRFLOW_PASSWORD: fake.password,
      ALLOWED_DAGS: "paused_target",
      GATEWAY_TOKEN: TOKEN,
    });
    try {
      const auth = { Authorization: `Bearer ${TOKEN}` };
      const list = await mf.dispatchFetch("http://gateway/dags", { headers: auth });
      assert.equal(list.status, 200);
      assert.deepEqual((await list.json()).dags, [{ dagId: "paused_target" }]);
      // A conf against the DAG's Params (n: integer): checked by the package's wasm validator.
      const res = await mf.dispatchFetch("http://gateway/dags/paused_target/trigger", {
        method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ conf: { n: "one" } }),
      });
      const body = await res.json();
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(body.error.code, "INVALID_CONF");
      assert.ok(body.error.errors.some((e) => e.instancePath === "/n"), JSON.stringify(body.error.errors));
      assert.equal(fake.runs.size, 0, "no run was created");
    } finally {
      await fake.close(); // first: a worker that failed to start throws from dispose()
      await mf.dispose();
    }
  });
});
