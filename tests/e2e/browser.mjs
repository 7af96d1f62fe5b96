// Browser tests' helpers: Debian's Chromium driven by playwright-core, and a static server for the
// built package on 127.0.0.1 (CORS open, so a page on Airflow's own origin can import it).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };

/** Serves `dir` (a file URL ending in /) on 127.0.0.1 (`port` 0: any free one); resolves to `{ url, close }`. */
export async function serveStatic(dir, port = 0) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path.includes("..")) return res.writeHead(400).end();
    try {
      const body = await readFile(new URL(`.${path}`, dir));
      res.writeHead(200, {
        "Content-Type": types[extname(path)] || "application/octet-stream",
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "Access-Control-Allow-Origin": "*" }).end();
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium; fails with the install command when the browser is missing. */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh (Debian packages chromium, chromium-driver)`);
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/**
 * Collects a page's script errors and console errors. Chromium logs every 4xx answer; Airflow 3's
 * 404 for the client's version probe of /api/v1 is expected (the client then asks /api/v2), so
 * that one line is not a problem.
 */
export function watchProblems(page) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e}`));
  page.on("console", (m) => {
    const probe = /Failed to load resource.*404/.test(m.text()) && /\/api\/v1\/version$/.test(m.location().url);
    if (m.type() === "error" && !probe) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  return problems;
}
