// The gateway's caller identity and rate limits in workerd (miniflare): Cloudflare Access's
// Cf-Access-Jwt-Assertion verified against a local JWKS (RS256 and ES256; expired, wrong
// audience, wrong key, alg none, key confusion refused; the JWKS fetched once for its TTL),
// per-identity allowlists, the run's note naming who triggered (real Airflow 2.11.2 and 3.3.2),
// and 429 with Retry-After from the ratelimit bindings.
import assert from "node:assert/strict";
import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { GATEWAY, bundleWorker } from "../../scripts/worker-bundle.mjs";
import { deleteRuns, getRun, requireServers, servers } from "./helpers.mjs";
import { startWorker } from "./workerd.mjs";

const AUD = "gateway-app-audience";
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = (pair, kid) => ({ ...pair.publicKey.export({ format: "jwk" }), kid });
const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** A JWT signed with `key` (RS256 or ES256), or unsigned / HMAC-signed for the attacks. */
function jwt(claims, { alg = "RS256", kid = "rsa1", key = rsa.privateKey, hmacSecret } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg, kid, typ: "JWT" });
  const body = b64({ aud: [AUD], iat: now, exp: now + 600, email: "alice@example.com", ...claims });
  const input = `${head}.${body}`;
  if (alg === "none") return `${input}.`;
  if (alg === "HS256") return `${input}.${createHmac("sha256", hmacSecret).update(input).digest("base64url")}`;
  const sig = createSign("SHA256").update(input).sign(alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${input}.${sig.toString("base64url")}`;
}

let dir;
let jwks;
const fetches = { count: 0 };
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "airflow-trigger-gateway-identity-"));
  bundleWorker({ ...GATEWAY, outDir: dir });
  jwks = http.createServer((req, res) => {
    fetches.count++;
    res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=600" });
    res.end(JSON.stringify({ keys: [jwk(rsa, "rsa1"), jwk(ec, "ec1")] }));
  });
  await new Promise((r) => jwks.listen(0, "127.0.0.1", r));
});
after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => jwks?.close(r) ?? r());
});

const bindings = (server, extra = {}) => ({
  AIRFLOW_URL: server?.url ?? "http://127.0.0.1:9",
  AIRFLOW_USERNAME: server?.user ?? "u",
  AIRFLOW_PASSWORD: server?.password ?? "p",
  ALLOWED_DAGS: "paused_target,trigger_params",
  ACCESS_AUD: AUD,
  ACCESS_JWKS_URL: `http://127.0.0.1:${jwks.address().port}/certs`,
  ACCESS_RULES: JSON.stringify({ "alice@example.com": { dags: ["paused_target"] }, "group:ops": { dags: ["*"] } }),
  ...extra,
});
const as = (token, init = {}) => ({ ...init, headers: { ...init.headers, "Cf-Access-Jwt-Assertion": token } });

describe("gateway identity in workerd (no Airflow needed)", () => {
  test("valid RS256 and ES256 assertions pass; the JWKS is fetched once for its max-age", async () => {
    const mf = await startWorker(dir, bindings(null));
    try {
      const before = fetches.count;
      for (const token of [jwt({}), jwt({}, { alg: "ES256", kid: "ec1", key: ec.privateKey }), jwt({})]) {
        const res = await mf.dispatchFetch("http://gateway/dags", as(token));
        const out = await res.json();
        assert.equal(res.status, 200, JSON.stringify(out));
        // alice's rules leave her one of the two allowlisted DAGs.
        assert.deepEqual(out.dags, [{ dagId: "paused_target" }]);
      }
      assert.equal(fetches.count - before, 1, "one JWKS fetch for three requests");
      const ops = await mf.dispatchFetch("http://gateway/dags", as(jwt({ email: "bob@example.com", groups: ["ops"] })));
      assert.equal((await ops.json()).dags.length, 2, "a group's rule");
    } finally {
      await mf.dispose();
    }
  });

  test("forged, expired, misdirected and confused assertions are 401, and never reach Airflow", async () => {
    const mf = await startWorker(dir, bindings(null));
    try {
      const now = Math.floor(Date.now() / 1000);
      const pem = rsa.publicKey.export({ format: "pem", type: "spki" });
      const cases = [
        ["no assertion", ""],
        ["garbage", "a.b.c"],
        ["expired", jwt({ exp: now - 3600 })],
        ["from the future", jwt({ iat: now + 3600, nbf: now + 3600 })],
        ["wrong audience", jwt({ aud: ["another-app"] })],
        ["wrong key, known kid", jwt({}, { key: stranger.privateKey })],
        ["unknown kid", jwt({}, { kid: "nope" })],
        ["alg none", jwt({}, { alg: "none" })],
        ["key confusion: HS256 with the public key as secret", jwt({}, { alg: "HS256", hmacSecret: pem })],
        ["ES256 header on the RSA key's kid", jwt({}, { alg: "ES256", kid: "rsa1", key: ec.privateKey })],
        ["nobody", jwt({ email: undefined, sub: undefined })],
        ["tampered claims", (() => {
          const [h, , s] = jwt({}).split(".");
          return `${h}.${b64({ aud: [AUD], exp: now + 600, email: "mallory@example.com" })}.${s}`;
        })()],
      ];
      for (const [name, token] of cases) {
        const res = await mf.dispatchFetch("http://gateway/dags/paused_target/trigger", as(token, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }));
        const out = await res.json();
        assert.equal(res.status, 401, `${name}: ${JSON.stringify(out)}`);
        assert.equal(out.error.code, "UNAUTHORIZED", name);
        assert.ok(!JSON.stringify(out).includes(token.slice(0, 20)) || token.length < 20, `${name}: the token is not echoed`);
      }
      // A valid identity on a DAG its rules do not list: the same 403 as a DAG not allowlisted.
      const res = await mf.dispatchFetch("http://gateway/dags/trigger_params/trigger", as(jwt({}), { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }));
      assert.equal(res.status, 403);
      assert.equal((await res.json()).error.message, "This DAG is not available through the gateway.");
      // An email shaped like a group gets no group's rule; emails match whatever their case.
      const fake = await mf.dispatchFetch("http://gateway/dags", as(jwt({ email: "group:ops" })));
      assert.deepEqual((await fake.json()).dags, []);
      const upper = await mf.dispatchFetch("http://gateway/dags", as(jwt({ email: "Alice@Example.com" })));
      assert.deepEqual((await upper.json()).dags, [{ dagId: "paused_target" }]);
    } finally {
      await mf.dispose();
    }
  });

  test("rules without identity, or malformed, are a misconfiguration, not ignored", async () => {
    const withoutIdentity = { ...bindings(null) };
    delete withoutIdentity.ACCESS_AUD;
    delete withoutIdentity.ACCESS_JWKS_URL;
    for (const config of [
      withoutIdentity,
      bindings(null, { ACCESS_RULES: '{"alice@example.com": {"dags": "*"}}' }),
      bindings(null, { ACCESS_RULES: '{"alice@example.com": {"dag": ["x"]}}' }),
    ]) {
      const mf = await startWorker(dir, { ...config, GATEWAY_TOKEN: "t" });
      try {
        const res = await mf.dispatchFetch("http://gateway/dags", { headers: { Authorization: "Bearer t" } });
        assert.equal(res.status, 500, config.ACCESS_RULES);
        assert.equal((await res.json()).error.code, "MISCONFIGURED");
      } finally {
        await mf.dispose();
      }
    }
  });

  test("a JWKS that fails is not fetched again by every caller", async () => {
    let calls = 0;
    const failing = http.createServer((req, res) => {
      calls++;
      res.writeHead(500).end();
    });
    await new Promise((r) => failing.listen(0, "127.0.0.1", r));
    const mf = await startWorker(dir, bindings(null, { ACCESS_JWKS_URL: `http://127.0.0.1:${failing.address().port}/certs` }));
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => mf.dispatchFetch("http://gateway/dags", as(jwt({}, { kid: `k${i}` })))));
      assert.ok(answers.every((r) => r.status === 503), answers.map((r) => r.status).join());
      assert.ok(calls <= 2, `${calls} JWKS fetches for 20 requests`);
    } finally {
      await mf.dispose();
      await new Promise((r) => failing.close(r));
    }
  });

  test("a caller over its rate gets 429 with Retry-After; GET /dags (the gateway's own answer) is not limited", async () => {
    const mf = await startWorker(dir, bindings(null, { RATE_LIMIT_PERIOD_S: "60" }), {
      ratelimits: {
        CALLER_LIMITER: { namespace_id: "1001", simple: { limit: 2, period: 60 } },
        TARGET_LIMITER: { namespace_id: "1002", simple: { limit: 100, period: 60 } },
      },
    });
    try {
      // Bad bodies stop after the caller's limit check: nothing reaches Airflow, yet each counts.
      const post = () => mf.dispatchFetch("http://gateway/dags/paused_target/trigger", as(jwt({}), { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" }));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await post()).status);
      assert.deepEqual(statuses.slice(0, 2), [400, 400]);
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("Retry-After"), "60");
      assert.equal((await limited.json()).error.code, "RATE_LIMITED");
      // Another identity has its own budget; reads are never limited.
      const bob = await mf.dispatchFetch("http://gateway/dags/paused_target/trigger", as(jwt({ email: "bob@example.com", groups: ["ops"] }), { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" }));
      assert.equal(bob.status, 400);
      assert.equal((await mf.dispatchFetch("http://gateway/dags", as(jwt({})))).status, 200);
    } finally {
      await mf.dispose();
    }
  });
});

for (const server of servers) {
  describe(`gateway identity on ${server.name}`, () => {
    before(requireServers);
    test("the run's note names who triggered, through what", async () => {
      const mf = await startWorker(dir, bindings(server));
      const made = [];
      try {
        const key = `gw_id_${server.major}_${Date.now()}`;
        const res = await mf.dispatchFetch("http://gateway/dags/paused_target/trigger", as(jwt({}), {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": key },
          body: JSON.stringify({ conf: { n: 4 }, note: "nightly" }),
        }));
        const out = await res.json();
        assert.equal(res.status, 201, JSON.stringify(out));
        made.push(key);
        const run = await getRun(server, "paused_target", key);
        assert.equal(run.note, "triggered by alice@example.com through the airflow-trigger gateway: nightly");
        // The same key and body again: the same run (its composed note matches).
        const again = await mf.dispatchFetch("http://gateway/dags/paused_target/trigger", as(jwt({}), {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": key },
          body: JSON.stringify({ conf: { n: 4 }, note: "nightly" }),
        }));
        assert.equal(again.status, 200, JSON.stringify(await again.clone().json()));
      } finally {
        await mf.dispose();
        await deleteRuns(server, "paused_target", made);
      }
    });
  });
}
