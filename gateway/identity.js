// Who is calling: the signed identity assertion of an access proxy in front of the gateway
// (Cloudflare Access's `Cf-Access-Jwt-Assertion`), verified against the team's JWKS: RS256 or
// ES256 only, the key's type matching the algorithm, audience, issuer, expiry and clock skew
// checked. The JWKS is cached per isolate for its Cache-Control max-age.

const SKEW_S = 60;
const DEFAULT_TTL_S = 300;
const MAX_TTL_S = 86_400;
// A JWKS fetch (a failed one too) is not repeated sooner than this, whatever callers send.
const REFETCH_S = 30;
// Keys past their max-age are still used this long while the JWKS cannot be read, no longer.
const STALE_S = 3_600;
const JWKS_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;
const ALGS = {
  RS256: { kty: "RSA", import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { kty: "EC", crv: "P-256", import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
};

/** `ACCESS_RULES` checked: identity (an email, or group:<name>) -> { dags?, assets? } lists. */
function readRules(text) {
  const rules = JSON.parse(text);
  if (rules === null || typeof rules !== "object" || Array.isArray(rules)) throw new Error("not an object");
  const out = new Map();
  for (const [who, rule] of Object.entries(rules)) {
    if (rule === null || typeof rule !== "object" || Array.isArray(rule)) throw new Error(`${who}: not an object`);
    for (const [kind, list] of Object.entries(rule)) {
      if (kind !== "dags" && kind !== "assets") throw new Error(`${who}: unknown key ${kind}`);
      if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) throw new Error(`${who}.${kind}: not a list of strings`);
    }
    out.set(who.toLowerCase(), rule);
  }
  return out;
}

/** The access settings of `env`, `null` when identity is off, or `{ problem }`. */
export function accessConfig(env) {
  const { ACCESS_AUD: aud, ACCESS_JWKS_URL: jwks, ACCESS_RULES: rulesText } = env;
  const team = String(env.ACCESS_TEAM_DOMAIN ?? "").replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (!aud && !team && !jwks && !rulesText) return null;
  if (!aud || !(team || jwks)) return { problem: "ACCESS_AUD with ACCESS_TEAM_DOMAIN (or ACCESS_JWKS_URL): ACCESS_RULES needs both" };
  if (team && !/^[A-Za-z0-9.-]+$/.test(team)) return { problem: "ACCESS_TEAM_DOMAIN as a host name, e.g. myteam.cloudflareaccess.com" };
  let rules = null;
  if (rulesText) {
    try {
      rules = readRules(rulesText);
    } catch (e) {
      return { problem: `ACCESS_RULES as a JSON object of identity (an email, or group:<name>) to { dags, assets } lists (${e.message})` };
    }
  }
  return {
    aud,
    issuer: team ? `https://${team}` : null,
    jwksUrl: jwks || `https://${team}/cdn-cgi/access/certs`,
    rules,
    cache: { keys: new Map(), until: 0, fetchedAt: -Infinity, pending: null },
  };
}

function bytes(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new Error("not base64url");
  const text = atob(part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function fetchKeys(cfg, now) {
  const cache = cfg.cache;
  const res = await fetch(cfg.jwksUrl, { headers: { Accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`the JWKS answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error("the JWKS is too large");
  const { keys } = JSON.parse(text);
  const fresh = new Map();
  for (const jwk of Array.isArray(keys) ? keys : []) {
    const alg = Object.keys(ALGS).find((a) => ALGS[a].kty === jwk?.kty && (!ALGS[a].crv || ALGS[a].crv === jwk.crv));
    // A key is used only for its own algorithm: an RSA key never verifies an ES256 token, nor
    // any key an HS256 one (key confusion).
    if (!alg || typeof jwk.kid !== "string" || (jwk.alg && jwk.alg !== alg)) continue;
    const { kty, n, e, crv, x, y } = jwk;
    const material = kty === "RSA" ? { kty, n, e } : { kty, crv, x, y };
    try {
      fresh.set(jwk.kid, { alg, key: await crypto.subtle.importKey("jwk", material, ALGS[alg].import, false, ["verify"]) });
    } catch {
      // A key that does not import is left out; the others still work.
    }
  }
  const maxAge = Number((res.headers.get("Cache-Control") ?? "").match(/max-age=(\d+)/)?.[1] ?? DEFAULT_TTL_S);
  cache.keys = fresh;
  cache.until = now + Math.min(Math.max(maxAge, 0), MAX_TTL_S);
}

/** Reads the JWKS again when it is due (expired, or an unknown `kid`), once at a time, never more often than REFETCH_S. */
async function refresh(cfg, now, kid) {
  const cache = cfg.cache;
  const due = now >= cache.until || !cache.keys.has(kid);
  if (!due || now - cache.fetchedAt < REFETCH_S) return cache.pending ?? undefined;
  cache.fetchedAt = now;
  cache.pending = fetchKeys(cfg, now).finally(() => {
    cache.pending = null;
  });
  return cache.pending;
}

const identityOf = (payload) => {
  if (typeof payload.email === "string" && payload.email) return payload.email.toLowerCase();
  // A service token names its client, never a person.
  if (typeof payload.common_name === "string" && payload.common_name) return `service:${payload.common_name}`;
  if (typeof payload.sub === "string" && payload.sub) return payload.sub.toLowerCase();
  return "";
};

/**
 * The caller's identity `{ email, groups }` from the request's assertion, or `{ error }` saying
 * what was wrong (never echoing the token).
 */
export async function verifyAccess(request, cfg) {
  const token = request.headers.get("Cf-Access-Jwt-Assertion") ?? "";
  const now = Math.floor(Date.now() / 1000);
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "Missing or malformed Cf-Access-Jwt-Assertion: sign in through the access proxy." };
  let header;
  let payload;
  let signature;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes(parts[0])));
    payload = JSON.parse(new TextDecoder().decode(bytes(parts[1])));
    signature = bytes(parts[2]);
    if (header === null || typeof header !== "object" || payload === null || typeof payload !== "object") throw new Error("not objects");
  } catch {
    return { error: "The identity assertion is not a readable JWT." };
  }
  const alg = typeof header.alg === "string" && Object.hasOwn(ALGS, header.alg) ? ALGS[header.alg] : null;
  if (!alg) return { error: "The identity assertion's algorithm is not accepted (RS256 or ES256 only)." };
  try {
    await refresh(cfg, now, header.kid);
  } catch (e) {
    console.error(`airflow-trigger gateway: the access JWKS could not be read: ${e?.message ?? e}`);
  }
  if (now >= cfg.cache.until + STALE_S) {
    return { error: "The identity assertion cannot be checked now (the access keys are unavailable).", status: 503 };
  }
  const key = typeof header.kid === "string" ? cfg.cache.keys.get(header.kid) : undefined;
  if (!key || key.alg !== header.alg) return { error: "The identity assertion is signed with an unknown key." };
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify(alg.verify, key.key, signature, signed))) {
    return { error: "The identity assertion's signature is not valid." };
  }
  const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!auds.includes(cfg.aud)) return { error: "The identity assertion is for another application (aud)." };
  if (cfg.issuer && payload.iss !== cfg.issuer) return { error: "The identity assertion comes from another issuer." };
  if (typeof payload.exp !== "number" || payload.exp + SKEW_S < now) return { error: "The identity assertion has expired: sign in again." };
  for (const claim of ["nbf", "iat"]) {
    if (payload[claim] !== undefined && (typeof payload[claim] !== "number" || payload[claim] - SKEW_S > now)) {
      return { error: "The identity assertion is not valid yet (check the clocks)." };
    }
  }
  const email = identityOf(payload);
  if (!email) return { error: "The identity assertion names nobody (no email, common_name or sub)." };
  // Access puts groups in custom claims when the application is set up to: either place.
  const claimed = Array.isArray(payload.groups) ? payload.groups : Array.isArray(payload.custom?.groups) ? payload.custom.groups : [];
  const groups = claimed.filter((g) => typeof g === "string").map((g) => g.toLowerCase());
  return { identity: { email, groups } };
}

/** Whether `identity` may use `name` (a DAG id or an asset URI) of `kind` ("dags" or "assets"). */
export function allows(cfg, identity, kind, name) {
  if (!cfg?.rules) return true;
  // An email never matches a group's rule: group rules are keyed group:<name>, emails are not.
  const who = [...(identity.email.startsWith("group:") ? [] : [identity.email]), ...identity.groups.map((g) => `group:${g}`)];
  return who.some((w) => {
    const list = cfg.rules.get(w)?.[kind];
    return Array.isArray(list) && (list.includes(name) || list.includes("*"));
  });
}
