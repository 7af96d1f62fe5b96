// A local HTTP server that answers the trigger path like Airflow 3.3.2 (API v2), for the client
// and gateway benchmarks: version, DAG details with Params, and POST dagRuns echoing the run.
import { createServer } from "node:http";

import { PARAMS } from "./data.mjs";

export { CONF, PARAMS } from "./data.mjs";

/** Starts the stub on 127.0.0.1; `counts` tallies requests by path. */
export async function startStub() {
  const counts = {};
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = req.url.split("?")[0];
      counts[`${req.method} ${path}`] = (counts[`${req.method} ${path}`] ?? 0) + 1;
      const send = (status, body) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
        res.end(text);
      };
      if (path === "/api/v2/version") return send(200, { version: "3.3.2", git_version: null });
      if (req.method === "GET" && path === "/api/v2/dags/bench/details") {
        return send(200, { dag_id: "bench", is_paused: false, params: PARAMS });
      }
      if (req.method === "POST" && path === "/api/v2/dags/bench/dagRuns") {
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
        return send(200, { dag_id: "bench", dag_run_id: body.dag_run_id ?? "manual__x", logical_date: null,
          run_after: "2024-01-01T00:00:00Z", state: "queued", conf: body.conf ?? {}, note: null, run_type: "manual" });
      }
      send(404, { detail: "Not Found" });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, counts, close: () => new Promise((r) => server.close(r)) };
}

/** The stub in a process of its own (as Airflow would be): prints its URL, serves until killed. */
export async function spawnStub() {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, "--serve"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(String(d).trim()));
    child.once("exit", (code) => reject(new Error(`the stub exited (${code})`)));
  });
  return { url, close: () => new Promise((r) => (child.once("exit", r), child.kill())) };
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === "--serve") {
  const stub = await startStub();
  console.log(stub.url);
}
