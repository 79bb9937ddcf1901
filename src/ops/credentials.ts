import { fromBase64, toBase64, utf8 } from "../lib/bytes";

/** Operator credentials: the bearer token and the dashboard session derived from it. */

async function hmac(key: string, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", utf8(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, utf8(message)));
}

/** Byte comparison that reads every byte whatever it finds, so timing says nothing of where a mismatch is. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Compares a presented token with the configured one in constant time: both sides are HMACed
 * first, so the comparison runs over two equal-length digests whatever the inputs' lengths. An
 * unset or empty configured token matches nothing.
 */
export async function tokenMatches(presented: string, configured: string | undefined): Promise<boolean> {
  if (!configured) return false;
  const [a, b] = await Promise.all([hmac("dealwire-ops-compare", presented), hmac("dealwire-ops-compare", configured)]);
  return sameBytes(a, b);
}

/** How long a dashboard session lasts. */
export const SESSION_SECONDS = 12 * 60 * 60;

function b64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A dashboard session: `<expiry>.<HMAC(OPS_TOKEN, expiry)>`. The cookie never holds the token
 * itself, and rotating OPS_TOKEN ends every session.
 */
export async function issueSession(token: string, nowMs: number): Promise<string> {
  const exp = Math.floor(nowMs / 1000) + SESSION_SECONDS;
  return `${exp}.${b64url(await hmac(token, `ops-session|${exp}`))}`;
}

/** Whether a session value was issued with this token and has not expired. */
export async function sessionValid(value: string | undefined, token: string | undefined, nowMs: number): Promise<boolean> {
  if (!value || !token) return false;
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m?.[1] || !m[2]) return false;
  const exp = Number(m[1]);
  if (exp * 1000 <= nowMs) return false;
  const mac = fromBase64(m[2]);
  if (!mac) return false;
  return sameBytes(mac, await hmac(token, `ops-session|${exp}`));
}
