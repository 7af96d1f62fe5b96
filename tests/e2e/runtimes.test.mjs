// The packed package (`npm pack` output installed into a temporary project, never the source
// folder) in every runtime: Node (import and require), Deno (narrow permissions), Bun, workerd
// (miniflare), Chromium (plain ESM with an import map, an esbuild bundle, a Vite build). Each runs
// tests/runtimes/smoke.mjs: validate, build a request, trigger a real Airflow 3.3.2 run — which
// the test then reads back from Airflow itself.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { bundleWorker } from "../../scripts/worker-bundle.mjs";
import { launch, serveStatic, watchProblems } from "./browser.mjs";
import { deleteRuns, getRun, requireServers, servers } from "./helpers.mjs";
import { startWorker } from "./workerd.mjs";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
const af = () => servers.find((s) => s.major === 3);
// Airflow's CORS settings (scripts/airflow.sh) allow pages from this origin.
const PAGE_PORT = 18090;

let dir;
let project;
before(async () => {
  requireServers();
  dir = mkdtempSync(join(tmpdir(), "airflow-trigger-runtimes-"));
  await run("npm", ["pack", join(root, "pkg"), "--pack-destination", dir, "--silent"]);
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "smoke", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--silent", join(dir, tarball)], { cwd: project });
  cpSync(join(root, "tests/runtimes"), project, { recursive: true });
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

/**
 * Checks a smoke result, then the run in Airflow (through the API, not the package), and removes it.
 * `pythonRe`: true where the runtime's module reads patterns with Python's `re` (the full module),
 * "refused" where it refuses them in the Airflow modes (the browser's default module).
 */
async function check(result, runtime, pythonRe = true) {
  const server = af();
  assert.equal(result.pythonRe, pythonRe, pythonRe === true ? "the full module: Python's re" : "the browser's default module refuses");
  assert.deepEqual(result.invalidPaths, ["/n", "/runtime"]);
  assert.equal(result.valid, true);
  assert.deepEqual(result.request, {
    method: "POST",
    url: `${server.url}/api/v2/dags/paused_target/dagRuns`,
    body: { conf: { runtime }, dag_run_id: "r1", logical_date: null },
    curl: true,
  });
  assert.deepEqual(result.refused, { isAirflowError: true, code: "INVALID_ARGUMENT", field: "dagId" });
  assert.deepEqual(result.run.conf, { runtime });
  assert.equal(result.run.dagPaused, true);
  const stored = await getRun(server, "paused_target", result.run.dagRunId);
  assert.deepEqual(stored.conf, { runtime });
  await deleteRuns(server, "paused_target", [result.run.dagRunId]);
}

async function serverSide(runtime, command, args) {
  const s = af();
  const { stdout } = await run(command, [...args, runtime, s.url, s.user, s.password], { cwd: project });
  await check(JSON.parse(stdout.trim().split("\n").pop()), runtime);
}

test("types resolve for import, require and bundlers; wrong options are type errors", async () => {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const common = ["--strict", "--noEmit", "--skipLibCheck", "false", "--target", "es2022", "--lib", "es2022,dom"];
  await run(process.execPath, [tsc, ...common, "--module", "nodenext", "--moduleResolution", "nodenext", "consumer.mts", "consumer.cts"], { cwd: project });
  await run(process.execPath, [tsc, ...common, "--module", "esnext", "--moduleResolution", "bundler", "consumer.mts"], { cwd: project });
});

describe("the packed package in every runtime, against Airflow 3.3.2", () => {
  test("Node, import", () => serverSide("node-import", process.execPath, ["server-side.mjs"]));

  test("Node, require", () => serverSide("node-require", process.execPath, ["require.cjs"]));

  test("Deno, with only --allow-read of the project and --allow-net to Airflow", () => {
    const host = new URL(af().url).host;
    return serverSide("deno", join(root, ".tools/node_modules/.bin/deno"), ["run", "--quiet", `--allow-read=${project}`, `--allow-net=${host}`, "server-side.mjs"]);
  });

  test("Bun", () => serverSide("bun", bin("bun"), ["server-side.mjs"]));

  test("workerd (miniflare): the .wasm imported as a module", async () => {
    // The installed package itself, no alias: the bundler picks its workerd entry.
    const out = join(project, "dist-worker");
    bundleWorker({ entry: "worker.mjs", cwd: project, pkg: join(project, "node_modules/airflow-trigger"), outDir: out });
    const s = af();
    const mf = await startWorker(out, { AF_URL: s.url, AF_USER: s.user, AF_PASSWORD: s.password });
    try {
      const res = await mf.dispatchFetch("http://worker/");
      const text = await res.text();
      assert.equal(res.status, 200, text);
      await check(JSON.parse(text), "workerd");
    } finally {
      await mf.dispose();
    }
  });

  describe("Chromium", () => {
    let browser;
    let site;
    before(async () => {
      // Plain ESM: an import map points the bare specifier at the installed package.
      writeFileSync(join(project, "esm.html"), `<!doctype html><link rel="icon" href="data:,"><script type="importmap">{"imports":{"airflow-trigger":"/node_modules/airflow-trigger/index.js"}}</script><script type="module" src="/browser.mjs"></script>`);
      // esbuild: one bundle; the .wasm is copied next to it (init() finds it through import.meta.url).
      const esb = join(project, "dist-esbuild");
      await run(bin("esbuild"), ["browser.mjs", "--bundle", "--format=esm", "--platform=browser", `--outfile=${join(esb, "app.js")}`, "--log-level=warning"], { cwd: project });
      cpSync(join(project, "node_modules/airflow-trigger/airflow_trigger_bg.wasm"), join(esb, "airflow_trigger_bg.wasm"));
      writeFileSync(join(esb, "index.html"), `<!doctype html><link rel="icon" href="data:,"><script type="module" src="./app.js"></script>`);
      // Vite: a production build; Vite emits the .wasm as an asset from `new URL(..., import.meta.url)`.
      const app = join(project, "vite-app");
      mkdirSync(app);
      writeFileSync(join(app, "index.html"), `<!doctype html><link rel="icon" href="data:,"><script type="module" src="../browser.mjs"></script>`);
      await run(bin("vite"), ["build", app, "--base", "./", "--outDir", join(project, "dist-vite"), "--logLevel", "warn"], { cwd: project });
      // airflow-trigger/full: plain ESM (the import map points at full.js) and a Vite build, which
      // must emit the full module.
      writeFileSync(join(project, "esm-full.html"), `<!doctype html><link rel="icon" href="data:,"><script type="importmap">{"imports":{"airflow-trigger/full":"/node_modules/airflow-trigger/full.js"}}</script><script type="module" src="/browser-full.mjs"></script>`);
      const appFull = join(project, "vite-app-full");
      mkdirSync(appFull);
      writeFileSync(join(appFull, "index.html"), `<!doctype html><link rel="icon" href="data:,"><script type="module" src="../browser-full.mjs"></script>`);
      await run(bin("vite"), ["build", appFull, "--base", "./", "--outDir", join(project, "dist-vite-full"), "--logLevel", "warn"], { cwd: project });
      const emitted = readdirSync(join(project, "dist-vite-full/assets")).filter((f) => f.endsWith(".wasm"));
      assert.ok(emitted.some((f) => f.startsWith("airflow_trigger_full_bg")), `Vite emitted ${emitted.join(", ")}`);
      site = await serveStatic(new URL(`file://${project}/`), PAGE_PORT);
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await site?.close();
    });

    // The default module (the payload's budget), and the full one passed to init().
    const FULL = "/node_modules/airflow-trigger/airflow_trigger_full_bg.wasm";
    for (const [runtime, page, full] of [["browser-esm", "esm.html"], ["esbuild", "dist-esbuild/index.html"], ["vite", "dist-vite/index.html"], ["browser-esm-full", "esm.html", FULL], ["browser-esm-full-entry", "esm-full.html", "entry"], ["vite-full-entry", "dist-vite-full/index.html", "entry"]]) {
      test(`${runtime}: ${page}${full && full !== "entry" ? `, init(${full})` : ""}`, async () => {
        const context = await browser.newContext();
        try {
          const tab = await context.newPage();
          const problems = watchProblems(tab);
          await tab.goto(`${site.url}${page}`);
          await tab.waitForFunction(() => typeof globalThis.runSmoke === "function");
          const s = af();
          const result = await tab.evaluate(([config, url]) => globalThis.runSmoke(config, url && new URL(url, location.href).href),
            [{ runtime, baseUrl: s.url, username: s.user, password: s.password }, full === "entry" ? undefined : full]);
          await check(result, runtime, full ? true : "refused");
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    }
  });
});
