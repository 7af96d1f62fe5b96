// The same through require(): compiled by runtimes.test.mjs; never run.
import airflow = require("airflow-trigger");

const client = new airflow.AirflowClient({ baseUrl: "https://airflow.example.com" });
export const pending: Promise<airflow.DagRun> = client.trigger("etl");
// @ts-expect-error: auth types are a closed set
new airflow.AirflowClient({ baseUrl: "https://h", auth: { type: "cookie" } });
