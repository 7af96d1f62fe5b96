// The package's shape: types without `any`, a strict TypeScript consumer compiles, and a wrong
// option is a type error.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

const pkg = new URL("../../pkg/", import.meta.url);

test("no `any` in the package's types", () => {
  for (const file of readdirSync(pkg).filter((f) => f.endsWith(".d.ts") || f.endsWith(".d.cts"))) {
    const text = readFileSync(new URL(file, pkg), "utf8");
    const hits = text.split("\n").filter((line) => /\bany\b/.test(line) && !/^\s*(\*|\/\/)/.test(line));
    assert.deepEqual(hits, [], `${file} uses any`);
  }
});

test("a strict TypeScript consumer compiles; a wrong option does not", () => {
  const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const consumer = new URL("./consumer.ts", import.meta.url).pathname;
  execFileSync(process.execPath, [tsc, "--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext",
    "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck", "false", consumer], { stdio: "pipe" });
});
