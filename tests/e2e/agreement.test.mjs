// ParamsValidator (the npm package's wasm) gives the verdict of Airflow's own Param validation,
// run with the Python of the real Airflow 2.11.2 and 3.3.2 venvs, on the cases of
// tests/agreement/generate.py: 5,000 realistic mixed cases and 400 for each category where Python
// differs from ECMAScript or the spec (nothing avoided). The cases go through JSON in JS first,
// as a JS caller's conf does (1.0 is 1 there, integers beyond 2^53 are rounded), so Airflow
// judges what JS would send. Disagreements are counted by name:
// - "REST exception": a Param without a default whose schema accepts null, left out of conf (the
//   details endpoint serves it as `value: null`, so it reads as a default null);
// Any other disagreement fails. Both modules of the package: the full one (pkg/node.js loads it,
// as Deno, Bun and workerd do, and a browser may), and the browser's default one (index.js with
// airflow_trigger_bg.wasm), built without Python's `re` and idna for its budget: there Params with
// `pattern`, `patternProperties`, `format: "regex"` or `"idn-hostname"` must not compile (an
// INVALID_ARGUMENT naming airflow-trigger/full), counted by name as "refused by the default
// module"; a verdict that differs from Airflow's fails there too.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";

import { readFileSync } from "node:fs";

import { AirflowClient as FullClient, ParamsValidator as FullParamsValidator } from "../../pkg/node.js";
import * as web from "../../pkg/index.js";

web.initSync({ module: readFileSync(new URL("../../pkg/airflow_trigger_bg.wasm", import.meta.url)) });
const MODULES = [
  ["full module", FullParamsValidator, FullClient],
  ["browser's default module", web.ParamsValidator, web.AirflowClient],
];
// The default module's refusal, word for word (NO_PYTHON in src/schema/mod.rs).
const NO_PYTHON = `needs Python's re: load airflow-trigger/full, or use formats "all"`;
// Params whose schema python-jsonschema's check_schema refuses (every trigger fails in Airflow):
// the full module checks that; the default module does not (no Python re for the metaschema).
// Params with an `$id` where Python's resolver keeps its base URI: in a subschema it reaches by
// `evolve(...).is_valid` (`not`, `if`, `contains`), or under a keyword that holds no schema (a
// `$ref` pointer through it). Only the full module (python-re) follows that.
const MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"]);
const SUBSCHEMAS = new Set(["additionalProperties", "unevaluatedProperties", "propertyNames", "items", "unevaluatedItems", "then", "else",
  "contentSchema", "additionalItems", "extends", "allOf", "anyOf", "oneOf", "prefixItems", ...MAPS]);
function idUnderIsValid(value, inMap = false) {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => idUnderIsValid(v));
  return Object.entries(value).some(([k, v]) => {
    if (v === null || typeof v !== "object") return false;
    if (!inMap && !Array.isArray(v) && "$id" in v && !SUBSCHEMAS.has(k)) return true;
    return idUnderIsValid(v, !inMap && MAPS.has(k));
  });
}

// Params with an `$id` or `$ref` that Python's urljoin joins otherwise than RFC 3986 (dot
// segments in an absolute URI, empty segments, `;params`, an upper-case scheme, an empty query,
// a relative root `$id`, which the crawl joins with itself): only the full module follows that.
const URLJOIN = /\.\.?\/|[^:]\/\/|;|^[A-Z][A-Za-z0-9+.-]*:|\?$/;
function urljoinDiffers(value, root = true) {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => urljoinDiffers(v, false));
  if (root && typeof value.$id === "string" && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value.$id)) return true;
  return Object.entries(value).some(([k, v]) => ((k === "$id" || k === "$ref") && typeof v === "string" && URLJOIN.test(v)) || urljoinDiffers(v, false));
}
const paramsUrljoin = (c) => Object.values(c.params).some((p) => urljoinDiffers(p.schema));

// An `$id` under `$defs` in a draft 7 schema: Python's registry does not look there (draft 7
// has `definitions`), and only the full module follows its lists.
const idUnderDefsOfDraft7 = (c) =>
  Object.values(c.params).some((p) => {
    const text = JSON.stringify(p.schema ?? null);
    return /draft-07/.test(String(p.schema?.$schema)) && text.includes('"$defs"') && text.includes('"$id"');
  });

function failsCheckSchema(c, formats) {
  try {
    new FullParamsValidator(served(c.params), { formats }).free();
    return false;
  } catch (e) {
    return e.message.includes("metaschema, which Airflow (python-jsonschema) checks first");
  }
}
// (A `$ref` to a built-in metaschema uses its `format: "regex"`.)
const usesRegex = (c) => /"(pattern|patternProperties)"|"format":"(regex|idn-hostname)"|"\$ref":"https?:\/\/json-schema\.org\//.test(JSON.stringify(c.params));

const root = new URL("../../", import.meta.url).pathname;
const CASES = Number(process.env.AGREEMENT_CASES ?? 5000);
const cases = JSON.parse(
  execFileSync("python3", [`${root}tests/agreement/generate.py`, String(CASES), process.env.AGREEMENT_SEED ?? "20261130"], {
    maxBuffer: 1 << 28,
  }),
);

/** The Params as GET /dags/{id}/details serves them: `value` null when there is no default. */
function served(params) {
  return Object.fromEntries(
    Object.entries(params).map(([name, p]) => [name, { value: "default" in p ? p.default : null, schema: p.schema, description: null }]),
  );
}

const restException = (c, message) =>
  message.includes("No value passed") && Object.entries(c.params).some(([name, p]) => !("default" in p) && !(name in c.conf));

// What a client's trigger does with each case, served these Params by a stand-in for the details
// endpoint: refused before sending (its own verdict), or the POST sent for Airflow to judge.
async function clientSends(Client, apiVersion, cases) {
  const posted = new Set();
  const client = new Client({
    baseUrl: "http://airflow.test",
    apiVersion,
    retries: 0,
    fetch: async (url, init) => {
      const dagId = decodeURIComponent(new URL(url).pathname.split("/")[4]);
      if (init.method === "POST") {
        posted.add(dagId);
        return new Response(JSON.stringify({ detail: "Invalid input for param x: stand-in", status: 400, title: "Bad Request" }), { status: 400, headers: { "content-type": "application/problem+json" } });
      }
      const c = cases[Number(dagId.slice(1))];
      return Response.json({ dag_id: dagId, is_paused: false, params: served(c.params) });
    },
  });
  const sent = [];
  for (const [i, c] of cases.entries()) {
    await client.trigger(`d${i}`, { conf: c.conf }).catch((e) => assert.equal(e.code, "INVALID_CONF", e.message));
    sent.push(posted.has(`d${i}`));
  }
  client.free();
  return sent;
}

/** Airflow's own verdicts on the cases, from its venv: computed once per version. */
const airflowVerdicts = new Map();
function verdictsOf(version) {
  if (!airflowVerdicts.has(version)) {
    const python = `${root}.airflow/venv-${version}/bin/python`;
    assert.ok(existsSync(python), `${python} is missing: run scripts/airflow.sh install (make test does)`);
    const verdicts = JSON.parse(
      execFileSync(python, [`${root}tests/agreement/airflow_verdicts.py`], {
        input: JSON.stringify(cases),
        maxBuffer: 1 << 28,
        stdio: ["pipe", "pipe", "ignore"],
      }),
    );
    assert.equal(verdicts.length, cases.length);
    airflowVerdicts.set(version, verdicts);
  }
  return airflowVerdicts.get(version);
}

for (const [version, formats] of [["2.11.2", "airflow2"], ["3.3.2", "airflow3"]]) for (const [module, ParamsValidator, Client] of MODULES) {
  test(`agreement with Airflow ${version} on ${cases.length} cases, ${module}`, () => {
    const verdicts = verdictsOf(version);
    const tally = {};
    const other = [];
    const fullOnlyByName = {};
    cases.forEach((c, i) => {
      let ours;
      let refused = null;
      try {
        const validator = new ParamsValidator(served(c.params), { formats });
        ours = validator.validate(c.conf);
        validator.free();
      } catch (e) {
        if (e.code === "INVALID_ARGUMENT" && e.message.endsWith(NO_PYTHON)) refused = "regex";
        else if (e.code === "INVALID_ARGUMENT" && e.message.includes("is not a draft this crate reads here")) refused = "draft";
        // python-jsonschema raises on a $ref it cannot resolve only where it gets there (the full
        // module too); the default module refuses the schema (it has no draft-03/04/06/2019-09
        // metaschemas either), leaving it to Airflow.
        else if (e.code === "INVALID_ARGUMENT" && / cannot be resolved: /.test(e.message)) refused = "ref";
        ours = { valid: false, errors: [{ instancePath: "", message: String(e.message) }] };
      }
      const t = (tally[c.category] ??= { cases: 0, agree: 0, rest: 0, regex: 0, declined: 0, unresolved: 0, unchecked: 0, idIsValid: 0, dynamicScope: 0, urljoin: 0, fullOnly: 0, other: 0 });
      t.cases++;
      const airflow = verdicts[i].valid;
      const defaultModule = ParamsValidator === web.ParamsValidator;
      // Only the default module refuses for want of Python's re, and only Params that use it.
      if (refused === "regex") assert.ok(defaultModule && usesRegex(c), `#${i} ${JSON.stringify(c.params)}: ${ours.errors[0]?.message}`);
      if (refused === "regex") t.regex++;
      else if (refused === "draft") t.declined++;
      else if (refused === "ref") {
        assert.ok(defaultModule, `#${i}: only the default module refuses an unresolvable $ref: ${ours.errors[0]?.message}`);
        t.unresolved++;
      }
      else if (ours.valid === airflow) t.agree++;
      else if (!airflow && restException(c, verdicts[i].message)) t.rest++;
      else if (defaultModule && !airflow && failsCheckSchema(c, formats)) t.unchecked++;
      else if (defaultModule && (idUnderIsValid(c.params) || idUnderDefsOfDraft7(c))) t.idIsValid++;
      // The default module's dynamic scope is the spec's (every resource entered), not
      // `referencing`'s (only the bases `$ref` lookups pushed): counted by name.
      else if (defaultModule && JSON.stringify(c.params).includes('"$dynamicRef"')) t.dynamicScope++;
      else if (defaultModule && paramsUrljoin(c)) t.urljoin++;
      // A twist generate.py marks as followed by the full module only (python-re).
      else if (defaultModule && c.fullOnly) {
        t.fullOnly++;
        fullOnlyByName[c.fullOnly] = (fullOnlyByName[c.fullOnly] ?? 0) + 1;
      }
      else {
        t.other++;
        other.push(`#${i} params=${JSON.stringify(c.params)} conf=${JSON.stringify(c.conf)}: Airflow ${airflow ? "accepts" : `rejects (${verdicts[i].message})`}, we ${ours.valid ? "accept" : `reject (${ours.errors.map((e) => `${e.instancePath} ${e.message}`).join("; ")})`}`);
      }
    });
    const sum = (k) => Object.values(tally).reduce((a, t) => a + t[k], 0);
    console.log(
      `Airflow ${version} (wasm, ${module}): ${sum("agree")} of ${cases.length} verdicts agree (${((100 * sum("agree")) / cases.length).toFixed(2)} %); disagreements: REST exception ${sum("rest")}, refused by the default module ${sum("regex")}, declined (a $schema of a draft not read here) ${sum("declined")}, $ref refused by the default module ${sum("unresolved")}, schema not checked by the default module ${sum("unchecked")}, $id where Python keeps its base, in the default module ${sum("idIsValid")}, $dynamicRef's scope in the default module ${sum("dynamicScope")}, ids and refs Python's urljoin joins otherwise, in the default module ${sum("urljoin")}, followed by the full module only ${sum("fullOnly")} (${JSON.stringify(fullOnlyByName)}), other ${sum("other")}`,
    );
    for (const [cat, t] of Object.entries(tally).sort()) {
      console.log(`  ${cat}: ${t.agree} of ${t.cases} agree; REST exception ${t.rest}, refused by the default module ${t.regex}, declined ${t.declined}, $ref refused ${t.unresolved}, schema unchecked ${t.unchecked}, $id under not/if/contains ${t.idIsValid}, full module only ${t.fullOnly}, other ${t.other}`);
    }
    for (const d of other.slice(0, 40)) console.log(`  DISAGREE ${d}`);
    assert.equal(other.length, 0);
  });

  // The client never refuses a conf Airflow takes: where its module is exact it refuses exactly
  // what Airflow refuses; the default module leaves Params with a regular expression (or
  // idn-hostname) to Airflow, sending the POST.
  test(`a client's trigger never refuses what Airflow ${version} accepts, ${module}`, async () => {
    const verdicts = verdictsOf(version);
    const sent = await clientSends(Client, formats === "airflow2" ? "v1" : "v2", cases);
    let refusedLocally = 0;
    let leftToAirflow = 0;
    const knownRefused = {};
    const wrong = [];
    cases.forEach((c, i) => {
      if (!sent[i]) refusedLocally++;
      else if (!verdicts[i].valid) leftToAirflow++;
      // (In the default module, what only the full module follows may refuse what Airflow
      // takes: counted by name.)
      if (!sent[i] && verdicts[i].valid && module !== "full module" && JSON.stringify(c.params).includes('"$dynamicRef"')) {
        knownRefused["$dynamicRef's scope in the default module"] = (knownRefused["$dynamicRef's scope in the default module"] ?? 0) + 1;
      }
      else if (!sent[i] && verdicts[i].valid && module !== "full module" && paramsUrljoin(c)) {
        knownRefused["urljoin in the default module"] = (knownRefused["urljoin in the default module"] ?? 0) + 1;
      }
      else if (!sent[i] && verdicts[i].valid && module !== "full module" && c.fullOnly) {
        knownRefused[`${c.fullOnly} in the default module`] = (knownRefused[`${c.fullOnly} in the default module`] ?? 0) + 1;
      }
      else if (!sent[i] && verdicts[i].valid) wrong.push(`#${i} params=${JSON.stringify(c.params)} conf=${JSON.stringify(c.conf)}`);
    });
    console.log(`Airflow ${version}, client (${module}): ${refusedLocally} refused before sending, ${leftToAirflow} refused by Airflow only, ${wrong.length} refused that Airflow accepts (besides, in the default module, what only the full module follows: ${JSON.stringify(knownRefused)})`);
    for (const d of wrong.slice(0, 20)) console.log(`  WRONGLY REFUSED ${d}`);
    assert.equal(wrong.length, 0);
    if (module === "full module") assert.ok(refusedLocally > 1000, "the full module's client refuses before sending");
  });
}
