// The comparison for the gateway benchmark: the same job in plain JS with @cfworker/json-schema
// (bearer check, allowlist, Params fetched once per isolate, each Param validated on its own with
// defaults merged, the trigger request built and forwarded). Not part of the package.
import { Validator } from "@cfworker/json-schema";

let params;

// The gateway's own constant-time check, repeated on purpose: both workers must do the same work.
async function sameSecret(a, b) {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([a, b].map((s) => crypto.subtle.digest("SHA-256", enc.encode(s))));
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i] ^ v[i];
  return diff === 0;
}

const fail = (status, message, extra = {}) => Response.json({ error: { message, ...extra } }, { status });

export default {
  async fetch(request, env) {
    const m = new URL(request.url).pathname.match(/^\/dags\/([^/]+)\/trigger$/);
    if (!m || request.method !== "POST") return fail(404, "not found");
    const header = request.headers.get("Authorization") ?? "";
    if (!(await sameSecret(header.startsWith("Bearer ") ? header.slice(7) : "", env.GATEWAY_TOKEN))) return fail(401, "unauthorized");
    const dagId = decodeURIComponent(m[1]);
    if (!env.ALLOWED_DAGS.split(",").includes(dagId)) return fail(403, "forbidden");
    const auth = { Authorization: `Bearer ${env.AIRFLOW_TOKEN}`, Accept: "application/json" };
    const base = `${env.AIRFLOW_URL}/api/v2/dags/${encodeURIComponent(dagId)}`;
    if (!params) {
      const details = await (await fetch(`${base}/details`, { headers: auth })).json();
      params = Object.entries(details.params).map(([k, p]) => [k, p.value, new Validator(p.schema, "2020-12", false)]);
    }
    const input = await request.json();
    const conf = { ...input.conf };
    const errors = [];
    for (const [k, def, validator] of params) {
      if (!(k in conf)) {
        // The API shows a Param without default as null; null is a default only where allowed.
        if (def === undefined || (def === null && !validator.validate(null).valid)) {
          errors.push({ instancePath: `/${k}`, message: "No value passed and Param has no default value" });
          continue;
        }
        conf[k] = def;
      }
      const r = validator.validate(conf[k]);
      if (!r.valid) errors.push(...r.errors);
    }
    if (errors.length) return fail(422, "invalid conf", { errors });
    const runId = `trigger__${Date.now()}_${crypto.randomUUID().slice(0, 13)}`;
    const res = await fetch(`${base}/dagRuns`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ dag_run_id: runId, logical_date: null, conf: input.conf ?? {} }),
    });
    return Response.json({ run: await res.json() }, { status: res.ok ? 201 : 502 });
  },
};
