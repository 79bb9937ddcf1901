/** Small deterministic mutations of signatures and header lists. */
import type { Rng } from "./rng";

const HEX = "0123456789abcdef";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The signature with one character replaced by another of its alphabet. Only the first 40
 * characters are touched: the last base64 character before padding may carry unused bits, and
 * changing those would not change the decoded digest.
 */
export function flipOne(sig: string, rng: Rng, encoding: "hex" | "base64"): string {
  const alphabet = encoding === "hex" ? HEX : BASE64;
  const at = rng.int(0, Math.min(sig.length, 40) - 1);
  const old = sig[at] ?? "";
  let next = rng.pick([...alphabet]);
  while (next === old || next.toLowerCase() === old.toLowerCase()) next = rng.pick([...alphabet]);
  return `${sig.slice(0, at)}${next}${sig.slice(at + 1)}`;
}

/** The digest bytes of a base64 signature re-encoded as hex (right digest, wrong encoding). */
export function base64ToHex(sig: string): string {
  return [...atob(sig)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
}

/** The digest bytes of a hex signature re-encoded as base64. */
export function hexToBase64(sig: string): string {
  const bytes = sig.match(/../g) ?? [];
  return btoa(bytes.map((b) => String.fromCharCode(Number.parseInt(b, 16))).join(""));
}

/** A header list with one name's value replaced (case-insensitive); appended when absent. */
export function withHeader(headers: Readonly<Record<string, string>>, name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  let done = false;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name.toLowerCase()) {
      out[k] = value;
      done = true;
    } else out[k] = v;
  }
  if (!done) out[name] = value;
  return out;
}

/** The value of a header by case-insensitive name (throws when absent: a corpus bug). */
export function headerOf(headers: Readonly<Record<string, string>>, name: string): string {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  if (!hit) throw new Error(`corpus bug: no ${name} header in ${Object.keys(headers).join(", ")}`);
  return hit[1];
}
