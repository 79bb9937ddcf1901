/** HMAC and comparison helpers on Web Crypto. */
import { utf8 } from "./bytes";

export type HmacAlgorithm = "SHA-1" | "SHA-256";

/** HMAC of `message` under `key` (a string is taken as its UTF-8 bytes). */
export async function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, message: string | Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", typeof key === "string" ? utf8(key) : key, { name: "HMAC", hash: algorithm }, false, [
    "sign",
  ]);
  const sig = await crypto.subtle.sign("HMAC", k, typeof message === "string" ? utf8(message) : message);
  return new Uint8Array(sig);
}

/** Constant-time string comparison, so credential checks do not leak by timing. */
export function safeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** RFC 7636 S256: BASE64URL(SHA-256(ASCII(code_verifier))), no padding. */
export async function pkceS256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(verifier)));
  let s = "";
  for (const b of digest) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The PKCE part of an authorization request (RFC 7636 §4.3): none, an S256 challenge, or a
 * refusal (the sandbox, like most servers, takes S256 only; a challenge must be 43 characters).
 */
export function pkceRequest(q: URLSearchParams): { challenge: string | null } | { error: string } {
  const challenge = q.get("code_challenge");
  if (challenge === null)
    return q.get("code_challenge_method") === null ? { challenge: null } : { error: "code_challenge_method without code_challenge" };
  if ((q.get("code_challenge_method") ?? "plain") !== "S256") return { error: "code_challenge_method must be S256" };
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return { error: "code_challenge must be 43 base64url characters" };
  return { challenge };
}

/**
 * Whether a token request proves the code's challenge (RFC 7636 §4.6): a code issued with a
 * challenge needs the matching code_verifier (43–128 unreserved characters).
 */
export async function pkceProven(challenge: string | null | undefined, verifier: string | undefined): Promise<boolean> {
  if (!challenge) return true;
  if (verifier === undefined || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  return safeEqual(await pkceS256(verifier), challenge);
}
