// `auth: { type: "session" }` in a real browser: a portal page on Airflow's own origin uses the
// cookie of a user who logged in through Airflow's own login form. Headless Chromium, real
// Airflow 2.11.2 (Flask session, API auth backend `session`) and 3.3.2 (the `_token` cookie).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { launch, serveStatic } from "./browser.mjs";
import { deleteRuns, getRun, requireServers, servers } from "./helpers.mjs";

let browser;
let pkg;
before(async () => {
  requireServers();
  pkg = await serveStatic(new URL("../../pkg/", import.meta.url));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await pkg?.close();
});

/** Logs in through Airflow's own login page, as a person would. */
async function logIn(page, server) {
  if (server.major === 2) {
    await page.goto(`${server.url}/login/`);
    await page.fill("input[name=username]", server.user);
    await page.fill("input[name=password]", server.password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click("[type=submit]")]);
  } else {
    await page.goto(`${server.url}/auth/login`);
    await page.fill("input[name=username]", server.user);
    await page.fill("input[name=password]", server.password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/auth/login")), page.click("[type=submit]")]);
  }
}

/** Runs the package in a page on Airflow's origin: `{ run }` or `{ error: { code, status, message } }`. */
function triggerInPage(page, pkgUrl, server, runId) {
  return page.evaluate(
    async ({ pkgUrl, baseUrl, runId }) => {
      const { init, AirflowClient } = await import(`${pkgUrl}index.js`);
      await init();
      const client = new AirflowClient({ baseUrl, auth: { type: "session" } });
      try {
        const run = await client.trigger("paused_target", { dagRunId: runId, conf: { from: "session" } });
        return { run: { dagRunId: run.dagRunId, conf: run.conf, dagPaused: run.dagPaused } };
      } catch (e) {
        return { error: { name: e.name, code: e.code, status: e.status, message: e.message } };
      } finally {
        client.free();
      }
    },
    { pkgUrl, baseUrl: server.url, runId },
  );
}

for (const server of servers) {
  describe(`${server.name}: session auth in Chromium`, () => {
    test("no session: refused with a typed error; after logging in: the run is triggered with the cookie", async () => {
      const context = await browser.newContext();
      const errors = [];
      try {
        const page = await context.newPage();
        // Only our page's errors: Airflow 2's own login and home pages throw a few of their own.
        page.on("pageerror", (e) => /\/version$/.test(new URL(page.url()).pathname) && errors.push(String(e)));
        // A same-origin page: anything Airflow serves without a login.
        await page.goto(`${server.url}/api/${server.api}/version`);

        const runId = `session_${server.major}_${Date.now()}`;
        const refused = await triggerInPage(page, pkg.url, server, `${runId}_anon`);
        assert.equal(refused.error?.name, "AirflowError", JSON.stringify(refused));
        assert.ok(["UNAUTHORIZED", "FORBIDDEN"].includes(refused.error.code), JSON.stringify(refused));
        assert.equal(refused.error.status, server.major === 2 ? 403 : 401);

        await logIn(page, server);
        const cookies = (await context.cookies(server.url)).map((c) => c.name);
        assert.ok(cookies.includes(server.major === 2 ? "session" : "_token"), `cookies after login: ${cookies}`);
        await page.goto(`${server.url}/api/${server.api}/version`);
        const ok = await triggerInPage(page, pkg.url, server, runId);
        assert.deepEqual(ok, { run: { dagRunId: runId, conf: { from: "session" }, dagPaused: true } });

        // Checked independently of the package and the browser.
        const stored = await getRun(server, "paused_target", runId);
        assert.deepEqual(stored.conf, { from: "session" });
        await assert.rejects(getRun(server, "paused_target", `${runId}_anon`), { code: "NOT_FOUND" }, "the refused call created nothing");
        await deleteRuns(server, "paused_target", [runId]);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
