// The trigger page (www/) and the <airflow-trigger> element in headless Chromium, under their
// strict CSP, against real Airflow 2.11.2 and 3.3.2. Screenshots go to .out/screenshots/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { serveWww } from "../../scripts/serve-www.mjs";
import { GATEWAY, bundleWorker } from "../../scripts/worker-bundle.mjs";
import { launch, watchProblems } from "./browser.mjs";
import { deleteRuns, getRun, requireServers, servers } from "./helpers.mjs";
import { startWorker } from "./workerd.mjs";

const shots = new URL("../../.out/screenshots/", import.meta.url).pathname;
const af3 = () => servers.find((s) => s.major === 3);

let browser;
let site;
before(async () => {
  requireServers();
  mkdirSync(shots, { recursive: true });
  const element = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>element</title><script type="module" src="/airflow-trigger.js"></script></head><body>
<airflow-trigger dag-id="no_params" base-url="${af3().url}" wait label="Run no_params"></airflow-trigger>
<airflow-trigger id="with-form" dag-id="paused_target" base-url="${af3().url}" form label="Run paused_target"></airflow-trigger>
<airflow-trigger id="with-regex" dag-id="regex_params" base-url="${af3().url}" form label="Run regex_params"></airflow-trigger>
<airflow-trigger id="on-airflow2" dag-id="regex_params" base-url="${servers.find((s) => s.major === 2).url}" form label="Run regex_params on Airflow 2"></airflow-trigger>
</body></html>`;
  // Every Param feature the form understands, rendered without a server.
  const features = {
    type: "object",
    required: ["when"],
    properties: {
      when: { type: "string", format: "date", title: "When" },
      at: { type: ["null", "string"], format: "date-time", default: null },
      time: { type: "string", format: "time", default: "12:30:00" },
      text: { type: "string", format: "multiline", default: "a\nb" },
      mode: { enum: ["f", "s"], values_display: { f: "Fast", s: "Safe" }, default: "s" },
      size: { type: "integer", minimum: 1, maximum: 9, default: 3, section: "Limits" },
      name: { type: "string", minLength: 2, maxLength: 5, examples: ["abc", "xyz"], section: "Limits" },
      fixed: { const: "v1" },
      flag: { type: "boolean", default: true },
      items: { type: "array", default: [1, 2] },
    },
  };
  const featuresJs = `import { renderParamsForm } from "/form.js";
const form = renderParamsForm(document.getElementById("f"), ${JSON.stringify(features)}, {});
window.getConf = form.getConf;
document.body.dataset.ready = "true";`;
  site = await serveWww(18090, {
    "/element-test.html": element,
    "/features.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>features</title><script type="module" src="/features.js"></script></head><body><form id="f"></form></body></html>`,
    "/features.js": featuresJs,
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh page that records console errors, page errors and CSP violations. */
async function open(path, { width = 1000 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  await page.goto(`${site.url}${path}`);
  return { context, page, problems, fetched };
}

async function connect(page, server) {
  await page.waitForSelector("body[data-ready]");
  await page.fill("#base-url", server.url);
  await page.selectOption("#auth-type", "password");
  await page.fill("#username", server.user);
  await page.fill("#password", server.password);
  assert.equal(await page.isVisible("#token"), false, "only the chosen sign-in's fields show");
  await page.keyboard.press("Enter"); // the whole flow works from the keyboard
  await page.waitForFunction(() => /Connected/.test(document.getElementById("connect-status").textContent), null, { timeout: 30_000 });
}

async function choose(page, dagId) {
  await page.fill("#dag-search", dagId);
  await page.getByRole("button", { name: new RegExp(`^${dagId}( paused)?$`) }).click();
  await page.waitForSelector("#trigger:not([hidden]) #params .field");
}

const fieldError = (page, label) =>
  page.getByLabel(label).evaluate((input) => document.getElementById(input.getAttribute("aria-describedby").split(" ")[1]).textContent);

for (const server of servers) {
  describe(`trigger page, ${server.name}`, () => {
    test("fill the generated form, see errors, fix them, trigger, follow the run to success", { timeout: 240_000 }, async () => {
      const width = server.major === 2 ? 360 : 1000; // one of the two at a phone's width
      const { context, page, problems } = await open("", { width });
      try {
        await connect(page, server);
        // Secrets stay in memory: not in storage, not in the URL (unless "Keep these" is ticked).
        assert.deepEqual(await page.evaluate((pw) => [sessionStorage.length, localStorage.length, location.href.includes(pw)], server.password), [0, 0, false]);
        await choose(page, "trigger_params");
        // The Params in the DAG's order, as Airflow's own form shows them.
        const order = await page.$$eval("#params label", (ls) => ls.map((l) => l.getAttribute("for").replace(/^p\d+-/, "")));
        // (Airflow 2's API answers with sorted keys — Flask's jsonify — so its order is lost there.)
        const dagOrder = ["count", "mode", "day", "options", "label", "target", "plain"];
        assert.deepEqual(order, server.major === 3 ? dagOrder : [...dagOrder].sort());
        // Every control has a label.
        const unlabelled = await page.$$eval("input, select, textarea", (nodes) =>
          nodes.filter((n) => n.type !== "hidden" && n.labels.length === 0 && !n.getAttribute("aria-label")).map((n) => n.id));
        assert.deepEqual(unlabelled, []);
        // The required Param without a default is reported at once; a bad value as it is typed.
        assert.notEqual(await fieldError(page, "target"), "");
        await page.getByLabel("count").fill("0");
        assert.match(await fieldError(page, "count"), />= 1/);
        assert.equal(await page.getByLabel("count").getAttribute("aria-invalid"), "true");
        await page.screenshot({ path: `${shots}form-errors-airflow${server.major}.png`, fullPage: true });
        await page.getByRole("button", { name: "Trigger", exact: true }).click();
        assert.match(await page.textContent("#progress"), /Fix the fields/);

        await page.getByLabel("count").fill("3");
        await page.getByLabel("target").fill("from-the-page");
        assert.equal(await fieldError(page, "count"), "");
        assert.equal(await fieldError(page, "target"), "");
        // The raw JSON view follows the form.
        const raw = JSON.parse(await page.inputValue("#raw-conf"));
        assert.equal(raw.target, "from-the-page");
        assert.equal(raw.count, 3);

        await page.getByRole("button", { name: "Trigger", exact: true }).click();
        await page.waitForSelector("#progress[data-state]", { timeout: 200_000 });
        const text = await page.textContent("#progress");
        assert.match(text, /: success after \d+ s$/);
        assert.equal(await page.getAttribute("#run-link", "hidden"), null);
        await page.waitForFunction((id) => [...document.querySelectorAll("#runs li")].some((li) => li.textContent.startsWith(id)), text.split(": success")[0]);
        await page.screenshot({ path: `${shots}run-finished-airflow${server.major}.png`, fullPage: true });

        const runId = /^(.*): success after/.exec(text)[1];
        const stored = await getRun(server, "trigger_params", runId);
        assert.equal(stored.state, "success");
        assert.equal(stored.conf.target, "from-the-page");
        assert.equal(stored.conf.count, 3);
        await deleteRuns(server, "trigger_params", [runId]);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test("Params with Python's re are judged as Airflow judges them (the full module, loaded for them)", { timeout: 120_000 }, async () => {
      const { context, page, problems, fetched } = await open("");
      try {
        await connect(page, server);
        await choose(page, "trigger_params");
        assert.deepEqual(fetched.filter((u) => /exact\.js|_full_bg\.wasm/.test(u)), []);
        await choose(page, "regex_params");
        await page.getByLabel("code").fill("x1");
        assert.match(await fieldError(page, "code"), /pattern/);
        // (?i) and Unicode \d, as Python's re reads them (ECMAScript would refuse both).
        await page.getByLabel("code").fill("HeLLo");
        await page.getByLabel("digits").fill("\u0664\u0665");
        assert.equal(await fieldError(page, "code"), "");
        assert.equal(await fieldError(page, "digits"), "");
        // The server's own formats: Airflow 3 checks duration, Airflow 2 does not.
        await page.getByLabel("every").fill("weekly");
        assert.equal(await fieldError(page, "every") === "", server.major === 2, await fieldError(page, "every"));
        await page.getByLabel("every").fill("P2D");
        await page.getByRole("button", { name: "Trigger", exact: true }).click();
        await page.waitForFunction(() => /\(the DAG is paused\)$/.test(document.getElementById("progress").textContent), null, { timeout: 60_000 });
        const runId = /^(.*): queued \(the DAG is paused\)$/.exec(await page.textContent("#progress"))[1];
        assert.deepEqual((await getRun(server, "regex_params", runId)).conf, { code: "HeLLo", digits: "\u0664\u0665", every: "P2D" });
        await deleteRuns(server, "regex_params", [runId]);
        assert.equal(fetched.filter((u) => u.endsWith("/pkg/exact.js")).length, 1);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  });
}

test("the form renders every Param feature Airflow's form understands", async () => {
  const { context, page, problems } = await open("features.html");
  try {
    await page.waitForSelector("body[data-ready]");
    const field = (name) => page.locator(`#f [name="${name}"]`);
    const kind = (name) => field(name).evaluate((n) => `${n.tagName.toLowerCase()}:${n.type}`);
    assert.equal(await field("when").evaluate((n) => n.labels[0].textContent), "When *");
    assert.equal(await kind("when"), "input:date");
    assert.equal(await kind("at"), "input:datetime-local");
    assert.equal(await kind("time"), "input:time");
    assert.equal(await kind("text"), "textarea:textarea");
    assert.equal(await kind("mode"), "select:select-one");
    assert.equal(await kind("size"), "input:number");
    assert.equal(await kind("flag"), "input:checkbox");
    assert.equal(await kind("items"), "textarea:textarea");
    assert.deepEqual(await page.$$eval("#f select option", (o) => o.map((x) => x.textContent)), ["—", "Fast", "Safe"]);
    assert.deepEqual(await field("size").evaluate((n) => [n.min, n.max, n.step]), ["1", "9", "1"]);
    assert.deepEqual(await field("name").evaluate((n) => [n.minLength, n.maxLength, [...n.list.options].map((o) => o.value)]), [2, 5, ["abc", "xyz"]]);
    assert.equal(await page.textContent("#f fieldset legend"), "Limits");
    assert.equal(await page.$$eval("#f fieldset .field", (n) => n.length), 2, "size and name are in their section");
    assert.equal(await page.$$eval("#f [name=fixed]", (n) => n.length), 0, "const is not shown");
    assert.equal(await field("when").getAttribute("aria-required"), "true");
    await field("when").fill("2024-05-06");
    await field("at").fill("2024-05-06T07:08:09");
    const conf = await page.evaluate(() => window.getConf());
    assert.deepEqual({ ...conf, at: undefined }, {
      when: "2024-05-06", at: undefined, time: "12:30:00", text: "a\nb", mode: "s", size: 3, name: "", fixed: "v1", flag: true, items: [1, 2],
    });
    assert.match(conf.at, /^2024-05-0[67]T\d\d:08:09\+00:00$/, "a local date-time is sent as UTC with an offset");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("Param texts with XSS payloads render inert", async () => {
  const { context, page, problems } = await open("");
  try {
    await connect(page, af3());
    await choose(page, "xss_params");
    await page.getByText("click me").click();
    await page.getByText("Title", { exact: false }).first().hover();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), undefined, "no payload ran");
    assert.equal(await page.$$eval("#params script, #params img, #params svg, #params iframe", (n) => n.length), 0);
    const hrefs = await page.$$eval("#params a", (links) => links.map((a) => a.getAttribute("href")));
    assert.deepEqual(hrefs, ["https://airflow.apache.org"]);
    const handlers = await page.$$eval("#params *", (nodes) => nodes.flatMap((n) => [...n.attributes].map((a) => a.name)).filter((a) => a.startsWith("on")));
    assert.deepEqual(handlers, []);
    assert.equal(await page.textContent("#params strong"), "bold");
    assert.match(await page.textContent("#params"), /<script>window.__xss/, "the payload is shown as text");
    await page.screenshot({ path: `${shots}xss-inert.png`, fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("<airflow-trigger> on a plain page triggers and emits its events", { timeout: 180_000 }, async () => {
  const server = af3();
  const { context, page, problems, fetched } = await open("element-test.html");
  try {
    await page.waitForFunction(() => customElements.get("airflow-trigger") !== undefined);
    await page.evaluate(({ user, password }) => {
      window.events = [];
      const el = document.querySelector("airflow-trigger");
      for (const name of ["triggered", "finished", "error"]) {
        document.addEventListener(`airflow-trigger:${name}`, (e) => window.events.push({ name, state: e.detail?.state, runId: e.detail?.dagRunId, message: e.detail?.message }));
      }
      el.auth = { type: "password", username: user, password };
    }, { user: server.user, password: server.password });
    await page.getByRole("button", { name: "Run no_params" }).click();
    await page.waitForFunction(() => window.events.some((e) => e.name !== "triggered"), null, { timeout: 150_000 });
    const events = await page.evaluate(() => window.events);
    assert.deepEqual(events.map((e) => [e.name, e.name === "triggered" ? "queued" : e.state]), [["triggered", "queued"], ["finished", "success"]], JSON.stringify(events));
    assert.equal((await getRun(server, "no_params", events[0].runId)).state, "success");
    assert.equal(await page.getAttribute("airflow-trigger", "auth"), null, "no credential in the DOM");
    await deleteRuns(server, "no_params", [events[0].runId]);

    // With `form`: the DAG's Params as fields, checked before anything is sent.
    await page.evaluate(({ user, password }) => {
      window.events = [];
      document.getElementById("with-form").auth = { type: "password", username: user, password };
    }, { user: server.user, password: server.password });
    const n = page.locator("#with-form").getByLabel("n");
    await n.waitFor();
    await n.fill("1.5");
    await page.getByRole("button", { name: "Run paused_target" }).click();
    await page.waitForFunction(() => window.events.length > 0);
    const refused = await page.evaluate(() => window.events);
    assert.equal(refused[0].name, "error");
    assert.equal(await n.getAttribute("aria-invalid"), "true");
    await n.fill("4");
    await page.getByRole("button", { name: "Run paused_target" }).click();
    await page.waitForFunction(() => window.events.some((e) => e.name === "triggered"));
    const run = (await page.evaluate(() => window.events)).find((e) => e.name === "triggered");
    assert.deepEqual((await getRun(server, "paused_target", run.runId)).conf, { n: 4 });
    await deleteRuns(server, "paused_target", [run.runId]);
    assert.deepEqual(fetched.filter((u) => /exact\.js|_full_bg\.wasm/.test(u)), [], "the full module waits for Params that need it");

    // Params with Python's re: the default module refuses them, so the element judges them with
    // the full module (fetched now, once), as Airflow does: (?i) and Arabic-Indic digits pass,
    // which ECMAScript would refuse.
    await page.evaluate(({ user, password }) => {
      window.events = [];
      document.getElementById("with-regex").auth = { type: "password", username: user, password };
    }, { user: server.user, password: server.password });
    const code = page.locator("#with-regex").getByLabel("code");
    const digits = page.locator("#with-regex").getByLabel("digits");
    await code.waitFor();
    await code.fill("x1");
    await page.getByRole("button", { name: "Run regex_params", exact: true }).click();
    await page.waitForFunction(() => window.events.length > 0);
    assert.equal((await page.evaluate(() => window.events))[0].name, "error", "refused before sending");
    assert.equal(await code.getAttribute("aria-invalid"), "true");
    assert.equal(await digits.getAttribute("aria-invalid"), "false");
    await code.fill("HeLLo");
    await digits.fill("\u0664\u0665");
    await page.evaluate(() => { window.events = []; });
    await page.getByRole("button", { name: "Run regex_params", exact: true }).click();
    await page.waitForFunction(() => window.events.some((e) => e.name === "triggered"), null, { timeout: 60_000 });
    const regexRun = (await page.evaluate(() => window.events)).find((e) => e.name === "triggered");
    assert.deepEqual((await getRun(server, "regex_params", regexRun.runId)).conf, { code: "HeLLo", digits: "\u0664\u0665", every: "P1D" });
    await deleteRuns(server, "regex_params", [regexRun.runId]);
    assert.equal(fetched.filter((u) => u.endsWith("/exact.js")).length, 1, fetched.join(" "));
    assert.equal(fetched.filter((u) => u.endsWith("/airflow_trigger_full_bg.wasm")).length, 1);
    // The element checks the formats of the server it talks to: Airflow 2 has no duration
    // checker, Airflow 3 refuses "weekly".
    const af2 = servers.find((s) => s.major === 2);
    await page.evaluate(({ user, password }) => {
      document.getElementById("on-airflow2").auth = { type: "password", username: user, password };
    }, { user: af2.user, password: af2.password });
    const every2 = page.locator("#on-airflow2").getByLabel("every");
    await every2.waitFor();
    await every2.fill("weekly");
    assert.equal(await every2.getAttribute("aria-invalid"), "false");
    const every3 = page.locator("#with-regex").getByLabel("every");
    await every3.fill("weekly");
    assert.equal(await every3.getAttribute("aria-invalid"), "true");
    assert.equal(fetched.filter((u) => u.endsWith("/exact.js")).length, 1, "loaded once for the page");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("through the gateway: the page never holds Airflow credentials", { timeout: 240_000 }, async () => {
  const server = af3();
  const dir = mkdtempSync(join(tmpdir(), "airflow-trigger-www-gateway-"));
  bundleWorker({ ...GATEWAY, outDir: dir });
  const mf = await startWorker(dir, {
    AIRFLOW_URL: server.url, AIRFLOW_USERNAME: server.user, AIRFLOW_PASSWORD: server.password,
    ALLOWED_DAGS: "trigger_params", ALLOWED_ORIGINS: site.url.replace(/\/$/, ""), GATEWAY_TOKEN: "portal-token",
  }, { host: "127.0.0.1", port: 0 });
  const { context, page, problems } = await open("");
  try {
    const gatewayUrl = String(await mf.ready).replace(/\/$/, "");
    await page.waitForSelector("body[data-ready]");
    await page.selectOption("#auth-type", "gateway");
    await page.fill("#base-url", gatewayUrl);
    await page.fill("#token", "portal-token");
    assert.equal(await page.isVisible("#password"), false);
    await page.click("#connect-button");
    await page.waitForFunction(() => /Connected/.test(document.getElementById("connect-status").textContent), null, { timeout: 30_000 });
    assert.deepEqual(await page.$$eval("#dag-list button", (b) => b.map((x) => x.textContent)), ["trigger_params"]);
    await choose(page, "trigger_params");
    await page.getByLabel("count").fill("0");
    assert.match(await fieldError(page, "count"), />= 1/);
    await page.getByLabel("count").fill("2");
    await page.getByLabel("target").fill("via-gateway");
    await page.getByRole("button", { name: "Trigger", exact: true }).click();
    await page.waitForSelector("#progress[data-state]", { timeout: 200_000 });
    const text = await page.textContent("#progress");
    assert.match(text, /: success after \d+ s$/);
    const runId = /^(.*): success after/.exec(text)[1];
    const stored = await getRun(server, "trigger_params", runId);
    assert.equal(stored.conf.target, "via-gateway");
    assert.equal(await page.getAttribute("#run-link", "hidden"), "", "no link: the page does not know Airflow's address");
    await deleteRuns(server, "trigger_params", [runId]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
