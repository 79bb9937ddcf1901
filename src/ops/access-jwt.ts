import { fromBase64, utf8 } from "../lib/bytes";

/**
 * Cloudflare Access in front of /ops: Access signs a JWT (RS256) per request and sends it in
 * `Cf-Access-Jwt-Assertion`. It is accepted only after its signature verifies against the team's
 * published keys (`https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`), its `aud` names
 * this application and it is within its validity window. A header without a valid signature is
 * worth nothing: anyone can send one to a Worker that is not behind Access.
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
  opts: { aud: string; keys: readonly AccessKey[]; nowSeconds: number; issuer?: string },
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
  const key = await crypto.subtle.importKey("jwk", { ...material, alg: "RS256", ext: true }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, utf8(`${h}.${p}`));
  if (!valid) return { ok: false, reason: "signature" };
  const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!auds.includes(opts.aud)) return { ok: false, reason: "audience" };
  if (typeof claims.exp !== "number" || claims.exp <= opts.nowSeconds) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf > opts.nowSeconds + 60) return { ok: false, reason: "not_yet_valid" };
  if (opts.issuer && claims.iss !== opts.issuer) return { ok: false, reason: "issuer" };
  const subject = typeof claims.email === "string" ? claims.email : typeof claims.sub === "string" ? claims.sub : "access";
  return { ok: true, subject };
}

let cachedKeys: { url: string; keys: AccessKey[]; until: number } | undefined;

/** The team's signing keys, fetched once per isolate per 10 minutes (Access rotates them slowly). */
export async function accessKeys(certsUrl: string, now = Date.now()): Promise<AccessKey[]> {
  if (cachedKeys?.url === certsUrl && cachedKeys.until > now) return cachedKeys.keys;
  const res = await fetch(certsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) return [];
  const body: unknown = await res.json();
  const keys = body && typeof body === "object" && Array.isArray((body as { keys?: unknown }).keys) ? ((body as { keys: AccessKey[] }).keys) : [];
  cachedKeys = { url: certsUrl, keys, until: now + 10 * 60_000 };
  return keys;
}
