/** HMAC digests on Web Crypto, their text encodings, and the constant-time comparison. */
import { BoundedCache } from "../lib/bounded-cache";
import { fromBase64, toBase64, toHex, utf8 } from "../lib/bytes";
import type { HmacScheme } from "./scheme-config";

type Algorithm = HmacScheme["algorithm"];
type Encoding = HmacScheme["encoding"];

/** Imports one secret as an HMAC key (the key never leaves Web Crypto). */
export function importHmacKey(secret: Uint8Array, algorithm: Algorithm): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: algorithm }, false, ["sign", "verify"]);
}

// A source's secrets change only with a deploy or a rotation, but every delivery needs its key:
// importing is most of a verification's cost, so an isolate keeps the keys it made. Bounded, so
// a stream of rotations cannot grow it.
const keys = new BoundedCache<Promise<CryptoKey>>(64);

/** The HMAC key of a configured secret, imported once per isolate. */
export function hmacKeyFor(secret: string, encoding: HmacScheme["secretEncoding"], algorithm: Algorithm): Promise<CryptoKey> {
  const id = `${algorithm}\u0000${encoding}\u0000${secret}`;
  return keys.get(id, () => {
    const key = importHmacKey(secretBytes(secret, encoding), algorithm);
    key.catch(() => keys.delete(id));
    return key;
  });
}

export async function hmac(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
}

/**
 * The key bytes of a configured secret. "whsec": strip the prefix and base64-decode (Standard
 * Webhooks); a secret that does not decode is used as its UTF-8 bytes.
 */
export function secretBytes(secret: string, encoding: HmacScheme["secretEncoding"]): Uint8Array {
  if (encoding !== "whsec") return utf8(secret);
  const decoded = fromBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  return decoded !== null && decoded.length > 0 ? decoded : utf8(secret);
}

export function encodeDigest(digest: Uint8Array, encoding: Encoding): string {
  return encoding === "hex" ? toHex(digest) : toBase64(digest);
}

/** Decodes a received signature; null when it is not valid text in the scheme's encoding. */
export function decodeSignature(text: string, encoding: Encoding): Uint8Array | null {
  return encoding === "hex" ? fromHex(text) : fromBase64(text);
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function fromHex(s: string): Uint8Array | null {
  if (!HEX.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Compares two digests without an early exit, so the time taken does not reveal how many
 * leading bytes matched. The length is not secret (every digest of a scheme has the same one).
 */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
