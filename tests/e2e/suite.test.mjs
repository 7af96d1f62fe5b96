// The official JSON-Schema-Test-Suite run through the built package (wasm under Node, the
// host's RegExp for patterns), like tests/json_schema_suite.rs runs it natively.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { ConfValidator } from "../../pkg/node.js";

const suite = process.env.JSON_SCHEMA_TEST_SUITE ?? new URL("../../../shared/json-schema-test-suite", import.meta.url).pathname;
const present = existsSync(join(suite, "tests"));
if (!present && process.env.CI === "true") throw new Error(`the JSON-Schema-Test-Suite is missing at ${suite}`);

function remotes() {
  const out = {};
  const walk = (dir, rel) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${rel}${name}/`);
      else if (name.endsWith(".json")) out[`http://localhost:1234/${rel}${name}`] = JSON.parse(readFileSync(path, "utf8"));
    }
  };
  walk(join(suite, "remotes"), "");
  return out;
}

function run(files, formats, draft7) {
  const resources = remotes();
  let passed = 0;
  const failed = [];
  for (const file of files) {
    for (const group of JSON.parse(readFileSync(file, "utf8"))) {
      let schema = group.schema;
      if (draft7 && schema && typeof schema === "object" && !("$schema" in schema)) {
        schema = { $schema: "http://json-schema.org/draft-07/schema#", ...schema };
      }
      let validator;
      let compileError;
      try {
        // The suite tests what the spec says of unknown keywords and other drafts: not strict.
        validator = new ConfValidator(schema, { formats, resources, strict: false });
      } catch (e) {
        compileError = e;
      }
      for (const t of group.tests) {
        const name = `${file.split("/").pop()}: ${group.description}: ${t.description}`;
        if (!validator) {
          failed.push(`${name} (compile error: ${compileError.message})`);
          continue;
        }
        const got = validator.validate(t.data);
        if (got.valid === t.valid && got.valid === (got.errors.length === 0)) passed++;
        else failed.push(`${name} (expected valid=${t.valid})`);
      }
      validator?.free();
    }
  }
  return { passed, failed };
}

const jsonFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => join(dir, f));

for (const [draft, draft7] of [["draft2020-12", false], ["draft7", true]]) {
  test(`${draft} required tests in wasm`, { skip: !present && `SKIPPED: no suite at ${suite}` }, () => {
    const { passed, failed } = run(jsonFiles(join(suite, "tests", draft)), "none", draft7);
    console.log(`${draft} (wasm): ${passed} passed, ${failed.length} failed`);
    for (const f of failed) console.log(`  FAILED: ${f}`);
    assert.equal(failed.length, 0);
  });
}
