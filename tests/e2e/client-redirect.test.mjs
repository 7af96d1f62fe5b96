// AirflowClient (the built package) never follows a redirect: against recording fake Airflows
// (tests/e2e/fake-airflow.mjs; no real Airflow needed), a redirect of any of its requests is an
// AirflowError naming where it pointed (an origin only), and the other origin gets nothing — in
// Node, Bun, Deno and Chromium (where a redirect arrives as an "opaqueredirect"). The gateway's
// side (workerd) is tests/e2e/gateway-adversarial.test.mjs. `AT_ROOT=<another checkout>` runs the
// cases against that checkout's pkg/.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { serveFiles } from "../../scripts/serve-www.mjs";
import { launch } from "./browser.mjs";
import { fakeAirflow, pairedFakes, redirectTo } from "./fake-airflow.mjs";

const root = process.env.AT_ROOT ?? new URL("../../", import.meta.url).pathname;
const run = promisify(execFile);
const { AirflowClient, AirflowError } = await import(pathToFileURL(join(root, "pkg/node.js")).href);

const fakes = pairedFakes();

// [which request is redirected, majors, auth types, the call that makes it]
const STAGES = [
  ["GET /api/v1/version", [2, 3], ["password"], (r) => r.path === "/api/v1/version", (c) => c.getParams("paused_target")],
  ["GET /api/v2/version", [3], ["password"], (r) => r.path === "/api/v2/version", (c) => c.getParams("paused_target")],
  ["POST /auth/token", [3], ["password"], (r) => r.path === "/auth/token", (c) => c.getParams("paused_target")],
  ["GET the DAG's details", [2, 3], ["password", "fixed"], (r) => r.path.endsWith("/details"), (c) => c.getParams("paused_target")],
  ["the trigger POST", [2, 3], ["password", "fixed"], (r) => r.method === "POST" && r.path.endsWith("/dagRuns"), (c) => c.trigger("paused_target", { conf: { n: 2 } })],
  ["GET a run", [2, 3], ["password", "fixed"], (r) => /\/dagRuns\/r1$/.test(r.path), (c) => c.getRun("paused_target", "r1")],
];

function clientFor(fake, auth, extra = {}) {
  const fixed = fake.major === 2
    ? { type: "basic", username: fake.user, password: fake.password }
    : { type: "bearer", token: fake.token };
  return new AirflowClient({
    baseUrl: fake.url,
    auth: auth === "fixed" ? fixed : { type: "password", username: fake.user, password: fake.password },
    retries: 2,
    ...extra,
  });
}

function assertRedirectError(e, { status, where, fake }) {
  assert.ok(e instanceof AirflowError, `an AirflowError, got ${e}`);
  assert.equal(e.code, "BAD_REQUEST");
  assert.equal(e.status, status);
  assert.match(e.message, /redirect/);
  assert.match(e.message, /baseUrl/);
  assert.ok(e.message.includes(where), `${e.message} names ${where}`);
  for (const secret of [fake.user, fake.password, fake.token, fake.basic.slice(6)]) assert.ok(!e.message.includes(secret), e.message);
}

for (const major of [2, 3]) {
  describe(`Node, Airflow ${major}: a redirect is an error and the other origin gets nothing`, () => {
    for (const [stage, majors, auths, matches, call] of STAGES) {
      if (!majors.includes(major)) continue;
      for (const auth of auths) {
        test(`a redirect of ${stage} (${auth === "fixed" ? (major === 2 ? "basic" : "bearer") : "password"} auth)`, async () => {
          const { airflow, other } = fakes[major];
          for (const status of [301, 302, 303, 307, 308]) {
            airflow.reset();
            other.reset();
            const redirect = redirectTo(other, status);
            airflow.answer = (r) => (matches(r) ? redirect(r) : undefined);
            const client = clientFor(airflow, auth);
            try {
              await assert.rejects(call(client), (e) => {
                assertRedirectError(e, { status, where: other.url, fake: airflow });
                return true;
              });
            } finally {
              client.free();
            }
            assert.deepEqual(other.requests, [], `${status}: the other origin got a request`);
            assert.equal(airflow.requests.filter(matches).length, 1, `${status}: sent once, not retried`);
            assert.equal(airflow.runs.size, 0);
          }
        });
      }
    }
  });
}

describe("Node: what the error tells", () => {
  test("only the origin of a Location with credentials, a path and a query", async () => {
    const { airflow, other } = fakes[3];
    airflow.reset();
    other.reset();
    const location = `http://someone:hunter2@${other.host}/login?next=/x&token=abc123#frag`;
    airflow.answer = (r) => (r.path.endsWith("/details") ? { status: 307, headers: { Location: location }, body: "" } : undefined);
    const client = clientFor(airflow, "fixed");
    await assert.rejects(client.getParams("paused_target"), (e) => {
      assertRedirectError(e, { status: 307, where: `to ${other.url}.`, fake: airflow });
      for (const part of ["someone", "hunter2", "login", "abc123", "frag"]) assert.ok(!e.message.includes(part), e.message);
      return true;
    });
    client.free();
    assert.deepEqual(other.requests, []);
  });

  test("a redirect to the same origin is refused too (baseUrl should be the final address)", async () => {
    const { airflow } = fakes[2];
    airflow.reset();
    airflow.answer = (r) => (r.path.endsWith("/details") ? { status: 308, headers: { Location: `/airflow${r.path}` }, body: "" } : undefined);
    const client = clientFor(airflow, "fixed");
    await assert.rejects(client.getParams("paused_target"), (e) => {
      assertRedirectError(e, { status: 308, where: `to ${airflow.url}.`, fake: airflow });
      return true;
    });
    client.free();
    assert.equal(airflow.requests.filter((r) => r.path.startsWith("/airflow")).length, 0);
  });

  test("a fetch passed in that follows redirects itself: its answer is refused", async () => {
    const { airflow, other } = fakes[2];
    airflow.reset();
    other.reset();
    airflow.answer = (r) => (r.path.endsWith("/details") ? redirectTo(other, 302)(r) : undefined);
    const client = clientFor(airflow, "fixed", { fetch: (url, init) => fetch(url, { ...init, redirect: "follow" }) });
    await assert.rejects(client.getParams("paused_target"), (e) => {
      assert.equal(e.code, "BAD_REQUEST");
      assert.match(e.message, /fetch function passed to AirflowClient followed it/);
      return true;
    });
    client.free();
  });
});

describe("Bun and Deno: the same refusal", () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "airflow-trigger-redirect-"));
    writeFileSync(join(dir, "redirect.mjs"), `const [pkg, baseUrl, username, password] = globalThis.Deno?.args ?? process.argv.slice(2);
const { AirflowClient } = await import(pkg);
const client = new AirflowClient({ baseUrl, auth: { type: "password", username, password }, retries: 0 });
try {
  console.log(JSON.stringify({ run: await client.trigger("paused_target", { conf: { n: 1 } }) }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, code: e.code, status: e.status, message: e.message }));
}
`);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  const runtimes = [
    ["Bun", join(root, "node_modules/.bin/bun"), (script) => [script]],
    ["Deno", join(root, ".tools/node_modules/.bin/deno"), (script, host) => ["run", "--quiet", `--allow-read=${join(root, "pkg")},${dir}`, `--allow-net=${host}`, script]],
  ];
  for (const [name, bin, args] of runtimes) {
    for (const major of [2, 3]) {
      test(`${name}, Airflow ${major}: a 307 of the trigger POST`, { skip: !existsSync(bin) && `${bin} is missing (scripts/install-tools.sh)` }, async () => {
        const { airflow, other } = fakes[major];
        airflow.reset();
        other.reset();
        airflow.answer = (r) => (r.method === "POST" && r.path.endsWith("/dagRuns") ? redirectTo(other, 307)(r) : undefined);
        const pkg = pathToFileURL(join(root, "pkg/node.js")).href;
        const { stdout } = await run(bin, [...args(join(dir, "redirect.mjs"), "127.0.0.1"), pkg, airflow.url, airflow.user, airflow.password]);
        const out = JSON.parse(stdout.trim().split("\n").at(-1));
        assert.equal(out.name, "AirflowError", stdout);
        assert.equal(out.code, "BAD_REQUEST");
        assert.equal(out.status, 307);
        assert.ok(out.message.includes(other.url), out.message);
        assert.deepEqual(other.requests, [], `${name}: the other origin got a request`);
        assert.equal(airflow.requests.filter((r) => r.method === "POST" && r.path.endsWith("/dagRuns")).length, 1);
      });
    }
  }
});

describe("Chromium: a redirect arrives as an opaqueredirect, and is refused", () => {
  let browser;
  let page;
  let files;
  let cors;
  before(async () => {
    cors = { airflow: await fakeAirflow({ major: 3, cors: true }), other: await fakeAirflow({ major: 3, cors: true }) };
    files = await serveFiles({ locate: (path) => new URL(`.${path}`, pathToFileURL(join(root, "pkg/"))), extra: { "/test.html": "<!DOCTYPE html><title>redirect</title>" } });
    browser = await launch();
    page = await browser.newPage();
    await page.goto(`${files.url}test.html`);
  });
  after(async () => {
    await browser?.close();
    await files?.close();
    await cors?.airflow.close();
    await cors?.other.close();
  });

  for (const status of [302, 307]) {
    test(`a ${status} of the trigger POST (bearer auth)`, async () => {
      const { airflow, other } = cors;
      airflow.reset();
      other.reset();
      airflow.answer = (r) => (r.method === "POST" && r.path.endsWith("/dagRuns") ? redirectTo(other, status)(r) : undefined);
      const out = await page.evaluate(async ({ baseUrl, token }) => {
        const m = await import("/index.js");
        await m.init();
        const client = new m.AirflowClient({ baseUrl, apiVersion: "v2", auth: { type: "bearer", token }, retries: 0 });
        try {
          return { run: await client.trigger("paused_target", { conf: { n: 1 } }) };
        } catch (e) {
          return { isAirflowError: e instanceof m.AirflowError, code: e.code, status: e.status, message: e.message };
        }
      }, { baseUrl: airflow.url, token: airflow.token });
      assert.equal(out.isAirflowError, true, JSON.stringify(out));
      assert.equal(out.code, "BAD_REQUEST");
      assert.equal(out.status, 0, "the browser hides the status of a redirect it did not follow");
      assert.match(out.message, /redirect to an address not known here/);
      assert.deepEqual(other.requests, [], "the other origin got a request");
      assert.equal(airflow.requests.filter((r) => r.method === "POST").length, 1);
    });
  }
});
