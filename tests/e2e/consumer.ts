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

// The client.
import { AirflowClient } from "../../pkg/node.js";
import type { Dag, TriggeredRun } from "../../pkg/node.js";

async function client(): Promise<void> {
  const c = new AirflowClient({ baseUrl: "http://h", auth: { type: "password", username: "u", password: "p" }, retries: 2 });
  const run: TriggeredRun = await c.trigger("etl", { conf: { a: 1 }, validate: true });
  const paused: boolean = run.dagPaused || run.alreadyExisted;
  const done = await c.waitForRun("etl", run.dagRunId, { intervalMs: 500, onProgress: (r) => void r.state });
  const dag: Dag = await c.getDag("etl");
  const { dags } = await c.listDags({ search: "etl" });
  void [paused, done, dag, dags, await c.version(), await c.getParams("etl")];
  // @ts-expect-error the client holds the base URL
  await c.trigger("etl", { baseUrl: "http://other" });
  // @ts-expect-error apiVersion is "auto" | "v1" | "v2"
  new AirflowClient({ baseUrl: "http://h", apiVersion: "v9" });
}
void client;
