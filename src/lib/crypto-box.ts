import { BoundedCache } from "./bounded-cache";
import { fromBase64, toBase64, toBase64Url, utf8 } from "./bytes";

/**
 * AES-GCM sealing of small secrets at rest (OAuth tokens), with keys that can be rotated. Each key
 * is 16, 24 or 32 random bytes in base64; its id is derived from the key itself, so no key needs
 * a name. Each value gets a fresh 96-bit IV and is bound to a context (the connection id) as
 * additional data, so a sealed value copied to another connection does not open there.
 *
 * Format: `v2.<keyId>.<iv>.<ciphertext>`. The earlier `v1.<iv>.<ciphertext>` (no key id, no
 * additional data) still opens with any configured key and is reported stale, to be re-sealed.
 */

export interface SealingKey {
  id: string;
  key: CryptoKey;
}

/** The configured keys: `newest` seals, every key (newest first) opens. */
export interface KeyRing {
  newest: SealingKey;
  all: SealingKey[];
}

export type Opened =
  | { ok: true; plaintext: string; stale: boolean }
  | { ok: false; reason: "key_missing" | "rejected" | "malformed"; keyId?: string };

// Bounded like the webhook keys: key rotations come and go with deploys.
const rings = new BoundedCache<Promise<KeyRing>>(16);

async function sealingKey(secret: string, name: string): Promise<SealingKey> {
  const raw = fromBase64(secret);
  if (!raw || ![16, 24, 32].includes(raw.byteLength)) throw new Error(`${name} must hold keys of 16, 24 or 32 bytes in base64`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const id = toBase64Url(digest.slice(0, 8));
  return { id, key: await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) };
}

/**
 * The key ring of `newest` (TOKEN_ENCRYPTION_KEY) and `older` (TOKEN_ENCRYPTION_KEYS_OLD: keys
 * separated by spaces or commas, kept while values sealed under them remain). Cached per isolate.
 */
export function keyRing(newest: string, older = ""): Promise<KeyRing> {
  const cacheKey = `${newest}|${older}`;
  return rings.get(cacheKey, () => {
    const ring = (async () => {
      const first = await sealingKey(newest, "TOKEN_ENCRYPTION_KEY");
      const rest = await Promise.all(
        older
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((k) => sealingKey(k, "TOKEN_ENCRYPTION_KEYS_OLD")),
      );
      return { newest: first, all: [first, ...rest.filter((k) => k.id !== first.id)] };
    })();
    ring.catch(() => rings.delete(cacheKey));
    return ring;
  });
}

/** Seals `plaintext` under the ring's newest key, bound to `context`. */
export async function seal(ring: KeyRing, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(context) }, ring.newest.key, utf8(plaintext));
  return `v2.${ring.newest.id}.${toBase64(iv)}.${toBase64(ct)}`;
}

async function decrypt(key: CryptoKey, iv: Uint8Array, ct: Uint8Array, context?: string): Promise<string | null> {
  try {
    const aad = context === undefined ? {} : { additionalData: utf8(context) };
    return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv, ...aad }, key, ct));
  } catch {
    return null;
  }
}

/**
 * Opens a sealed value with whichever configured key sealed it. `stale`: it was not sealed by the
 * newest key in the current format, and should be sealed again. A value whose key is not
 * configured is `key_missing` (with the key's id); one that the key does not open (another
 * context, or altered) is `rejected`.
 */
export async function open(ring: KeyRing, sealed: string, context: string): Promise<Opened> {
  const parts = sealed.split(".");
  if (parts[0] === "v2" && parts.length === 4) {
    const [, keyId, ivB64, ctB64] = parts as [string, string, string, string];
    const iv = fromBase64(ivB64);
    const ct = fromBase64(ctB64);
    if (!iv || !ct) return { ok: false, reason: "malformed" };
    const key = ring.all.find((k) => k.id === keyId);
    if (!key) return { ok: false, reason: "key_missing", keyId };
    const plaintext = await decrypt(key.key, iv, ct, context);
    return plaintext === null ? { ok: false, reason: "rejected", keyId } : { ok: true, plaintext, stale: key !== ring.newest };
  }
  if (parts[0] === "v1" && parts.length === 3) {
    const iv = fromBase64(parts[1] ?? "");
    const ct = fromBase64(parts[2] ?? "");
    if (!iv || !ct) return { ok: false, reason: "malformed" };
    for (const k of ring.all) {
      const plaintext = await decrypt(k.key, iv, ct);
      if (plaintext !== null) return { ok: true, plaintext, stale: true };
    }
    return { ok: false, reason: "key_missing" };
  }
  return { ok: false, reason: "malformed" };
}
