// Who is calling: the signed identity assertion of an access proxy in front of the gateway
// (Cloudflare Access's `Cf-Access-Jwt-Assertion`), verified against the team's JWKS: RS256 or
// ES256 only, the key's type matching the algorithm, audience, issuer, expiry and clock skew
// checked. The JWKS is cached per isolate for its Cache-Control max-age.

const SKEW_S = 60;
const DEFAULT_TTL_S = 300;
const MAX_TTL_S = 86_400;
// An unknown `kid` (a key rotation) fetches the JWKS again, at most this often.
const REFETCH_S = 30;
const ALGS = {
  RS256: { kty: "RSA", import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { kty: "EC", crv: "P-256", import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
};

/** The access settings of `env`, `null` when identity is off, or `{ problem }`. */
export function accessConfig(env) {
  const { ACCESS_AUD: aud, ACCESS_TEAM_DOMAIN: team, ACCESS_JWKS_URL: jwks } = env;
  if (!aud && !team && !jwks) return null;
  if (!aud || !(team || jwks)) return { problem: "ACCESS_AUD with ACCESS_TEAM_DOMAIN (or ACCESS_JWKS_URL)" };
  let rules = null;
  if (env.ACCESS_RULES) {
    try {
      rules = JSON.parse(env.ACCESS_RULES);
      if (rules === null || typeof rules !== "object" || Array.isArray(rules)) throw new Error("not an object");
    } catch {
      return { problem: "ACCESS_RULES as a JSON object of identity (an email, or group:<name>) to { dags, assets }" };
    }
  }
  return {
    aud,
    issuer: team ? `https://${team}` : null,
    jwksUrl: jwks || `https://${team}/cdn-cgi/access/certs`,
    rules,
    cache: { keys: new Map(), until: 0, fetchedAt: -Infinity },
  };
}

function bytes(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new Error("not base64url");
  const text = atob(part.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (part.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function refresh(cfg, now) {
  const cache = cfg.cache;
  cache.fetchedAt = now;
  const res = await fetch(cfg.jwksUrl, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`the JWKS answered ${res.status}`);
  const { keys } = await res.json();
  const fresh = new Map();
  for (const jwk of Array.isArray(keys) ? keys : []) {
    const alg = Object.keys(ALGS).find((a) => ALGS[a].kty === jwk.kty && (!ALGS[a].crv || ALGS[a].crv === jwk.crv));
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
  } catch {
    return { error: "The identity assertion is not a readable JWT." };
  }
  const alg = ALGS[header?.alg];
  if (!alg) return { error: `The identity assertion's algorithm ${JSON.stringify(header?.alg)} is not accepted (RS256 or ES256 only).` };
  try {
    if (now >= cfg.cache.until) await refresh(cfg, now);
    if (!cfg.cache.keys.has(header.kid) && now - cfg.cache.fetchedAt >= REFETCH_S) await refresh(cfg, now);
  } catch (e) {
    console.error(`airflow-trigger gateway: the access JWKS could not be read: ${e?.message ?? e}`);
    if (cfg.cache.keys.size === 0) return { error: "The identity assertion cannot be checked now (the access keys are unavailable).", status: 503 };
  }
  const key = cfg.cache.keys.get(header.kid);
  if (!key || key.alg !== header.alg) return { error: "The identity assertion is signed with an unknown key." };
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify(alg.verify, key.key, signature, signed))) {
    return { error: "The identity assertion's signature is not valid." };
  }
  const auds = Array.isArray(payload?.aud) ? payload.aud : [payload?.aud];
  if (!auds.includes(cfg.aud)) return { error: "The identity assertion is for another application (aud)." };
  if (cfg.issuer && payload.iss !== cfg.issuer) return { error: "The identity assertion comes from another issuer." };
  if (typeof payload.exp !== "number" || payload.exp + SKEW_S < now) return { error: "The identity assertion has expired: sign in again." };
  if ((typeof payload.nbf === "number" && payload.nbf - SKEW_S > now) || (typeof payload.iat === "number" && payload.iat - SKEW_S > now)) {
    return { error: "The identity assertion is not valid yet (check the clocks)." };
  }
  const email = typeof payload.email === "string" ? payload.email : typeof payload.sub === "string" ? payload.sub : "";
  if (!email) return { error: "The identity assertion names nobody (no email or sub)." };
  const groups = Array.isArray(payload.groups) ? payload.groups.filter((g) => typeof g === "string") : [];
  return { identity: { email, groups } };
}

/** Whether `identity` may use `name` (a DAG id or an asset URI) of `kind` ("dags" or "assets"). */
export function allows(cfg, identity, kind, name) {
  if (!cfg?.rules) return true;
  const who = [identity.email, ...identity.groups.map((g) => `group:${g}`)];
  return who.some((w) => {
    const list = Object.hasOwn(cfg.rules, w) ? cfg.rules[w]?.[kind] : undefined;
    return Array.isArray(list) && (list.includes(name) || list.includes("*"));
  });
}
