// The client against the real Airflow 3.3.2 (run through scripts/with-airflow.sh by `make bench`):
// milliseconds per trigger of the paused_target test DAG (its runs stay queued: the scheduler does
// not load the database meanwhile), a hand-written fetch POST against AirflowClient.trigger,
// one of each at a time. A failed trigger (SQLite-backed Airflow answers an occasional 500 under
// load) is counted, not retried. Prints { raw, client, failed } as JSON.
import { AirflowClient } from "../../pkg/node.js";
import { servers, token } from "../../tests/e2e/helpers.mjs";
import { median } from "./workloads.mjs";

const server = servers.find((s) => s.major === 3);
const jwt = await token(server);
const client = new AirflowClient({ baseUrl: server.url, apiVersion: "v2", auth: { type: "bearer", token: jwt } });
const headers = { Authorization: `Bearer ${jwt}`, "Content-Type": "application/json", Accept: "application/json" };
let n = 0;
const raw = async () => {
  const res = await fetch(`${server.url}/api/v2/dags/paused_target/dagRuns`, { method: "POST", headers,
    body: JSON.stringify({ dag_run_id: `bench_raw_${Date.now()}_${n++}`, logical_date: null, conf: {} }) });
  if (!res.ok) throw new Error(`Airflow answered ${res.status}`);
  return res.json();
};
const viaClient = () => client.trigger("paused_target", { conf: {} });
await raw();
await viaClient();
const times = { raw: [], client: [] };
let failed = 0;
// One of each at a time, which goes first alternating: whichever followed the other was ~2 ms
// faster (Airflow's side), so rounds of one then the other favoured the second.
for (let i = 0; i < 100; i++) {
  const pair = [["raw", raw], ["client", viaClient]];
  for (const [name, fn] of i % 2 ? pair.reverse() : pair) {
    const t0 = performance.now();
    await fn().catch(() => failed++);
    times[name].push(performance.now() - t0);
  }
}
console.log(JSON.stringify({ raw: median(times.raw), client: median(times.client), failed }));
