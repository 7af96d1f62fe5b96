// The main job, end to end: trigger a DAG on a real Airflow 3 through the package and follow
// the run to its final state.
import { AirflowError, buildTriggerRequest, parseTriggerResponse, toCurl, triggerDagRun } from "../pkg/node.js";

const baseUrl = process.env.AF3_URL;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;

const tokenRes = await fetch(`${baseUrl}/auth/token`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ username: process.env.AF3_USER, password: process.env.AF3_PASSWORD }),
});
const { access_token: token } = await tokenRes.json();
const options = {
  baseUrl,
  apiVersion: "v2",
  dagId: "demo",
  conf: { greeting: "hello from airflow-trigger", repeat: 3 },
  note: "triggered by make demo",
  auth: { type: "bearer", token },
};

// The run id is generated when the request is built; reuse it so the curl shown is the call made.
const request = buildTriggerRequest(options);
options.dagRunId = JSON.parse(request.body).dag_run_id;
console.log("The request (credentials masked):\n");
console.log(toCurl(request), "\n");

try {
  const run = await triggerDagRun(options);
  console.log(`${elapsed()}  triggered ${run.dagId} / ${run.dagRunId}  conf=${JSON.stringify(run.conf)}`);
  let state = run.state;
  console.log(`${elapsed()}  ${state}`);
  while (state !== "success" && state !== "failed") {
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${baseUrl}/api/v2/dags/demo/dagRuns/${encodeURIComponent(run.dagRunId)}`, {
      headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
    });
    const now = parseTriggerResponse("v2", res.status, res.headers.get("content-type") ?? "", await res.text());
    if (now.state !== state) console.log(`${elapsed()}  ${(state = now.state)}`);
  }
  console.log(`\nFinal state: ${state}. In Airflow's UI: ${baseUrl}/dags/demo/runs/${encodeURIComponent(run.dagRunId)}`);
  process.exit(state === "success" ? 0 : 1);
} catch (e) {
  if (e instanceof AirflowError) console.error(`${e.code}${e.status ? ` (${e.status})` : ""}: ${e.message}`);
  else console.error(e);
  process.exit(1);
}
