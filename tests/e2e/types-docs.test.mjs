// The package's TSDoc: every export, member, option field and parameter documented; hover shows
// it; every @example compiles against the package's types (strict), and those that need no
// Airflow, network or DOM run against the built package, their `expr; // value` comments
// checked. No Airflow needed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { docProblems, examples, hoverProblems, pkgDir, ts, withoutDocBefore, withoutExampleBefore } from "./docs-check.mjs";

test("every export, member, option field and parameter of the package's types is documented", () => {
  assert.deepEqual(docProblems(), []);
});

test("hover (the language service's quick info) shows the docs and examples", () => {
  const { problems, hovers } = hoverProblems();
  assert.deepEqual(problems, []);
  assert.ok(hovers > 80, `only ${hovers} hovers checked`);
});

// The check is worth something only if it fails: remove one doc (or @example, or @param) at a
// time and see it named.
const read = (file) => readFileSync(pkgDir + file, "utf8");
const mutations = [
  ["api.d.ts", (t) => withoutDocBefore(t, "  trigger<C = unknown>(dagId"), "AirflowClient.trigger has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "  validate(instance: unknown)"), "ConfValidator.validate has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "  validate(conf: unknown)"), "ParamsValidator.validate has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "export declare function paramsToSchema"), "paramsToSchema has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "export type JsonValue"), "JsonValue has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "      username: string;"), "Auth.username has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "  paramsTtlMs?: number;"), "AirflowClientOptions.paramsTtlMs has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "    missingProperty: string;"), "ValidationErrorParams.required.missingProperty has no documentation"],
  ["api.d.ts", (t) => withoutDocBefore(t, "  [Symbol.dispose](): void;"), "AirflowClient.[Symbol.dispose] has no documentation"],
  ["api.d.ts", (t) => withoutExampleBefore(t, "export declare function validateConf"), "validateConf has no @example"],
  ["api.d.ts", (t) => withoutExampleBefore(t, "export interface DagRun {"), "DagRun has no @example"],
  ["api.d.ts", (t) => withoutExampleBefore(t, "  getParams(dagId"), "AirflowClient.getParams has no @example"],
  ["api.d.ts", (t) => t.replace("   * @param runId The run's id.\n", ""), "AirflowClient.getRun has no @param for runId"],
  ["error.d.ts", (t) => withoutDocBefore(t, "  readonly code: ErrorCode;"), "AirflowError.code has no documentation"],
  ["element.d.ts", (t) => withoutDocBefore(t, "  trigger(): Promise"), "AirflowTriggerElement.trigger has no documentation"],
];

for (const [file, mutate, expected] of mutations) {
  test(`the check fails without a doc: ${expected}`, () => {
    const original = read(file);
    const changed = mutate(original);
    assert.notEqual(changed, original);
    const overrides = new Map([[pkgDir + file, changed]]);
    if (file === "node.d.ts") overrides.set(pkgDir + "node.d.cts", changed);
    const problems = docProblems({ overrides });
    assert.ok(problems.some((p) => p.includes(expected)), `expected "${expected}" among:\n${problems.join("\n")}`);
  });
}

test("hover notices a missing doc too", () => {
  const overrides = new Map([[pkgDir + "api.d.ts", withoutDocBefore(read("api.d.ts"), "  validate(instance: unknown)")]]);
  const { problems } = hoverProblems({ overrides });
  assert.ok(problems.some((p) => p.includes("v_ConfValidator.validate") && p.includes("no documentation")), problems.join("\n"));
});

// ---- The examples ----

/** Whether a runtime has `[Symbol.dispose]` on the classes (the `using` examples run only then). */
async function hasDispose() {
  const { ConfValidator } = await import("../../pkg/node.js");
  return typeof Symbol.dispose === "symbol" && typeof ConfValidator.prototype[Symbol.dispose] === "function";
}

/** Examples that need Airflow, the network, or a DOM are compiled, not run. */
const NOT_RUN = /AirflowClient\b|triggerDagRun\(|\bfetch\(|\binit\(|initSync\(|document\.|location\.|airflow-trigger\/element/;

/** Whether `text` is one expression (what `expression; // value` may check). */
function isExpression(text) {
  const file = ts.createSourceFile("x.ts", `${text};`, ts.ScriptTarget.ES2022, true);
  return file.parseDiagnostics.length === 0 && file.statements.length === 1 && ts.isExpressionStatement(file.statements[0]);
}

/**
 * The example with each `expression; // value` line (a whole expression statement and a JS
 * literal as its comment) turned into an assertion that the expression has that value.
 */
function withChecks(code) {
  let checks = 0;
  const lines = code.split("\n").map((line) => {
    const m = /^(\s*)([^/\s].*?);\s*\/\/\s*(.+?)\s*$/.exec(line);
    if (!m || !isExpression(m[2]) || /^await\b/.test(m[2])) return line;
    // `console.log(x); // value` checks x.
    const logged = /^console\.log\((.*)\)$/.exec(m[2]);
    const expression = logged && isExpression(logged[1]) ? logged[1] : m[2];
    let expected;
    try {
      expected = new Function(`return (${m[3]});`)();
    } catch {
      return line; // prose, not a value
    }
    if (typeof expected === "function" || expected === undefined) return line;
    checks++;
    return `${m[1]}__check(() => (${expression}), ${JSON.stringify(expected)}, ${JSON.stringify(expression)});`;
  });
  const prelude = `import { deepStrictEqual as __eq } from "node:assert";\nconst __check = (f: () => unknown, v: unknown, what: string) => __eq(f(), v, what);\n`;
  return { code: prelude + lines.join("\n"), checks };
}

test("every @example compiles (strict, lib esnext and dom) against the package, and those that need no Airflow run", async (t) => {
  const all = examples();
  assert.ok(all.length > 50, `only ${all.length} examples`);
  const dir = mkdtempSync(join(tmpdir(), "at-examples-"));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(pkgDir, join(dir, "node_modules", "airflow-trigger"), "dir");
    const files = all.map((e, i) => {
      const file = join(dir, `example-${i}.mts`);
      writeFileSync(file, `// ${e.where}\n${e.code}\nexport {};\n`);
      return file;
    });
    const options = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
      types: [],
    };
    const program = ts.createProgram(files, options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const i = d.file ? files.indexOf(d.file.fileName) : -1;
      const where = i >= 0 ? `${all[i].where} (line ${d.file.getLineAndCharacterOfPosition(d.start).line})` : d.file?.fileName ?? "";
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
    assert.deepEqual(problems, [], "examples that do not compile");

    const dispose = await hasDispose();
    let ran = 0;
    let checked = 0;
    const skipped = [];
    for (const [i, e] of all.entries()) {
      if (NOT_RUN.test(e.code)) continue;
      if (/\busing\b/.test(e.code) && !dispose) {
        skipped.push(e.where);
        continue;
      }
      const { code, checks } = withChecks(e.code);
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      const file = join(dir, `run-${i}.mjs`);
      writeFileSync(file, js);
      try {
        execFileSync(process.execPath, [file], { cwd: dir, stdio: "pipe", timeout: 20_000 });
      } catch (err) {
        assert.fail(`${e.where}: the example fails when run:\n${err.stderr}\n${js}`);
      }
      ran++;
      checked += checks;
    }
    t.diagnostic(`${all.length} examples compiled; ${ran} ran, with ${checked} values checked`);
    if (skipped.length) t.diagnostic(`not run (the runtime has no [Symbol.dispose] on the classes yet): ${skipped.join(", ")}`);
    assert.ok(ran >= 20, `only ${ran} examples ran`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
