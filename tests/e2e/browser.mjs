// Browser tests' helpers: Debian's Chromium driven by playwright-core, and a static server for the
// built package on 127.0.0.1 (CORS open, so a page on Airflow's own origin can import it).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

import { serveFiles } from "../../scripts/serve-www.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Serves `dir` (a file URL ending in /), CORS open; resolves to `{ url, close }`. */
export function serveStatic(dir, port = 0) {
  return serveFiles({ port, locate: (path) => new URL(`.${path}`, dir), headers: { "Access-Control-Allow-Origin": "*" } });
}

/** Headless Chromium; fails with the install command when the browser is missing. */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-tools.sh (Debian packages chromium, chromium-driver)`);
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
