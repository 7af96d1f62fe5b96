// Serves www/ (and the built package under /pkg/) on 127.0.0.1 with the page's strict CSP as a
// header too. `node scripts/serve-www.mjs [port]`; the port must be one Airflow's CORS settings
// allow (scripts/airflow.sh allows 18090).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

const root = new URL("../", import.meta.url);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export function serveWww(port = 18090, extra = {}) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) return res.writeHead(400).end();
    if (path.endsWith("/")) path += "index.html";
    const file = extra[path] ? null : path.startsWith("/pkg/") ? new URL(`pkg/${path.slice(5)}`, root) : new URL(`www${path}`, root);
    try {
      const body = extra[path] ?? (await readFile(file));
      res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream", "Content-Security-Policy": CSP, "Cache-Control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail).listen(port, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serveWww(Number(process.argv[2] ?? 18090));
  console.log(`serving the trigger page on ${url}`);
}
