// A small HTTP proxy on 127.0.0.1 that forwards to a real Airflow and, on a share of trigger
// POSTs, forwards the request and then loses the answer: drops the connection, answers 502
// instead, or holds the answer past the client's timeout. Bounded: it stops with the test.
import http from "node:http";

/**
 * @param {string} target Airflow's base URL
 * @param {{ share: number, holdMs: number, seed?: number }} options
 */
export async function startFaultProxy(target, { share, holdMs, seed = 1 }) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const faults = { drop: 0, bad_gateway: 0, hold: 0, passed: 0 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const isTrigger = req.method === "POST" && /\/dagRuns$/.test(req.url);
      const fault = isTrigger && random() < share ? ["drop", "bad_gateway", "hold"][Math.floor(random() * 3)] : null;
      let upstream;
      try {
        upstream = await fetch(new URL(req.url, target), {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))),
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
      } catch {
        res.writeHead(504).end();
        return;
      }
      const body = Buffer.from(await upstream.arrayBuffer());
      if (fault) faults[fault]++;
      else faults.passed++;
      if (fault === "drop") return req.socket.destroy();
      if (fault === "bad_gateway") return res.writeHead(502, { "content-type": "text/plain" }).end("Bad Gateway");
      const send = () => {
        if (res.destroyed || req.socket.destroyed) return;
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(body);
      };
      if (fault === "hold") setTimeout(send, holdMs).unref();
      else send();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    faults,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
