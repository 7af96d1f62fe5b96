// The package as npm would publish it: packed from pkg/, its file list and metadata checked,
// `npm publish --dry-run` clean, then installed into a fresh project and used from ESM and
// CommonJS there (no path into the repository).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const pkg = new URL("../../pkg/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "airflow-trigger-tarball-"));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args, cwd) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=warn"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", work, pkg], work));

test("the tarball holds the README, the license, the types and the runtime, and nothing else", () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const required of ["README.md", "LICENSE", "package.json", "airflow_trigger_bg.wasm", "airflow_trigger_full_bg.wasm", "full.js", "full.d.ts", "index.js", "index.d.ts", "node.js", "node.cjs", "node.d.ts", "node.d.cts", "workerd.js", "element.js", "api.d.ts", "error.d.ts"]) {
    assert.ok(files.includes(required), `${required} is missing from ${files.join(", ")}`);
  }
  const stray = files.filter((f) => !/^(README\.md|LICENSE|package\.json|[\w.-]+\.(js|js\.map|cjs|d\.ts|d\.cts)|airflow_trigger(_full)?_bg\.wasm)$/.test(f));
  assert.deepEqual(stray, [], "only the package's own files");
  assert.ok(!files.some((f) => /test|\.rs$|Cargo|\.sh$|\.mjs$/.test(f)), `no test or build files: ${files.join(", ")}`);
  // The README is the npm user's, not the crate's.
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  assert.match(readme, /npm install airflow-trigger/);
  assert.doesNotMatch(readme, /#\d+\b(?![\w-])/, "no internal issue numbers");
});

test("package.json has the metadata npm shows", () => {
  const meta = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(meta.license, "Apache-2.0");
  assert.match(meta.repository.url, /^git\+https:\/\/.+\.git$/);
  assert.match(meta.homepage, /^https:\/\//);
  assert.match(meta.bugs.url, /^https:\/\/.+\/issues$/);
  assert.ok(meta.description.length > 20 && meta.keywords.includes("airflow"));
});

test("npm publish --dry-run is clean", () => {
  let out;
  try {
    out = execFileSync("npm", ["publish", "--dry-run", "--no-audit", "--no-fund"], { cwd: pkg, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    assert.fail(`npm publish --dry-run failed: ${e.stderr}`);
  }
  assert.match(out, /\+ airflow-trigger@/);
  // Not checked: the one warning that the dry run is not logged in (no credentials here).
});

test("installed into a fresh project, it works from ESM and CommonJS", () => {
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(["install", join(work, packed.filename)], app);
  const request = { baseUrl: "https://airflow.example.com", apiVersion: "v2", dagId: "etl", dagRunId: "r1", conf: { day: "2024-01-01" } };
  writeFileSync(join(app, "esm.mjs"), `
    import { buildTriggerRequest, ConfValidator, AirflowError } from "airflow-trigger";
    const r = buildTriggerRequest(${JSON.stringify(request)});
    const v = new ConfValidator({ type: "object", required: ["day"] });
    let e; try { buildTriggerRequest({}); } catch (x) { e = x; }
    console.log(JSON.stringify({ url: r.url, valid: v.validate({}).valid, real: Object.getPrototypeOf(e) === AirflowError.prototype }));
  `);
  writeFileSync(join(app, "cjs.cjs"), `
    const { buildTriggerRequest } = require("airflow-trigger");
    console.log(JSON.stringify({ url: buildTriggerRequest(${JSON.stringify(request)}).url }));
  `);
  const esm = JSON.parse(execFileSync(process.execPath, ["esm.mjs"], { cwd: app, encoding: "utf8" }));
  assert.deepEqual(esm, { url: "https://airflow.example.com/api/v2/dags/etl/dagRuns", valid: false, real: true });
  const cjs = JSON.parse(execFileSync(process.execPath, ["cjs.cjs"], { cwd: app, encoding: "utf8" }));
  assert.equal(cjs.url, "https://airflow.example.com/api/v2/dags/etl/dagRuns");
  // A bundler keeps `import "airflow-trigger/element"` (a side effect: it defines the element).
  writeFileSync(join(app, "page.mjs"), `import "airflow-trigger/element";\n`);
  const esbuild = new URL("../../node_modules/.bin/esbuild", import.meta.url).pathname;
  const bundle = execFileSync(esbuild, ["page.mjs", "--bundle", "--format=esm", "--log-level=error"], { cwd: app, encoding: "utf8" });
  assert.match(bundle, /customElements\.define\(/, "the element's module is in the bundle");
});

test("in that project, a strict TypeScript consumer of the installed package compiles (ESM and CommonJS)", () => {
  const app = join(work, "app");
  const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  // What users naturally have: an interface conf, unknown input, `using`, typed errors and params.
  writeFileSync(join(app, "consumer.mts"), `
    import { AirflowClient, AirflowError, ConfValidator, ParamsValidator, buildTriggerRequest, errorsText, type ErrorCode } from "airflow-trigger";
    interface EtlConf { day: string; retries?: number }
    const conf: EtlConf = { day: "2024-01-01" };
    buildTriggerRequest({ baseUrl: "https://h", apiVersion: "v2", dagId: "etl", conf });
    declare const input: unknown;
    {
      using v = new ConfValidator({ type: "object", required: ["day"] }, { strict: true, useDefaults: true });
      const r = v.validate(input);
      for (const e of r.errors) if (e.keyword === "required") e.params.missingProperty.toUpperCase();
      errorsText(r.errors);
    }
    const p = new ParamsValidator<EtlConf>({ day: { value: "2024-01-01", schema: { type: "string" } } });
    const r = p.validate(input);
    if (r.valid) r.conf.day.toUpperCase();
    const client = new AirflowClient({ baseUrl: "https://h", auth: { type: "bearer", token: "t" } });
    export async function go(): Promise<string> {
      try { return (await client.trigger("etl", { conf })).dagRunId; }
      catch (e) { if (e instanceof AirflowError) { const c: ErrorCode = e.code; return c; } throw e; }
    }
  `);
  writeFileSync(join(app, "consumer.cts"), `
    import atf = require("airflow-trigger");
    const req: atf.HttpRequest = atf.buildTriggerRequest({ baseUrl: "https://h", apiVersion: "v1", dagId: "etl" });
    export = req.url;
  `);
  for (const file of ["consumer.mts", "consumer.cts"]) {
    try {
      execFileSync(process.execPath, [tsc, "--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext",
        "--target", "esnext", "--lib", "esnext,dom", "--skipLibCheck", "false", file], { cwd: app, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      assert.fail(`${file} does not compile against the installed package:\n${e.stdout}${e.stderr}`);
    }
  }
});
