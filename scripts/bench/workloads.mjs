// The workloads and measuring helpers `make bench` (scripts/bench.mjs) and `make bench-builds`
// (scripts/bench-builds.mjs) share.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- Workloads from realistic Params -----------------------------------------------------------
export const small = {
  day: { type: "string", format: "date" },
  count: { type: "integer", minimum: 1, maximum: 1000 },
  mode: { enum: ["fast", "safe", "dry-run"] },
  notify: { type: "boolean" },
  emails: { type: "array", items: { type: "string", format: "email" }, maxItems: 10 },
  options: { type: "object", properties: { retries: { type: "integer", minimum: 0 } }, additionalProperties: true },
  label: { type: ["null", "string"], maxLength: 80 },
  code: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" },
  ratio: { type: "number", exclusiveMinimum: 0, maximum: 1 },
  owner: { type: "string", minLength: 1 },
};
export const smallConf = { day: "2024-01-01", count: 5, mode: "safe", notify: true, emails: ["a@example.com", "b@example.org"],
  options: { retries: 2 }, label: null, code: "ABC-1234", ratio: 0.5, owner: "data-eng" };
const mediumProps = {};
const mediumConf = {};
for (let i = 0; i < 100; i++) {
  const kind = i % 5;
  if (kind === 0) {
    mediumProps[`p${i}`] = { type: "object", required: ["id", "tags"], properties: { id: { type: "integer", minimum: 0 },
      tags: { type: "array", items: { type: "string", minLength: 1 } }, when: { type: "string", format: "date-time" } } };
    mediumConf[`p${i}`] = { id: i, tags: ["a", "b"], when: "2024-01-01T00:00:00Z" };
  } else if (kind === 1) {
    mediumProps[`p${i}`] = { type: "array", items: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x"] }, maxItems: 20 };
    mediumConf[`p${i}`] = [{ x: 1, y: 2 }, { x: 3.5 }];
  } else if (kind === 2) {
    mediumProps[`p${i}`] = { enum: ["red", "green", "blue", null] };
    mediumConf[`p${i}`] = "green";
  } else if (kind === 3) {
    mediumProps[`p${i}`] = { type: "string", pattern: "^[a-z0-9_]+$", maxLength: 64 };
    mediumConf[`p${i}`] = `value_${i}`;
  } else {
    mediumProps[`p${i}`] = { type: "integer", minimum: -100, maximum: 100000, multipleOf: 5 };
    mediumConf[`p${i}`] = i * 5;
  }
}
const record = { type: "object", required: ["id", "name"], properties: { id: { type: "integer" }, name: { type: "string", maxLength: 100 },
  tags: { type: "array", items: { type: "string" } }, score: { type: "number", minimum: 0 } } };
const largeConf = { records: Array.from({ length: 9000 }, (_, i) => ({ id: i, name: `record number ${i}`, tags: ["alpha", "beta", "gamma"], score: i / 7 })) };
const objectSchema = (props, required = []) => ({ type: "object", properties: props, required });
export const workloads = [
  ["small (10 Params)", objectSchema(small, ["day", "owner"]), smallConf, { ...smallConf, count: 0, code: "abc" }],
  ["medium (100 Params, nested)", objectSchema(mediumProps), mediumConf, { ...mediumConf, p10: { tags: [""] }, p24: 7 }],
  [`large (a ${kb(JSON.stringify(largeConf).length)} conf)`, objectSchema({ records: { type: "array", items: record } }), largeConf,
    { records: largeConf.records.map((r, i) => (i === 8000 ? { ...r, score: -1 } : r)) }],
];

/** Calls per second of each of `fns`: 7 rounds of about `ms` each, the functions taking turns
 * within a round (a slow moment of the machine hits all of them alike); medians. */
export function rates(fns, ms = 200) {
  const rounds = fns.map(() => []);
  for (let r = 0; r < 7; r++) {
    for (const [i, fn] of fns.entries()) {
      let n = 0;
      const start = performance.now();
      let now = start;
      while (now - start < ms) {
        fn();
        n++;
        if ((n & 7) === 0 || n < 8) now = performance.now();
      }
      rounds[i].push(n / ((performance.now() - start) / 1000));
    }
  }
  return rounds.map(median);
}
export const rate = (fn, ms) => rates([fn], ms)[0];
export const fmtRate = (r) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} k/s` : `${r.toFixed(1)} /s`);

/** Medians over `runs` fresh Node processes of [total, import, first ParamsValidator, first
 * validation, first request built] in ms, for the package in `pkgDir`. A module file, as an
 * application's entry is: with `node -e`, the first import() would also pay for starting Node's
 * ES module loader (~3 ms), which any ES module app has paid already. */
export function coldStartNode(pkgDir, runs = 11) {
  const script = `
const t0 = performance.now();
const { ParamsValidator, buildTriggerRequest } = await import(${JSON.stringify(join(pkgDir, "node.js"))});
const t1 = performance.now();
const params = ${JSON.stringify(Object.fromEntries(Object.entries(small).map(([k, s]) => [k, { value: smallConf[k], schema: s }])))};
const v = new ParamsValidator(params);
const t2 = performance.now();
const r = v.validate(${JSON.stringify(smallConf)});
const t3 = performance.now();
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "etl", conf: r.conf });
const t4 = performance.now();
console.log(JSON.stringify([t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3]));`;
  const dir = mkdtempSync(join(tmpdir(), "bench-cold-"));
  const times = [];
  try {
    writeFileSync(join(dir, "cold.mjs"), script);
    for (let i = 0; i < runs; i++) {
      const res = spawnSync(process.execPath, [join(dir, "cold.mjs")], { encoding: "utf8" });
      times.push(JSON.parse(res.stdout.trim()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [0, 1, 2, 3, 4].map((i) => median(times.map((r) => r[i])));
}
