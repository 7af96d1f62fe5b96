// Serves www/ (and the built package under /pkg/) on 127.0.0.1 with the page's strict CSP as a
// header too. `node scripts/serve-www.mjs [port]`; the port must be one Airflow's CORS settings
// allow (scripts/airflow.sh allows 18090).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

const root = new URL("../", import.meta.url);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * A static server on 127.0.0.1 (`port` 0: any free one). `locate(path)` gives the file URL to
 * serve for a URL path (a path ending in / asks for its index.html); `extra` maps paths to fixed bodies; `headers` go on every answer.
 * Resolves to `{ url, close }`.
 */
export function serveFiles({ port = 0, locate, extra = {}, headers = {} }) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) return res.writeHead(400, headers).end();
    if (path.endsWith("/")) path += "index.html";
    try {
      const body = extra[path] ?? (await readFile(locate(path)));
      res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream", "Cache-Control": "no-store", ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain", ...headers }).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail).listen(port, "127.0.0.1", () =>
      ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) }));
  });
}

/** www/ with the package under /pkg/, and the page's CSP as a header. */
export function serveWww(port = 18090, extra = {}) {
  const locate = (path) => (path.startsWith("/pkg/") ? new URL(`pkg/${path.slice(5)}`, root) : new URL(`www${path}`, root));
  return serveFiles({ port, locate, extra, headers: { "Content-Security-Policy": CSP } });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serveWww(Number(process.argv[2] ?? 18090));
  console.log(`serving the trigger page on ${url}`);
}
