// Compiled by package.test.mjs with `tsc --strict --noEmit`; never run.
import { AirflowError, buildTriggerRequest, toCurl, triggerDagRun } from "../../pkg/node.js";
import type { DagRun, ErrorCode, HttpRequest, TriggerOptions } from "../../pkg/node.js";

const options: TriggerOptions = {
  baseUrl: "https://airflow.example.com",
  apiVersion: "v2",
  dagId: "etl",
  conf: { day: "2024-01-01", nested: { list: [1, null, true] } },
  auth: { type: "bearer", token: "t" },
};
const req: HttpRequest = buildTriggerRequest(options);
const curl: string = toCurl(req, { revealSecrets: false });
const shown: string = toCurl(req);

async function run(): Promise<string> {
  try {
    const r: DagRun = await triggerDagRun(options);
    const state: string = r.state;
    return `${r.dagRunId} ${state} ${r.logicalDate ?? "now"} ${curl} ${shown}`;
  } catch (e) {
    if (e instanceof AirflowError) {
      const code: ErrorCode = e.code;
      return `${code} ${e.status ?? ""} ${e.detail ?? ""}`;
    }
    throw e;
  }
}
void run;

// @ts-expect-error apiVersion is "v1" | "v2"
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v3", dagId: "x" });
// @ts-expect-error conf is a JSON object, not an array
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: [1, 2] });
// @ts-expect-error basic auth needs a password
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v1", dagId: "x", auth: { type: "basic", username: "u" } });

// The validators.
import { ConfValidator, ParamsValidator, paramsToSchema, validateConf } from "../../pkg/node.js";
import type { ParamsSchema, ValidationResult } from "../../pkg/node.js";

const v = new ConfValidator({ type: "object" }, { formats: "all", allErrors: false });
const r: ValidationResult = v.validate({ a: 1 });
const paths: string[] = r.errors.map((e) => e.instancePath);
v.free();
const once: boolean = validateConf(true, [1, "x"]).valid;
const form: ParamsSchema = paramsToSchema({ count: { value: 5, schema: { type: "integer" } } });
const pv = new ParamsValidator({ count: { value: 5, schema: { type: "integer" } } }, { formats: "airflow2", unknownKeys: "error" });
const merged = pv.validate({ count: 2 }).conf;
void [paths, once, form, merged];
// @ts-expect-error formats is a known mode
new ConfValidator({}, { formats: "strict" });
// @ts-expect-error unknownKeys is "ignore" | "error"
new ParamsValidator({}, { unknownKeys: "warn" });
