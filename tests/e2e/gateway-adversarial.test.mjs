// The gateway (gateway/worker.js, bundled) in workerd through miniflare, against recording fake
// Airflows (tests/e2e/fake-airflow.mjs; no real Airflow needed). Each case tries to break one
// promise: Airflow's credentials never follow a redirect; a signature is accepted once, for as
// long as its timestamp is; callers never see Airflow's address, its credentials or its text;
// a repeated Idempotency-Key must repeat the request. `AT_ROOT=<another checkout>` runs the same
// cases against that checkout's gateway/ and built pkg/ (how they were seen to fail before).
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { bundleWorker } from "../../scripts/worker-bundle.mjs";
import { fakeAirflow, pairedFakes, redirectTo } from "./fake-airflow.mjs";
import { startWorker } from "./workerd.mjs";

const root = process.env.AT_ROOT ?? new URL("../../", import.meta.url).pathname;
const TOKEN = "gateway-token-adversarial";
const HMAC = "gateway-hmac-adversarial";
const DAG = "paused_target";
const bearer = { Authorization: `Bearer ${TOKEN}` };
const post = (body, headers = {}) => ({ method: "POST", headers: { "Content-Type": "application/json", ...bearer, ...headers }, body: JSON.stringify(body) });

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "airflow-trigger-adversarial-"));
  // The gateway behind a test clock: a request's `X-Test-Clock-Offset: <seconds>` moves the
  // isolate's Date.now by that much from then on.
  writeFileSync(join(dir, "entry.mjs"), `import gateway from ${JSON.stringify(join(root, "gateway/worker.js"))};
const realNow = Date.now;
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;
export default {
  fetch(request, env, ctx) {
    const offset = request.headers.get("X-Test-Clock-Offset");
    if (offset !== null) offsetMs = Number(offset) * 1000;
    return gateway.fetch(request, env, ctx);
  },
};
`);
  bundleWorker({ entry: join(dir, "entry.mjs"), cwd: root, pkg: join(root, "pkg"), alias: "./pkg/workerd.js", outDir: join(dir, "out") });
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

/** A gateway in front of `airflowUrl`, with its worker's console lines in `logs`. */
async function gateway(fake, { url = fake.url, hmac = false, timeoutMs = 2000, extra = {} } = {}) {
  const logs = [];
  const mf = await startWorker(join(dir, "out"), {
    AIRFLOW_URL: url,
    AIRFLOW_USERNAME: fake.user,
    AIRFLOW_PASSWORD: fake.password,
    AIRFLOW_TIMEOUT_MS: String(timeoutMs),
    ALLOWED_DAGS: `${DAG},ghost`,
    ...(hmac ? { GATEWAY_HMAC_SECRET: HMAC } : { GATEWAY_TOKEN: TOKEN }),
    ...extra,
  }, { handleStructuredLogs: ({ level, message }) => {
    logs.push(`${level}: ${message}`);
  } });
  return {
    mf,
    logs,
    call: (path, init) => mf.dispatchFetch(`http://gateway${path}`, init),
    /** Resolves once a log line contains every text (the lines arrive through workerd's stdout). */
    async logged(...texts) {
      for (let i = 0; i < 100; i++) {
        const line = logs.find((l) => texts.every((t) => l.includes(t)));
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail(`no log line with ${JSON.stringify(texts)} in:\n${logs.join("\n")}`);
    },
  };
}

/** Everything of Airflow's a caller must never read: its address, the gateway's credentials. */
function secretsOf(...fakes) {
  return fakes.flatMap((f) => [f.host, "127.0.0.1", f.user, f.password, f.token, f.basic.slice(6)]);
}

function assertTellsNothing(body, secrets, name) {
  const text = JSON.stringify(body);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${name}: the caller reads ${JSON.stringify(secret)} in ${text}`);
}

async function closedPortUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const fakes = pairedFakes();

// Which request of the gateway's client is redirected, and the gateway call that makes it.
const STAGES = [
  ["the version probe GET /api/v1/version", [2, 3], "params", (r) => r.path === "/api/v1/version"],
  ["the version probe GET /api/v2/version", [3], "params", (r) => r.path === "/api/v2/version"],
  ["the token request POST /auth/token", [3], "params", (r) => r.path === "/auth/token"],
  ["GET the DAG's details (GET /params)", [2, 3], "params", (r) => r.path.endsWith("/details")],
  ["GET the DAG's details before a trigger", [2, 3], "trigger", (r) => r.path.endsWith("/details")],
  ["the trigger POST", [2, 3], "trigger", (r) => r.method === "POST" && r.path.endsWith("/dagRuns")],
  ["GET a run", [2, 3], "run", (r) => /\/dagRuns\/[^/]+$/.test(r.path)],
];
const CALLS = {
  params: [`/dags/${DAG}/params`, { headers: bearer }],
  trigger: [`/dags/${DAG}/trigger`, post({ conf: { n: 2 }, note: "redirected" }, { "Idempotency-Key": "k_redirect" })],
  run: [`/dags/${DAG}/runs/some_run`, { headers: bearer }],
};

for (const major of [2, 3]) {
  describe(`redirects, Airflow ${major} (${major === 2 ? "Basic" : "Bearer JWT"}): nothing reaches the other origin`, () => {
    for (const [stage, majors, call, matches] of STAGES) {
      if (!majors.includes(major)) continue;
      test(`a redirect of ${stage}`, async () => {
        const { airflow, other } = fakes[major];
        for (const status of [301, 302, 303, 307, 308]) {
          airflow.reset();
          other.reset();
          const redirect = redirectTo(other, status);
          airflow.answer = (r) => (matches(r) ? redirect(r) : undefined);
          const g = await gateway(airflow);
          try {
            const res = await g.call(...CALLS[call]);
            const body = await res.json();
            const name = `${status} of ${stage}`;
            assert.deepEqual(other.requests, [], `${name}: the other origin got a request`);
            const redirected = airflow.requests.filter(matches);
            assert.equal(redirected.length, 1, `${name}: redirected once, never retried: ${JSON.stringify(airflow.requests.map((r) => r.path))}`);
            if (/details|trigger|run/.test(stage)) {
              // What was at stake: the credential the redirected request carried.
              assert.equal(redirected[0].headers.authorization, major === 2 ? airflow.basic : `Bearer ${airflow.token}`, name);
            }
            if (/token/.test(stage)) assert.ok(redirected[0].body.includes(airflow.password), name);
            assert.equal(res.status, 502, `${name}: ${JSON.stringify(body)}`);
            assert.equal(body.error.code, "MISCONFIGURED", name);
            assert.match(body.error.message, /redirect/, name);
            assert.match(body.error.message, /AIRFLOW_URL/, name);
            assertTellsNothing(body, secretsOf(airflow, other), name);
            // The operator learns where it pointed (an origin only).
            await g.logged("redirect", `(${status})`, other.url);
            if (call === "trigger") assert.equal(airflow.runs.size, 0, name);
          } finally {
            await g.mf.dispose();
          }
        }
      });
    }
  });
}

describe("HMAC: a signature is accepted once, for as long as its timestamp is", () => {
  const path = `/dags/${DAG}/trigger`;
  function signed(body, ts, offset = 0) {
    const text = JSON.stringify(body);
    const sig = createHmac("sha256", HMAC).update(`${ts}.POST.${path}.${text}`).digest("hex");
    return {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Gateway-Timestamp": String(ts), "X-Gateway-Signature": `sha256=${sig}`, "X-Test-Clock-Offset": String(offset) },
      body: text,
    };
  }

  test("a signature dated ahead is still refused after its arrival's window, until its timestamp is stale", async () => {
    const airflow = fakes[3].airflow;
    airflow.reset();
    const g = await gateway(airflow, { hmac: true });
    try {
      const now = Math.floor(Date.now() / 1000);
      const body = { conf: { n: 5 } };
      const ts = now + 55; // ahead of the gateway's clock, as a fast client's clock may be
      const first = await g.call(path, signed(body, ts));
      assert.equal(first.status, 201, JSON.stringify(await first.json()));
      const refusals = [
        ["replayed at once", 0, /already used/],
        // The arrival was > 300 s ago, the timestamp only 246 s: still usable, so still remembered.
        ["replayed 301 s later", 301, /already used/],
        ["replayed 356 s later (the timestamp is 301 s old)", 356, /stale/],
      ];
      for (const [name, offset, message] of refusals) {
        const res = await g.call(path, signed(body, ts, offset));
        const out = await res.json();
        assert.equal(res.status, 401, `${name}: ${JSON.stringify(out)}`);
        assert.equal(out.error.code, "UNAUTHORIZED", name);
        assert.match(out.error.message, message, name);
      }
      // The gateway itself still works at that clock: a fresh signature passes.
      const fresh = await g.call(path, signed(body, now + 356, 356));
      assert.equal(fresh.status, 201, JSON.stringify(await fresh.json()));
      const posts = airflow.requests.filter((r) => r.method === "POST" && r.path.endsWith("/dagRuns"));
      assert.equal(posts.length, 2, "only the two fresh signatures reached Airflow");
    } finally {
      await g.mf.dispose();
    }
  });

  test("a full replay memory answers 503 BUSY with Retry-After, and sends nothing to Airflow", async () => {
    const airflow = fakes[3].airflow;
    airflow.reset();
    const g = await gateway(airflow, { hmac: true, extra: { GATEWAY_REPLAY_MEMORY: "3" } });
    try {
      const now = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 3; i++) {
        const res = await g.call(path, signed({ conf: { n: 10 + i } }, now));
        assert.equal(res.status, 201, JSON.stringify(await res.json()));
      }
      const res = await g.call(path, signed({ conf: { n: 20 } }, now));
      const out = await res.json();
      assert.equal(res.status, 503, JSON.stringify(out));
      assert.equal(out.error.code, "BUSY");
      assert.equal(res.headers.get("Retry-After"), "10");
      const posts = airflow.requests.filter((r) => r.method === "POST" && r.path.endsWith("/dagRuns"));
      assert.equal(posts.length, 3);
      // Once the remembered signatures are stale (and pruned), signed requests pass again.
      const later = await g.call(path, signed({ conf: { n: 21 } }, now + 320, 320));
      assert.equal(later.status, 201, JSON.stringify(await later.json()));
    } finally {
      await g.mf.dispose();
    }
  });

  test("a timestamp far ahead is refused (it would stay usable, and remembered, for longer than the window)", async () => {
    const airflow = fakes[3].airflow;
    airflow.reset();
    const g = await gateway(airflow, { hmac: true });
    try {
      const now = Math.floor(Date.now() / 1000);
      for (const ahead of [299, 65]) {
        const res = await g.call(path, signed({ conf: { n: 6 } }, now + ahead));
        const out = await res.json();
        assert.equal(res.status, 401, `${ahead} s ahead: ${JSON.stringify(out)}`);
        assert.match(out.error.message, /ahead/);
      }
      assert.equal(airflow.requests.filter((r) => r.method === "POST").length, 0);
    } finally {
      await g.mf.dispose();
    }
  });
});

const MARK = "DISTINCT-AIRFLOW-TEXT-7f3a";

for (const major of [2, 3]) {
  describe(`Airflow ${major}: callers never read Airflow's address, credentials or text`, () => {
    let g;
    const airflow = () => fakes[major].airflow;
    before(async () => {
      airflow().reset();
      g = await gateway(airflow(), { timeoutMs: 400 });
    });
    after(async () => g?.mf.dispose());

    const error = (status, detail) => (major === 2
      ? { status, headers: { "Content-Type": "application/problem+json" }, body: { detail, status, title: "Error", type: "about:blank" } }
      : { status, body: { detail } });
    const isTrigger = (r) => r.method === "POST" && r.path.endsWith("/dagRuns");
    const cases = [
      // [name, the fake's answer, the gateway call, status, code]
      // (first: later triggers leave the DAG's details cached for a minute)
      ["Airflow's 404 for the details", (r) => (r.path.endsWith("/details") ? error(404, `${MARK} not found`) : undefined), "params", 404, "NOT_FOUND"],
      ["Airflow's 400 on the trigger", (r) => (isTrigger(r) ? error(400, `${MARK}: refused`) : undefined), "trigger", 502, "SERVER"],
      ["Airflow's 400 naming a Param", (r) => (isTrigger(r) ? error(400, `Invalid input for param n: ${MARK} is not valid`) : undefined), "trigger", 422, "INVALID_CONF"],
      ["Airflow's 404 for a run", (r) => (/dagRuns\/some_run$/.test(r.path) ? error(404, `${MARK} no run`) : undefined), "run", 404, "NOT_FOUND"],
      ["Airflow's 403 (the gateway's credentials)", (r) => (/dagRuns\/some_run$/.test(r.path) ? error(403, `${MARK} forbidden`) : undefined), "run", 502, "SERVER"],
      ["Airflow's 500", (r) => (isTrigger(r) ? { status: 500, headers: { "Content-Type": "text/html" }, body: `<html><h1>${MARK}</h1></html>` } : undefined), "trigger", 502, "SERVER"],
      ["Airflow's 409 on a trigger, then 404 for the run", (r) => (isTrigger(r) ? error(409, `${MARK} exists`) : /k_redirect$/.test(r.path) ? error(404, `${MARK} gone`) : undefined), "trigger", 404, "NOT_FOUND"],
      ["no answer in time", (r) => (isTrigger(r) ? { hold: 1000, status: 500, body: MARK } : undefined), "trigger", 504, "TIMEOUT"],
    ];
    for (const [name, answer, call, status, code] of cases) {
      test(name, async () => {
        airflow().answer = answer;
        const res = await g.call(...CALLS[call]);
        const body = await res.json();
        assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
        assert.equal(body.error.code, code, name);
        assertTellsNothing(body, [...secretsOf(airflow()), MARK], name);
        if (code !== "TIMEOUT") await g.logged(MARK);
      });
    }

    test("a bad Idempotency-Key: the library's words about the caller's own value", async () => {
      airflow().answer = undefined;
      const res = await g.call(...[CALLS.trigger[0], post({ conf: { n: 1 } }, { "Idempotency-Key": "a/b" })]);
      const body = await res.json();
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.error.code, "BAD_REQUEST");
      assert.match(body.error.message, /^Idempotency-Key/);
      assertTellsNothing(body, secretsOf(airflow()), "bad key");
    });

    test("a version probe answered by something that is not Airflow's API", async () => {
      const page = { status: 200, headers: { "Content-Type": "text/html" }, body: `<html>${MARK}</html>` };
      const odd = await fakeAirflow({ major });
      odd.answer = (r) => (r.path.endsWith("/version") ? page : undefined);
      const h = await gateway(odd);
      try {
        const res = await h.call(...CALLS.params);
        const body = await res.json();
        assert.equal(res.status, 502, JSON.stringify(body));
        assert.equal(body.error.code, "MISCONFIGURED");
        assertTellsNothing(body, [...secretsOf(odd), MARK], "odd probe");
        await h.logged("version", odd.url);
      } finally {
        await h.mf.dispose();
        await odd.close();
      }
    });

    test("Airflow unreachable", async () => {
      const url = await closedPortUrl();
      const h = await gateway(airflow(), { url });
      try {
        const res = await h.call(...CALLS.trigger);
        const body = await res.json();
        assert.equal(res.status, 502, JSON.stringify(body));
        assert.equal(body.error.code, "SERVER");
        assertTellsNothing(body, [...secretsOf(airflow()), url.slice(7)], "unreachable");
        await h.logged("NETWORK", url);
      } finally {
        await h.mf.dispose();
      }
    });
  });
}

for (const major of [2, 3]) {
  describe(`Airflow ${major}: a repeated Idempotency-Key must repeat every field`, () => {
    let g;
    const airflow = () => fakes[major].airflow;
    before(async () => {
      airflow().reset();
      g = await gateway(airflow());
    });
    after(async () => g?.mf.dispose());
    const trigger = (key, body) => g.call(`/dags/${DAG}/trigger`, post(body, { "Idempotency-Key": key }));

    test("another note, no note, or another conf is a 409; the same request is the same run", async () => {
      const first = await trigger("k_note", { conf: { n: 2 }, note: "first" });
      assert.equal(first.status, 201, JSON.stringify(await first.json()));
      const same = await trigger("k_note", { conf: { n: 2 }, note: "first" });
      const out = await same.json();
      assert.equal(same.status, 200, JSON.stringify(out));
      assert.equal(out.run.alreadyExisted, true);
      for (const [body, field] of [
        [{ conf: { n: 2 }, note: "second" }, "note"],
        [{ conf: { n: 2 } }, "note"],
        [{ conf: { n: 3 }, note: "first" }, "conf"],
      ]) {
        const res = await trigger("k_note", body);
        const err = await res.json();
        assert.equal(res.status, 409, `${JSON.stringify(body)}: ${JSON.stringify(err)}`);
        assert.equal(err.error.code, "CONFLICT");
        assert.match(err.error.message, new RegExp(`another ${field}`));
      }
      assert.equal(airflow().runs.get(`${DAG}/k_note`).note, "first");
      assert.equal(airflow().runs.size, 1);
    });

    test("the caller's headers never reach Airflow (the gateway builds its own requests)", async () => {
      airflow().requests.length = 0;
      const res = await trigger("k_headers", { conf: { n: 2 } });
      assert.equal(res.status, 201);
      const extra = { "X-Caller-Secret": "caller-secret-7", Cookie: "session=caller", "X-Forwarded-For": "10.0.0.9" };
      await g.call(`/dags/${DAG}/trigger`, post({ conf: { n: 3 } }, { "Idempotency-Key": "k_headers2", ...extra }));
      await g.call(`/dags/${DAG}/runs/k_headers2`, { method: "GET", headers: { ...bearer, ...extra } });
      assert.ok(airflow().requests.length >= 2);
      for (const r of airflow().requests) {
        const seen = JSON.stringify(r.headers);
        assert.ok(!seen.includes("caller-secret-7") && !seen.includes("session=caller") && !seen.includes("10.0.0.9"), seen);
        assert.ok(!seen.includes(TOKEN), "the gateway's own token stays in the gateway");
      }
    });

    test("a run id that is not valid percent-encoding is a 400, not a 502", async () => {
      const res = await g.call(`/dags/${DAG}/runs/%E0%A4%A`, { method: "GET", headers: bearer });
      const body = await res.json();
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.error.code, "BAD_REQUEST");
    });

    test("a 422 stays small whatever the conf (a 50 KB conf against a 500-value enum)", async () => {
      const before = airflow().runs.size;
      const res = await trigger("k_422", { conf: { n: 2, tags: Array.from({ length: 6000 }, (_, i) => `x${i}`) } });
      const text = await res.text();
      assert.equal(res.status, 422, text.slice(0, 300));
      const body = JSON.parse(text);
      assert.equal(body.error.code, "INVALID_CONF");
      assert.ok(body.error.errors.length <= 21, `${body.error.errors.length} errors`);
      assert.ok(text.length < 64 * 1024, `${text.length} bytes`);
      assert.equal(airflow().runs.size, before, "nothing reached Airflow");
    });

    test("the same after a lost answer, when the client reads the run back itself", async () => {
      const first = await trigger("k_lost", { conf: { n: 2 }, note: "first" });
      assert.equal(first.status, 201);
      // The next trigger's first POST loses its connection; the retry is answered 409.
      let dropped = false;
      airflow().answer = (r) => {
        if (r.method !== "POST" || dropped) return undefined;
        dropped = true;
        return { destroy: true };
      };
      const res = await trigger("k_lost", { conf: { n: 2 }, note: "second" });
      const err = await res.json();
      assert.ok(dropped);
      assert.equal(res.status, 409, JSON.stringify(err));
      assert.match(err.error.message, /another note/);
      assert.equal(airflow().runs.get(`${DAG}/k_lost`).note, "first");
    });
  });
}
