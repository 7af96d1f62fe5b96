// The trigger page attacked in headless Chromium, without a server: hostile Param names and enum
// values, and the page's CSP as served, as written and as enforced.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { serveWww } from "../../scripts/serve-www.mjs";
import { launch, watchProblems } from "./browser.mjs";

let browser;
let site;
before(async () => {
  // A key with "%" and "/" (a JSON Pointer token ~1, never percent-decoded), enum values named like
  // Object's members, values_display without them.
  const hostile = {
    type: "object",
    properties: {
      "a%b/c": { type: "integer", default: 1 },
      pick: { enum: ["constructor", "toString", "__proto__", "x"], values_display: { x: "Ex" }, default: "x" },
    },
  };
  const hostileJs = `import { renderParamsForm } from "/form.js";
const form = renderParamsForm(document.getElementById("f"), ${JSON.stringify(hostile)}, {});
form.showErrors([{ instancePath: "/a%b~1c", message: "must be integer" }, { instancePath: "/pick", message: "bad pick" }]);
document.body.dataset.ready = "true";`;
  site = await serveWww(0, {
    "/hostile.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>hostile</title><script type="module" src="/hostile.js"></script></head><body><form id="f"></form></body></html>`,
    "/hostile.js": hostileJs,
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh page that records console errors, page errors and CSP violations. */
async function open(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${site.url}${path}`);
  return { context, page, problems };
}

test("the page's CSP is strict as served and as written, and the browser enforces it", async () => {
  const res = await fetch(`${site.url}index.html`);
  const header = res.headers.get("content-security-policy");
  const meta = (await res.text()).match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  for (const policy of [header, meta]) {
    assert.ok(policy, "a policy is served");
    const directives = Object.fromEntries(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives["default-src"], ["'none'"]);
    assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(!/unsafe-inline|'unsafe-eval'|\*/.test(policy), policy);
  }
  const { context, page } = await open("");
  await page.waitForLoadState("load");
  try {
    // An inline script injected into the page (what an XSS would do) does not run, and the
    // browser reports the violation. (page.evaluate itself runs outside the page's CSP.)
    const outcome = await page.evaluate(
      () =>
        new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (e) => resolve({ ran: Boolean(window.__inline), blocked: e.violatedDirective }));
          const script = document.createElement("script");
          script.textContent = "window.__inline = true";
          document.body.append(script);
          setTimeout(() => resolve({ ran: Boolean(window.__inline), blocked: null }), 2000);
        }),
    );
    assert.deepEqual(outcome, { ran: false, blocked: "script-src-elem" });
  } finally {
    await context.close();
  }
});

test("hostile Param names and enum values: errors land on their field, labels are the values", async () => {
  const { context, page, problems } = await open("hostile.html");
  try {
    await page.waitForSelector("body[data-ready=true]");
    const labels = await page.$$eval("select option", (o) => o.map((x) => x.textContent));
    assert.deepEqual(labels.filter((l) => l !== "—"), ["constructor", "toString", "__proto__", "Ex"]);
    const errorOf = (name) =>
      page.$eval(`[name="${name}"]`, (el) => document.getElementById(el.getAttribute("aria-describedby").split(" ")[1]).textContent);
    assert.match(await errorOf("a%b/c"), /must be integer/);
    assert.match(await errorOf("pick"), /bad pick/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

