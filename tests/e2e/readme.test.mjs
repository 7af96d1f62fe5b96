// The documentation's code blocks are code: every JavaScript block of README.md, README.crate.md,
// docs/*.md and gateway/README.md must parse, and runs unless it says it cannot.
//
//   node --test --test-reporter=tap tests/e2e/readme.test.mjs      (after `make build`: runs against pkg/)
//
// What is checked:
//   - Blocks fenced as ```js, ```javascript, ```mjs, ```cjs or ```ts, and the <script type="module">
//     bodies of ```html blocks (those: parse only). A block that uses `require(` and no `import`
//     is CommonJS (.cjs); ts is transpiled by the dev dependency `typescript` first.
//   - Every block: `node --check` on a temporary file.
//   - A block without a mark runs for real, in a temporary project whose
//     node_modules/airflow-trigger is a symlink to pkg/ (the built package), with no Airflow and
//     no AIRFLOW_* variables: it must exit 0 and write nothing to stderr within 60 s.
//
// The mark: an HTML comment (invisible on GitHub and npm) on the line just before the fence.
//   <!-- test: parse — why it cannot run -->   parsed only: a fragment, or code for a browser,
//                                              a worker or a deployed gateway. The reason is required.
//   <!-- test: airflow -->                     runs against each real Airflow that
//                                              scripts/with-airflow.sh started (AF2_URL, AF3_URL: see
//                                              helpers.mjs), after the substitutions below; skipped,
//                                              saying why, when neither is set.
// Any other mark fails. Keep the marks few: a block a reader can paste and run is the point.
//
// Also checked: every relative link of these files points to a file that exists, and every
// #anchor to a heading that exists (GitHub's slugs).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { servers } from "./helpers.mjs";

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = join(root, "pkg");

// The placeholders of `airflow` blocks and what replaces them for a server `s` (helpers.mjs's
// servers: url, user, password). "text": the block's text is replaced before it is written;
// "env": the block reads the variable, which the test sets (credentials stay out of files).
const SUBSTITUTIONS = [
  { kind: "text", placeholder: '"https://airflow.example.com"', value: (s) => JSON.stringify(s.url) },
  { kind: "text", placeholder: '"etl_daily"', value: () => JSON.stringify("demo") }, // tests/airflow/dags: unpaused, runs to success
  { kind: "env", placeholder: "AIRFLOW_USERNAME", value: (s) => s.user },
  { kind: "env", placeholder: "AIRFLOW_PASSWORD", value: (s) => s.password },
];

const DOCS = [
  "README.md",
  "README.crate.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`),
  "gateway/README.md",
];

const JS_LANGS = new Set(["js", "javascript", "mjs", "cjs", "ts"]);
const MARK = /^<!--\s*test:\s*(\S+)(?:\s+[—-]\s+(.*?))?\s*-->$/;

/** The fenced blocks of a Markdown file: { file, line, lang, code, mark, reason }. */
function blocks(file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const lang = open[2].toLowerCase().split(/[,{]/)[0];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith(fence)) j++;
    const code = lines.slice(i + 1, j).join("\n");
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === "") k--;
    const m = k >= 0 ? MARK.exec(lines[k].trim()) : null;
    found.push({ file, line: i + 1, lang, code, mark: m?.[1] ?? null, reason: m?.[2] ?? null, markText: m ? lines[k].trim() : null });
    i = j;
  }
  return found;
}

/** The JavaScript to check in a block: one entry, or one per <script type="module"> of an html block. */
function scripts(b) {
  if (JS_LANGS.has(b.lang)) return [{ ...b, name: `${b.file}:${b.line} (${b.lang})` }];
  if (b.lang !== "html") return [];
  return [...b.code.matchAll(/<script\s+type="module"\s*>([\s\S]*?)<\/script>/g)].map((m, n) => ({
    ...b,
    lang: "js",
    code: m[1],
    mark: "parse",
    reason: "a module script of an html block: it needs a page",
    name: `${b.file}:${b.line} (html, module script ${n + 1})`,
  }));
}

const all = DOCS.flatMap((f) => blocks(f).flatMap(scripts));

// One temporary project for every block: airflow-trigger resolves to pkg/.
const work = mkdtempSync(join(tmpdir(), "readme-test-"));
mkdirSync(join(work, "node_modules"));
symlinkSync(pkg, join(work, "node_modules", "airflow-trigger"), "dir");
after(() => rmSync(work, { recursive: true, force: true }));

let written = 0;
function write(b, code) {
  const commonjs = b.lang === "cjs" || (/\brequire\(/.test(code) && !/^\s*(import|export)\b/m.test(code));
  let source = code;
  if (b.lang === "ts") {
    const ts = createRequire(join(root, "package.json"))("typescript");
    source = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  }
  const file = join(work, `block${++written}.${commonjs ? "cjs" : "mjs"}`);
  writeFileSync(file, source);
  return file;
}

/** Runs node on `file`; resolves to { code, stdout, stderr } whatever the exit. */
async function node(args, { env = {}, timeout }) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AIRFLOW_")));
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: work, timeout, env: { ...clean, NODE_NO_WARNINGS: "1", ...env }, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code ?? e.signal, stdout: e.stdout ?? "", stderr: e.stderr ?? String(e) };
  }
}

/** Output for a failure message: long lines (a minified bundle's source line, printed with its stack) cut. */
function clip(text) {
  const lines = text.split("\n").map((l) => (l.length > 300 ? `${l.slice(0, 300)}… (${l.length} characters)` : l));
  return lines.slice(-60).join("\n");
}

function explain(b, r) {
  return `${b.name}: exit ${r.code}\n--- stderr\n${clip(r.stderr)}\n--- stdout\n${clip(r.stdout)}\n--- block\n${b.code}`;
}

describe("the documentation's JavaScript blocks", () => {
  test("the documents have blocks, and every mark is known", () => {
    assert.ok(existsSync(join(pkg, "node.js")), "pkg/ is not built: run `make build` first");
    assert.ok(all.some((b) => b.file === "README.md" && !b.mark), "README.md has no runnable block");
    assert.ok(all.some((b) => b.mark === "airflow"), "no block runs against Airflow");
    for (const b of all) {
      if (b.mark === null || b.mark === "airflow") continue;
      assert.equal(b.mark, "parse", `${b.name}: unknown mark ${b.markText}`);
      assert.ok(b.reason, `${b.name}: ${b.markText} says no reason`);
    }
  });

  for (const b of all) {
    test(`${b.name} parses`, async () => {
      const r = await node(["--check", write(b, b.code)], { timeout: 30_000 });
      assert.equal(r.code, 0, explain(b, r));
    });

    if (b.mark === null) {
      test(`${b.name} runs against pkg/`, async () => {
        const r = await node([write(b, b.code)], { timeout: 60_000 });
        assert.equal(r.code, 0, explain(b, r));
        assert.equal(r.stderr, "", `${b.name} wrote to stderr\n${explain(b, r)}`);
      });
    }

    if (b.mark === "airflow") {
      for (const s of servers) {
        const skip = s.url ? false : `AF${s.major}_URL is not set: run through scripts/with-airflow.sh (make test-e2e) to run it on ${s.name}`;
        test(`${b.name} runs against ${s.name}`, { skip }, async () => {
          let code = b.code;
          const env = {};
          for (const sub of SUBSTITUTIONS) {
            if (sub.kind === "text") code = code.split(sub.placeholder).join(sub.value(s));
            else env[sub.placeholder] = sub.value(s);
          }
          assert.ok(!code.includes("example.com"), `${b.name}: a placeholder is left after the substitutions:\n${code}`);
          const r = await node([write(b, code)], { env, timeout: 600_000 });
          assert.equal(r.code, 0, explain({ ...b, code }, r));
          assert.equal(r.stderr, "", `${b.name} wrote to stderr\n${explain({ ...b, code }, r)}`);
        });
      }
    }
  }
});

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats.
function anchors(file) {
  const seen = new Map();
  const out = new Set();
  let fence = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const f = /^(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1];
      else if (line.startsWith(fence)) fence = null;
      continue;
    }
    if (fence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const text = h[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

describe("the documentation's relative links", () => {
  for (const file of DOCS) {
    test(`${file}: every relative link and anchor resolves`, () => {
      const text = readFileSync(join(root, file), "utf8")
        .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "") // code blocks
        .replace(/`[^`\n]*`/g, ""); // inline code
      const broken = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split("#");
        const dest = path ? resolve(dirname(join(root, file)), path) : join(root, file);
        if (!dest.startsWith(root) || !existsSync(dest)) {
          broken.push(`${target}: ${relative(root, dest)} does not exist`);
        } else if (anchor && dest.endsWith(".md") && !anchors(dest).has(anchor)) {
          broken.push(`${target}: no heading #${anchor} in ${relative(root, dest)}`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
