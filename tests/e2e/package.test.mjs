// The package's shape: types without `any`, strict TypeScript consumers compile (ES module and
// CommonJS; lib es2022 and esnext; with and without @types/node), and a wrong option is a type
// error (the consumers' @ts-expect-error lines).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

const pkg = new URL("../../pkg/", import.meta.url);

test("no `any` in the package's types", () => {
  for (const file of readdirSync(pkg).filter((f) => f.endsWith(".d.ts") || f.endsWith(".d.cts"))) {
    const text = readFileSync(new URL(file, pkg), "utf8");
    const hits = text.split("\n").filter((line) => /\bany\b/.test(line) && !/^\s*(\*|\/\/)/.test(line));
    assert.deepEqual(hits, [], `${file} uses any`);
  }
});

const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
const here = (name) => new URL(`./${name}`, import.meta.url).pathname;

/** Runs tsc --strict --noEmit on `files` with `lib`; fails with tsc's output. */
// Without `extra`, no @types package is seen (node_modules/@types has @types/node): the types
// must compile without it.
const NO_TYPES = ["--typeRoots", "/nonexistent"];

function compile(files, lib, extra = NO_TYPES) {
  const args = [tsc, "--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext",
    "--target", "es2022", "--lib", lib, "--skipLibCheck", "false", ...extra, ...files.map(here)];
  try {
    execFileSync(process.execPath, args, { stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc --lib ${lib} ${extra.join(" ")} ${files.join(" ")}:\n${e.stdout}${e.stderr}`);
  }
}

test("a strict TypeScript consumer compiles; a wrong option does not", () => {
  compile(["consumer.ts"], "es2022,dom");
});

test("with lib esnext the consumer compiles, `using` included", () => {
  compile(["consumer.ts", "consumer-using.ts"], "esnext,dom");
});

test("a CommonJS consumer (node.d.cts) compiles", () => {
  compile(["consumer-require.cts"], "es2022,dom");
});

test("`using` needs lib esnext (or @types/node): with lib es2022 alone tsc says which global type is missing", () => {
  // The package declares Symbol.dispose (as lib.esnext.disposable and @types/node do), not the
  // global Disposable type a `using` declaration asks for.
  const args = [tsc, "--strict", "--noEmit", "--module", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck", "false", ...NO_TYPES, here("consumer-using.ts")];
  let output = "";
  try {
    execFileSync(process.execPath, args, { stdio: "pipe" });
  } catch (e) {
    output = `${e.stdout}`;
  }
  const codes = [...output.matchAll(/error (TS\d+)/g)].map((m) => m[1]);
  assert.ok(codes.length > 0 && codes.every((c) => c === "TS2318" || c === "TS2304"), output);
  assert.match(output, /Cannot find global type 'Disposable'/);
  assert.doesNotMatch(output, /pkg\//, "no error in the package's own files");
});

// @types/node declares Symbol.dispose too: the declarations must merge with it (a dev
// dependency; AT_TYPES_NODE may name another directory holding @types/node).
const typesNode = process.env.AT_TYPES_NODE ?? new URL("../../node_modules/@types", import.meta.url).pathname;
const haveTypesNode = existsSync(`${typesNode}/node/package.json`);
test("the consumers compile with @types/node (lib es2022 and esnext)", { skip: !haveTypesNode && "no @types/node (set AT_TYPES_NODE to a directory holding it)" }, () => {
  const extra = ["--typeRoots", typesNode, "--types", "node"];
  compile(["consumer.ts", "consumer-using.ts", "consumer-require.cts"], "es2022,dom", extra);
  compile(["consumer.ts", "consumer-using.ts", "consumer-require.cts"], "esnext,dom", extra);
  // A Node project: @types/node and no lib "dom" (the package's types name no DOM-only type).
  compile(["consumer.ts", "consumer-using.ts", "consumer-require.cts"], "es2022", extra);
  compile(["consumer.ts", "consumer-using.ts", "consumer-require.cts"], "esnext", extra);
});

test("the classes have [Symbol.dispose] at run time (what `using` calls)", async () => {
  const { AirflowClient, ConfValidator, ParamsValidator } = await import("../../pkg/node.js");
  for (const c of [AirflowClient, ConfValidator, ParamsValidator]) assert.equal(typeof c.prototype[Symbol.dispose], "function", c.name);
  const v = new ConfValidator(true);
  v[Symbol.dispose]();
  assert.throws(() => v.validate(1), /was freed/);
});
