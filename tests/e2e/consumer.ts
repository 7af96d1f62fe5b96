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
