import { fromBase64, toBase64, utf8 } from "./bytes";

/**
 * AES-GCM sealing of small secrets at rest (OAuth tokens). The key is a Worker secret holding
 * 32 random bytes in base64; each value gets a fresh 96-bit IV. Format: `v1.<iv>.<ciphertext>`.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    const raw = fromBase64(secret);
    if (!raw || ![16, 24, 32].includes(raw.byteLength)) {
      return Promise.reject(new Error("TOKEN_ENCRYPTION_KEY must be 16, 24 or 32 bytes of base64"));
    }
    k = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(secret, k);
  }
  return k;
}

export async function seal(secret: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await importKey(secret), utf8(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(ct)}`;
}

export async function open(secret: string, sealed: string): Promise<string | null> {
  const [v, ivB64, ctB64] = sealed.split(".");
  const iv = ivB64 ? fromBase64(ivB64) : null;
  const ct = ctB64 ? fromBase64(ctB64) : null;
  if (v !== "v1" || !iv || !ct) return null;
  try {
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await importKey(secret), ct);
    return new TextDecoder().decode(pt);
  } catch {
    return null;
  }
}
