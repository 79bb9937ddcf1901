/** HMAC and comparison helpers on Web Crypto. */
import { utf8 } from "./bytes";

export type HmacAlgorithm = "SHA-1" | "SHA-256";

/** HMAC of `message` under `key` (a string is taken as its UTF-8 bytes). */
export async function hmac(
  algorithm: HmacAlgorithm,
  key: string | Uint8Array,
  message: string | Uint8Array,
): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    "raw",
    typeof key === "string" ? utf8(key) : key,
    { name: "HMAC", hash: algorithm },
    false,
    ["sign"],
  );
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
