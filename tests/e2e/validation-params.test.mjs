// `ValidationError.params` per keyword: the table below (keyword → the keys its params have) is
// checked three ways — against what the built package really reports for a schema that fails
// each keyword, against the declared type (`ValidationErrorParams` in api.d.ts, read with the
// TypeScript checker), and against the params the Rust source builds. And every real error,
// as a literal, must type-check as the declared `ValidationErrorFor<keyword>`. No Airflow needed.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { ConfValidator, ParamsValidator } from "../../pkg/node.js";
import { makeProgram, pkgDir, ts } from "./docs-check.mjs";

const D7 = "http://json-schema.org/draft-07/schema#";
const big = Array.from({ length: 300 }, (_, i) => `value number ${i}`);

/**
 * Each keyword: the variants of its params (`required` keys always there, `optional` keys
 * sometimes), and cases that make the validators report it: `[schema, instance, options]` for
 * ConfValidator, `{ params, conf, options }` for ParamsValidator.
 */
const TABLE = {
  "false schema": { variants: [{ required: [] }], cases: [[false, 1], [{ properties: { a: false } }, { a: 1 }]] },
  type: { variants: [{ required: ["type"] }], cases: [[{ type: "integer" }, "x"], [{ type: ["integer", "null"] }, "x"], { params: { a: 1 }, conf: 5 }] },
  enum: {
    variants: [{ required: ["allowedValues"], optional: ["omitted"] }],
    cases: [[{ enum: [1, [2], { a: 3 }] }, 4], [{ enum: big }, 1], [{ enum: [[1], { a: 1 }] }, 3, { maxErrorBytes: 5 }]],
  },
  const: {
    variants: [{ required: ["allowedValue"] }, { required: ["omitted"] }],
    cases: [[{ const: { a: [1] } }, 1], [{ const: big }, 1], [{ const: [1] }, 3, { maxErrorBytes: 5 }]],
  },
  multipleOf: { variants: [{ required: ["multipleOf"] }], cases: [[{ multipleOf: 2 }, 3], [{ multipleOf: 0.1 }, 0.3, { formats: "airflow3" }]] },
  maximum: { variants: [{ required: ["comparison", "limit"] }], cases: [[{ maximum: 2 }, 3]] },
  exclusiveMaximum: { variants: [{ required: ["comparison", "limit"] }], cases: [[{ exclusiveMaximum: 2 }, 2]] },
  minimum: { variants: [{ required: ["comparison", "limit"] }], cases: [[{ minimum: 2.5 }, 1], { params: { n: { value: 0, schema: { minimum: 1 } } }, conf: {} }] },
  exclusiveMinimum: { variants: [{ required: ["comparison", "limit"] }], cases: [[{ exclusiveMinimum: 2 }, 2]] },
  maxLength: { variants: [{ required: ["limit"] }], cases: [[{ maxLength: 1 }, "ab"]] },
  minLength: { variants: [{ required: ["limit"] }], cases: [[{ minLength: 3 }, "ab"]] },
  pattern: { variants: [{ required: ["pattern"] }], cases: [[{ pattern: "^a" }, "b"], [{ pattern: "^a" }, "b", { formats: "airflow2" }]] },
  format: { variants: [{ required: ["format"] }], cases: [[{ format: "date" }, "x"], [{ format: "email" }, "x", { formats: "all" }]] },
  maxItems: { variants: [{ required: ["limit"] }], cases: [[{ maxItems: 1 }, [1, 2]]] },
  minItems: { variants: [{ required: ["limit"] }], cases: [[{ minItems: 3 }, [1]]] },
  uniqueItems: { variants: [{ required: ["i", "j"] }], cases: [[{ uniqueItems: true }, [1, 2, 1]], [{ uniqueItems: true }, [[1], [1]], { formats: "all" }]] },
  contains: {
    variants: [{ required: ["minContains"], optional: ["maxContains"] }],
    cases: [[{ contains: { type: "string" } }, [1]], [{ contains: { type: "string" }, maxContains: 1 }, ["a", "b"]], [{ contains: { type: "string" }, minContains: 2 }, ["a"]]],
  },
  maxProperties: { variants: [{ required: ["limit"] }], cases: [[{ maxProperties: 1 }, { a: 1, b: 2 }]] },
  minProperties: { variants: [{ required: ["limit"] }], cases: [[{ minProperties: 1 }, {}]] },
  required: { variants: [{ required: ["missingProperty"] }], cases: [[{ required: ["a"] }, {}], { params: { a: { value: null, schema: { type: "string" } } }, conf: {} }] },
  dependentRequired: {
    variants: [{ required: ["property", "missingProperty", "depsCount", "deps"] }],
    cases: [[{ dependentRequired: { a: ["b", "c"] } }, { a: 1 }]],
  },
  dependencies: {
    variants: [{ required: ["property", "missingProperty", "depsCount", "deps"] }],
    cases: [[{ $schema: D7, dependencies: { a: ["b"] } }, { a: 1 }]],
  },
  additionalProperties: {
    variants: [{ required: ["additionalProperty"] }],
    cases: [[{ additionalProperties: false }, { a: 1 }], { params: { a: 1 }, conf: { b: 1 }, options: { unknownKeys: "error" } }],
  },
  unevaluatedProperties: { variants: [{ required: ["unevaluatedProperty"] }], cases: [[{ unevaluatedProperties: false }, { a: 1 }]] },
  propertyNames: { variants: [{ required: ["propertyName"] }], cases: [[{ propertyNames: { maxLength: 1 } }, { ab: 1 }]] },
  items: { variants: [{ required: ["limit"] }], cases: [[{ prefixItems: [{}], items: false }, [1, 2]], [{ items: false }, [1]]] },
  additionalItems: { variants: [{ required: ["limit"] }], cases: [[{ $schema: D7, items: [{}], additionalItems: false }, [1, 2]]] },
  unevaluatedItems: { variants: [{ required: ["limit"] }], cases: [[{ prefixItems: [{}], unevaluatedItems: false }, [1, 2]]] },
  anyOf: { variants: [{ required: [] }], cases: [[{ anyOf: [{ type: "string" }, { type: "null" }] }, 1]] },
  oneOf: {
    variants: [{ required: ["passingSchemas"] }],
    cases: [[{ oneOf: [{ type: "string" }] }, 1], [{ oneOf: [{}, { type: "integer" }, {}] }, 1], [{ oneOf: [{}, {}] }, 1, { maxErrorBytes: 5 }]],
  },
  not: { variants: [{ required: [] }], cases: [[{ not: {} }, 1]] },
  if: { variants: [{ required: ["failingKeyword"] }], cases: [[{ if: {}, then: false }, 1], [{ if: false, else: { type: "string" } }, 1]] },
  maxSteps: { variants: [{ required: [] }], cases: [[{ items: { items: {} } }, [[1, 2, 3], [4]], { maxSteps: 2 }]] },
  maxDepth: { variants: [{ required: [] }], cases: [[{ $ref: "#" }, 1, { maxDepth: 2 }]] },
  schema: { variants: [{ required: [] }], cases: [[{ properties: { a: { $ref: "#/$defs/missing" } } }, { a: 1 }, { formats: "airflow3" }], [{ $schema: "http://json-schema.org/draft-03/schema#", type: ["integr"] }, 1, { strict: false }]] },
  maxErrors: {
    variants: [{ required: ["limit"] }],
    cases: [
      [{ items: { type: "string" } }, [1, 2, 3], { maxErrors: 1 }],
      [{ items: { type: "string" } }, [1, 2, 3], { maxErrorBytes: 50 }],
      { params: { a: { value: null, schema: { type: "string" } }, b: { value: null, schema: { type: "string" } } }, conf: {}, options: { maxErrors: 1 } },
    ],
  },
};

/** Every error the table's cases produce, with the case that produced it. */
function run() {
  const found = [];
  for (const [keyword, { cases }] of Object.entries(TABLE)) {
    for (const c of cases) {
      let result;
      if (Array.isArray(c)) {
        const [schema, instance, options] = c;
        const v = new ConfValidator(schema, options);
        result = v.validate(instance);
        v.free();
      } else {
        const v = new ParamsValidator(c.params, c.options);
        result = v.validate(c.conf);
        v.free();
      }
      assert.equal(result.valid, false, `${keyword}: ${JSON.stringify(c)} should be invalid`);
      const hits = result.errors.filter((e) => e.keyword === keyword);
      assert.ok(hits.length > 0, `${keyword}: ${JSON.stringify(c)} reported ${JSON.stringify(result.errors.map((e) => e.keyword))}`);
      for (const error of result.errors) found.push({ error, from: `${keyword} case ${JSON.stringify(c).slice(0, 80)}` });
    }
  }
  return found;
}

/** Whether `keys` fit one of `variants` (all its required keys, nothing but its keys). */
function fits(keys, variants) {
  return variants.some(({ required, optional = [] }) => required.every((k) => keys.includes(k)) && keys.every((k) => required.includes(k) || optional.includes(k)));
}

test("each keyword's params are what the table says, in what the package really reports", () => {
  const found = run();
  const seen = new Map(); // keyword → the set of keys seen
  for (const { error, from } of found) {
    const entry = TABLE[error.keyword];
    assert.ok(entry, `${from}: keyword ${error.keyword} is not in the table`);
    const keys = Object.keys(error.params);
    assert.ok(fits(keys, entry.variants), `${from}: ${error.keyword} params ${JSON.stringify(error.params)} fit no variant`);
    for (const k of keys) (seen.get(error.keyword) ?? seen.set(error.keyword, new Set()).get(error.keyword)).add(k);
    (seen.get(error.keyword) ?? seen.set(error.keyword, new Set()).get(error.keyword)).add(`#${JSON.stringify(keys.sort())}`);
  }
  // Every variant and every optional key of the table is really produced.
  for (const [keyword, { variants }] of Object.entries(TABLE)) {
    const keys = seen.get(keyword) ?? new Set();
    for (const { required, optional = [] } of variants) {
      assert.ok(keys.has(`#${JSON.stringify([...required].sort())}`) || optional.length, `${keyword}: no error had exactly ${JSON.stringify(required)}`);
      for (const k of optional) assert.ok(keys.has(k), `${keyword}: optional key ${k} never produced`);
    }
  }
});

test("the values' types hold too: every real error type-checks as the declared ValidationErrorFor<keyword>", () => {
  const found = run();
  const consumer = pkgDir + "__params__.ts";
  const lines = [`import type { ValidationError, ValidationErrorFor } from "./node.js";`];
  found.forEach(({ error }, i) => {
    lines.push(`const e${i}: ValidationErrorFor<${JSON.stringify(error.keyword)}> = ${JSON.stringify(error)};`);
    lines.push(`const u${i}: ValidationError = e${i}; void u${i};`);
  });
  const program = makeProgram({ overrides: new Map([[consumer, lines.join("\n")]]), extra: [consumer] });
  const problems = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(consumer))
    .map((d) => {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      const i = Math.floor((line - 1) / 2);
      return `${found[i]?.from}: ${JSON.stringify(found[i]?.error.params)}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
  assert.deepEqual(problems, []);
});

test("the table is the declared type: ValidationErrorParams has exactly these keywords and keys", () => {
  const program = makeProgram();
  const checker = program.getTypeChecker();
  const api = program.getSourceFile(pkgDir + "api.d.ts");
  const declared = checker.getExportsOfModule(checker.getSymbolAtLocation(api)).find((s) => s.name === "ValidationErrorParams");
  assert.ok(declared, "api.d.ts exports ValidationErrorParams");
  const type = checker.getDeclaredTypeOfSymbol(declared);
  const keywords = checker.getPropertiesOfType(type).map((p) => p.name);
  assert.deepEqual([...keywords].sort(), Object.keys(TABLE).sort());
  for (const prop of checker.getPropertiesOfType(type)) {
    const params = checker.getTypeOfSymbol(prop);
    const members = params.isUnion() ? params.types : [params];
    const variants = members.map((m) => {
      const required = [];
      const optional = [];
      for (const p of checker.getPropertiesOfType(m)) {
        const node = p.declarations?.[0];
        if (node?.type?.kind === ts.SyntaxKind.NeverKeyword) continue; // `omitted?: never`: absent
        (p.flags & ts.SymbolFlags.Optional ? optional : required).push(p.name);
      }
      return { required: required.sort(), optional: optional.sort() };
    });
    const table = TABLE[prop.name].variants.map(({ required, optional = [] }) => ({ required: [...required].sort(), optional: [...optional].sort() }));
    const key = (v) => JSON.stringify(v);
    assert.deepEqual(variants.map(key).sort(), table.map(key).sort(), `${prop.name}: declared ${JSON.stringify(variants)}`);
  }
});

// The Rust source: every params key it builds and every keyword it names is in the table (a
// new key or keyword there fails here until the types and the table follow).
const src = new URL("../../src/", import.meta.url);
test("the Rust source builds no params key and names no keyword the table lacks", { skip: !existsSync(src) && "no src/ (not a checkout)" }, () => {
  const validate = readFileSync(new URL("schema/validate.rs", src), "utf8");
  const params = readFileSync(new URL("params.rs", src), "utf8");
  const compile = readFileSync(new URL("schema/compile.rs", src), "utf8");
  const code = (text) => text.split("\n#[cfg(test)]")[0].replace(/^\s*\/\/.*$/gm, "");
  const all = code(validate) + code(params);

  const keys = new Set(Object.values(TABLE).flatMap(({ variants }) => variants.flatMap(({ required, optional = [] }) => [...required, ...optional])));
  const built = new Set([...all.matchAll(/json!\(\{([^}]*)\}\)/g)].flatMap((m) => [...m[1].matchAll(/"(\w+)":/g)].map((k) => k[1])));
  built.delete("properties"); // paramsToSchema's `{ "type": "object", "properties": ..., "required": ... }`, not an error's params
  built.delete("required");
  const missingKeys = [...built].filter((k) => !keys.has(k) && k !== "type");
  assert.deepEqual(missingKeys, [], "params keys built in Rust that the table lacks");
  assert.ok(built.has("missingProperty") && built.has("comparison"), `the scan found the params: ${[...built]}`);

  const named = new Set([
    ...[...all.matchAll(/keyword: "([^"]+)"\.into\(\)/g)].map((m) => m[1]),
    ...[...all.matchAll(/abort\(\s*"(\w+)"/g)].map((m) => m[1]),
    ...[...all.matchAll(/self\.error\(\s*id,\s*"([^"]+)"/g)].map((m) => m[1]),
  ]);
  const unknown = [...named].filter((k) => !(k in TABLE));
  assert.deepEqual(unknown, [], "keywords named in Rust that the table lacks");
  assert.ok(named.has("maxSteps") && named.has("false schema"), `the scan found the keywords: ${[...named]}`);

  // The compiled keywords (Kw::name): each reports under its name, or only applies subschemas.
  const applicators = ["$ref", "$dynamicRef", "properties", "patternProperties", "dependentSchemas", "prefixItems", "allOf"];
  const names = [...compile.matchAll(/Kw::\w+(?:\([^)]*\))? => "([^"]+)"/g)].map((m) => m[1]);
  assert.ok(names.length > 30, `the scan found Kw::name: ${names}`);
  assert.deepEqual(names.filter((n) => !(n in TABLE) && !applicators.includes(n)), [], "keywords of Kw::name in neither the table nor the applicators");
});
