// ParamsValidator gives the same verdict as Airflow's own Param validation, run with the Python
// of the real Airflow 2.11.2 and 3.3.2 venvs, on generated (Params, conf) cases.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";

import { ParamsValidator } from "../../pkg/node.js";

const root = new URL("../../", import.meta.url).pathname;
const CASES = Number(process.env.AGREEMENT_CASES ?? 2400);
const cases = JSON.parse(execFileSync("python3", [`${root}tests/agreement/generate.py`, String(CASES), process.env.AGREEMENT_SEED ?? "20261124"], { maxBuffer: 1 << 28 }));

/** The Params as GET /dags/{id}/details serves them: `value` null when there is no default. */
function served(params) {
  return Object.fromEntries(
    Object.entries(params).map(([name, p]) => [name, { value: "default" in p ? p.default : null, schema: p.schema, description: null }]),
  );
}

for (const [version, formats] of [["2.11.2", "airflow2"], ["3.3.2", "airflow3"]]) {
  test(`agreement with Airflow ${version} on ${CASES} cases`, () => {
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
    const disagreements = [];
    let invalid = 0;
    cases.forEach((c, i) => {
      const validator = new ParamsValidator(served(c.params), { formats });
      const ours = validator.validate(c.conf);
      validator.free();
      if (!verdicts[i].valid) invalid++;
      if (ours.valid !== verdicts[i].valid) {
        disagreements.push(`#${i} params=${JSON.stringify(c.params)} conf=${JSON.stringify(c.conf)}: Airflow ${verdicts[i].valid ? "accepts" : `rejects (${verdicts[i].message})`}, we ${ours.valid ? "accept" : `reject (${ours.errors.map((e) => `${e.instancePath} ${e.message}`).join("; ")})`}`);
      }
    });
    console.log(`Airflow ${version}: ${cases.length - disagreements.length} of ${cases.length} verdicts agree (${invalid} invalid, ${cases.length - invalid} valid)`);
    for (const d of disagreements.slice(0, 40)) console.log(`  DISAGREE ${d}`);
    assert.equal(disagreements.length, 0);
  });
}
