import { fromBase64, utf8 } from "../lib/bytes";

/**
 * Cloudflare Access in front of /ops: Access signs a JWT (RS256) per request and sends it in
 * `Cf-Access-Jwt-Assertion`. It is accepted only after its signature verifies against the team's
 * published keys (`https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`), its `iss` is that
 * team, its `aud` names this application and it is within its validity window. A header without a
 * valid signature is worth nothing: anyone can send one to a Worker that is not behind Access.
 */

export interface AccessKey extends JsonWebKey {
  kid?: string;
}

export type AccessIdentity = { ok: true; subject: string } | { ok: false; reason: string };

interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
}

interface JwtClaims {
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iss?: unknown;
  email?: unknown;
  common_name?: unknown;
  sub?: unknown;
}

function decodePart<T>(part: string): T | null {
  const bytes = fromBase64(part);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v && typeof v === "object" ? (v as T) : null;
  } catch {
    return null;
  }
}

/** Verifies an Access JWT against the given keys; pure apart from Web Crypto. */
export async function verifyAccessJwt(
  token: string,
  opts: { aud: string; issuer: string; keys: readonly AccessKey[]; nowSeconds: number },
): Promise<AccessIdentity> {
  const parts = token.split(".");
  if (parts.length !== 3 || token.length > 8192) return { ok: false, reason: "malformed" };
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart<JwtHeader>(h);
  const claims = decodePart<JwtClaims>(p);
  const signature = fromBase64(s);
  if (!header || !claims || !signature) return { ok: false, reason: "malformed" };
  if (header.alg !== "RS256") return { ok: false, reason: "algorithm" };
  const jwk = opts.keys.find((k) => k.kid === header.kid && k.kty === "RSA");
  if (!jwk) return { ok: false, reason: "unknown_key" };
  const { kid: _kid, ...material } = jwk;
  const key = await crypto.subtle.importKey(
    "jwk",
    { ...material, alg: "RS256", ext: true },
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, utf8(`${h}.${p}`));
  if (!valid) return { ok: false, reason: "signature" };
  const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!auds.includes(opts.aud)) return { ok: false, reason: "audience" };
  if (typeof claims.exp !== "number" || claims.exp <= opts.nowSeconds) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf > opts.nowSeconds + 60) return { ok: false, reason: "not_yet_valid" };
  if (claims.iss !== opts.issuer) return { ok: false, reason: "issuer" };
  // A person signs in with an email; a service token (automation) carries its client id instead.
  const subject = [claims.email, claims.common_name, claims.sub].find((v): v is string => typeof v === "string" && v !== "") ?? "access";
  return { ok: true, subject };
}

/** The id of the key a token names, or null when the token is malformed. */
export function keyIdOf(token: string): string | null {
  const header = decodePart<JwtHeader>(token.split(".")[0] ?? "");
  return typeof header?.kid === "string" ? header.kid : null;
}

/**
 * The issuer Access tokens must name: `OPS_ACCESS_TEAM_DOMAIN` when set (with or without its
 * scheme), else the origin of the certs URL (`https://<team>.cloudflareaccess.com`).
 */
export function accessIssuer(certsUrl: string, teamDomain?: string): string | null {
  const raw = teamDomain ? (/^https?:\/\//i.test(teamDomain) ? teamDomain : `https://${teamDomain}`) : certsUrl;
  try {
    return new URL(raw).origin;
  } catch {
    return null;
  }
}

/** Keys are kept this long after a successful fetch (Access rotates them every few weeks). */
const KEYS_TTL_MS = 10 * 60_000;
/** A token naming a key we do not hold refetches at most this often, however many such tokens come. */
const UNKNOWN_KID_REFETCH_MS = 30_000;
/** After a failed fetch the certs URL is left alone this long; the keys held so far stay in use. */
const FAILURE_BACKOFF_MS = 30_000;

interface KeyCache {
  keys: AccessKey[];
  fetchedAt: number; // 0: never fetched
  kidRefetchAt: number;
  failedUntil: number;
  inflight: Promise<void> | null;
}

/** Per isolate, per certs URL (one in production; tests use several teams). */
const caches = new Map<string, KeyCache>();

async function refresh(cache: KeyCache, certsUrl: string, now: number): Promise<void> {
  cache.inflight ??= (async () => {
    try {
      const res = await fetch(certsUrl, { signal: AbortSignal.timeout(5_000) });
      const body: unknown = res.ok ? await res.json() : null;
      const keys =
        body && typeof body === "object" && Array.isArray((body as { keys?: unknown }).keys) ? (body as { keys: AccessKey[] }).keys : null;
      if (!keys) throw new Error(`certs answered ${res.status}`);
      cache.keys = keys;
      cache.fetchedAt = now;
    } catch {
      cache.failedUntil = now + FAILURE_BACKOFF_MS;
    } finally {
      cache.inflight = null;
    }
  })();
  await cache.inflight;
}

/**
 * The team's signing keys, cached per isolate. A token whose `kid` is not among them (Access
 * rotated its key) refetches once, at most every 30 s, so a flood of made-up kids cannot hammer
 * the certs URL; a failed fetch is not retried for 30 s either. Concurrent callers share a fetch.
 */
export async function accessKeys(certsUrl: string, opts: { kid?: string | null; now?: number } = {}): Promise<AccessKey[]> {
  const now = opts.now ?? Date.now();
  let cache = caches.get(certsUrl);
  if (!cache) {
    if (caches.size >= 16) caches.clear();
    cache = { keys: [], fetchedAt: 0, kidRefetchAt: 0, failedUntil: 0, inflight: null };
    caches.set(certsUrl, cache);
  }
  if (cache.inflight) await cache.inflight;
  if (now < cache.failedUntil) return cache.keys;
  const stale = now - cache.fetchedAt >= KEYS_TTL_MS;
  const unknownKid = opts.kid != null && !cache.keys.some((k) => k.kid === opts.kid);
  if (stale) {
    await refresh(cache, certsUrl, now);
  } else if (unknownKid && now - cache.kidRefetchAt >= UNKNOWN_KID_REFETCH_MS) {
    cache.kidRefetchAt = now;
    await refresh(cache, certsUrl, now);
  }
  return cache.keys;
}
