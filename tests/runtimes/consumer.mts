// Compiled by runtimes.test.mjs with `tsc --strict --noEmit` against the installed package; never run.
import { AirflowClient, AirflowError, ConfValidator, init } from "airflow-trigger";
import type { DagRun, ValidationResult } from "airflow-trigger";

await init();
const client = new AirflowClient({ baseUrl: "https://airflow.example.com", auth: { type: "password", username: "u", password: "p" } });
const run: DagRun = await client.trigger("etl", { conf: { day: "2024-01-01" } });
const result: ValidationResult = new ConfValidator({ type: "object" }).validate({ a: 1 });
const code: string | undefined = run.state === "failed" ? new AirflowError("NOT_FOUND", "x").code : undefined;
// @ts-expect-error: `apiVersion` is "auto" | "v1" | "v2"
new AirflowClient({ baseUrl: "https://h", apiVersion: "v3" });
export { code, result };
