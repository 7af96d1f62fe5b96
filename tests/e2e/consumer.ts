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

// Confs as users have them: typed by an interface, `object`, `unknown` (checked at run time).
import type { JsonObject, ParamsValidationResult, ValidationError, ValidationErrorFor } from "../../pkg/node.js";

interface EtlConf {
  day: string;
  retries?: number;
  tags: string[];
}
const etl: EtlConf = { day: "2024-01-01", tags: ["a"] };
const fromJson: unknown = JSON.parse('{"day": "2024-01-01"}');
const anObject: object = { day: "2024-01-01" };
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: etl });
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: fromJson });
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: anObject });
buildTriggerRequest<EtlConf>({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: { day: "d", tags: [] } });
const typed: TriggerOptions = { baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: etl };
const typedEtl: TriggerOptions<EtlConf> = { baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: etl };
void [typed, typedEtl];
// @ts-expect-error a conf is an object, not a number
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: 5 });
// @ts-expect-error nor null
buildTriggerRequest({ baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: null });
// @ts-expect-error nor a string
void triggerDagRun({ baseUrl: "http://h", apiVersion: "v1", dagId: "x", conf: "{}" });
// @ts-expect-error a declared conf type is enforced
buildTriggerRequest<EtlConf>({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: { day: 1, tags: [] } });
void triggerDagRun({ baseUrl: "http://h", apiVersion: "v2", dagId: "x", conf: etl, unpause: true, signal: new AbortController().signal });

// Values to validate: anything, `unknown` included.
const check = new ConfValidator({ type: "object", required: ["day"] } as const);
const verdict: ValidationResult = check.validate(fromJson);
check.validate(etl);
validateConf({ type: "object" }, fromJson);
interface MySchema { type: "object"; required: readonly string[] }
const mySchema: MySchema = { type: "object", required: ["day"] };
new ConfValidator(mySchema, { resources: { "urn:x": mySchema } }).validate(anObject);
void verdict;
// @ts-expect-error a schema is an object or a boolean
new ConfValidator("{}");

// ValidationError is a union on `keyword`: the keyword types `params`.
function describe(e: ValidationError): string {
  switch (e.keyword) {
    case "required":
      return e.params.missingProperty;
    case "type":
      return e.params.type;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${e.params.comparison} ${e.params.limit}`;
    case "enum":
      return `${e.params.allowedValues?.length ?? 0} + ${e.params.omitted ?? 0}`;
    case "const":
      return e.params.omitted === 1 ? "omitted" : JSON.stringify(e.params.allowedValue);
    case "if":
      return e.params.failingKeyword;
    case "oneOf":
      return e.params.passingSchemas ? `${e.params.passingSchemas[0]} ${e.params.passingSchemas[1]}` : "none";
    case "dependentRequired":
      return `${e.params.property} ${e.params.missingProperty} ${e.params.deps} ${e.params.depsCount}`;
    case "contains":
      return `${e.params.minContains} ${e.params.maxContains ?? ""}`;
    default:
      return e.message;
  }
}
void describe;
const required: ValidationErrorFor<"required"> = { instancePath: "", schemaPath: "#/required", keyword: "required", params: { missingProperty: "a" }, message: "m" };
const anyError: ValidationError = required;
void anyError;
// @ts-expect-error params follow the keyword
const wrong: ValidationError = { instancePath: "", schemaPath: "#/required", keyword: "required", params: { limit: 1 }, message: "m" };
void wrong;
function unnarrowed(e: ValidationError): string {
  // @ts-expect-error params.missingProperty exists only once `keyword` is "required"
  return e.params.missingProperty;
}
void unnarrowed;

// ParamsValidator<T>: `valid` narrows `conf` to T.
const typedParams = new ParamsValidator<EtlConf>({ day: { value: null, schema: { type: "string" } } });
const outcome: ParamsValidationResult<EtlConf> = typedParams.validate(fromJson);
if (outcome.valid) {
  const conf: EtlConf = outcome.conf;
  void conf;
} else {
  const conf: JsonObject = outcome.conf;
  // @ts-expect-error an invalid conf is not an EtlConf
  const notEtl: EtlConf = outcome.conf;
  void [conf, notEtl];
}
const untyped: JsonObject = new ParamsValidator({}).validate(etl).conf;
void untyped;

// The client takes the same confs; the classes free explicitly (and with `using`: consumer-using.ts).
async function clientConfs(): Promise<void> {
  const c = new AirflowClient({ baseUrl: "http://h" });
  await c.trigger("etl", { conf: etl });
  await c.trigger("etl", { conf: fromJson, unpause: true });
  await c.trigger<EtlConf>("etl", { conf: { day: "d", tags: [] } });
  await c.createAssetEvent({ uri: "s3://b/k", extra: etl });
  await c.createAssetEvent({ assetId: 3, extra: fromJson });
  // @ts-expect-error uri or assetId, not both
  await c.createAssetEvent({ uri: "s3://b/k", assetId: 3 });
  // @ts-expect-error extra is an object
  await c.createAssetEvent({ uri: "s3://b/k", extra: [1] });
  // @ts-expect-error a conf is an object
  await c.trigger("etl", { conf: [1] });
  const { runs } = await c.listRuns("etl", { limit: 5 });
  const { assets } = await c.listAssets({ search: "s3://" });
  void [runs, assets];
  c[Symbol.dispose]();
  c.free();
}
void clientConfs;

// AirflowError's errors are the same union.
function onError(e: unknown): void {
  if (e instanceof AirflowError && e.code === "INVALID_CONF") {
    for (const err of e.errors ?? []) if (err.keyword === "required") void err.params.missingProperty;
  }
}
void onError;
