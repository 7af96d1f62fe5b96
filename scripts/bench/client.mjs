// The client overhead bench (`make bench`'s last table), in a process of its own: importing
// miniflare (the workerd sections) replaces the global fetch dispatcher with undici 7's, through
// which Node 20's fetch ran ~3x slower on loopback and hid most of the client's cost. Prints the
// medians as JSON: [[name, sequential per second, 16 in flight per second], ...].
import { median } from "./workloads.mjs";
import { spawnStub, CONF } from "./stub-airflow.mjs";

const { AirflowClient } = await import("../../pkg/node.js");
const stub = await spawnStub();
try {
  const headers = { Authorization: "Bearer bench-airflow-token", "Content-Type": "application/json", Accept: "application/json" };
  let n = 0;
  const raw = async () => {
    const res = await fetch(`${stub.url}/api/v2/dags/bench/dagRuns`, { method: "POST", headers,
      body: JSON.stringify({ dag_run_id: `raw_${Date.now()}_${n++}`, logical_date: null, conf: CONF }) });
    if (!res.ok) throw new Error(`stub answered ${res.status}`);
    return res.json();
  };
  // The same with a per-request timeout, as AirflowClient has (in Node an AbortSignal costs).
  const rawTimeout = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const res = await fetch(`${stub.url}/api/v2/dags/bench/dagRuns`, { method: "POST", headers, signal: controller.signal,
        body: JSON.stringify({ dag_run_id: `raw_${Date.now()}_${n++}`, logical_date: null, conf: CONF }) });
      if (!res.ok) throw new Error(`stub answered ${res.status}`);
      return await res.json();
    } finally {
      clearTimeout(timer);
    }
  };
  const client = new AirflowClient({ baseUrl: stub.url, apiVersion: "v2", auth: { type: "bearer", token: "bench-airflow-token" } });
  const ways = [
    ["raw fetch (hand-written POST, no validation)", raw],
    ["raw fetch with a timeout (AbortController)", rawTimeout],
    ["AirflowClient.trigger (Params validated, details cached)", () => client.trigger("bench", { conf: CONF })],
    ["AirflowClient.trigger, validate: false", () => client.trigger("bench", { conf: CONF, validate: false })],
  ];
  const perSecond = async (fn, count, inFlight) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next++ < count) await fn();
    }));
    return count / ((performance.now() - t0) / 1000);
  };
  for (const [, fn] of ways) await perSecond(fn, 200, 4);
  // Rounds interleave the ways, so a slow moment of the machine hits all of them alike.
  const seq = ways.map(() => []);
  const par = ways.map(() => []);
  for (let r = 0; r < 9; r++) {
    for (const [i, [, fn]] of ways.entries()) {
      seq[i].push(await perSecond(fn, 300, 1));
      par[i].push(await perSecond(fn, 600, 16));
    }
  }
  console.log(JSON.stringify(ways.map(([name], i) => [name, median(seq[i]), median(par[i])])));
} finally {
  await stub.close();
}
