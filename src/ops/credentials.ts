import { utf8 } from "../lib/bytes";

/** Operator credentials: the bearer token, how strong it is, and the label that names it in audit fields. */

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

/** Lower-case hex SHA-256 of a string. */
export async function sha256Hex(s: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The actor recorded for whoever holds the ops token: `token:<first 8 hex of its SHA-256>`. It
 * names the token (and changes when it rotates) without revealing anything usable.
 */
export async function tokenLabel(token: string): Promise<string> {
  return `token:${(await sha256Hex(token)).slice(0, 8)}`;
}

/** Why a token must not guard a public host, or null when it is strong enough. */
export type TokenWeakness = "dev_value" | "too_short";

/**
 * A token fit for production holds at least 32 random bytes: 64 hex characters or 43 in base64
 * (`openssl rand -base64 32`). Length times the bits its alphabet can carry must reach 256, and a
 * handful of repeated characters does not count as random. `dev-` values are the committed
 * development ones.
 */
export function tokenWeakness(token: string): TokenWeakness | null {
  if (/^dev-/i.test(token)) return "dev_value";
  const bitsPerChar = /^[0-9a-f]+$/i.test(token) ? 4 : 6;
  if (token.length * bitsPerChar < 256 || new Set(token).size < 12) return "too_short";
  return null;
}
