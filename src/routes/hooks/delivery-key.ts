import type { SourceName } from "../../canonical/primitives";
import { sha256Hex } from "../../lib/bytes";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

/** QuickBooks identifies a change by realm + entity + operation + lastUpdated (legacy body). */
function quickbooksParts(body: unknown): string[] {
  if (Array.isArray(body)) return body.map((e) => (isObj(e) ? `ce:${String(e.id)}` : "")).filter(Boolean);
  if (!isObj(body) || !Array.isArray(body.eventNotifications)) return [];
  const parts: string[] = [];
  for (const n of body.eventNotifications) {
    if (!isObj(n)) continue;
    const entities = isObj(n.dataChangeEvent) && Array.isArray(n.dataChangeEvent.entities) ? n.dataChangeEvent.entities : [];
    for (const e of entities) {
      if (isObj(e)) parts.push([n.realmId, e.name, e.id, e.operation, e.lastUpdated].map(String).join(":"));
    }
  }
  return parts;
}

/** A vendor id usable as-is in a KV key: printable ASCII, bounded. Anything else is hashed. */
const SAFE_ID = /^[\x21-\x7e]{1,200}$/;

async function safePart(id: string): Promise<string> {
  return SAFE_ID.test(id) ? id : `h.${await sha256Hex(id)}`;
}

/**
 * The idempotency key of a delivery, always from signed bytes: the id the verifier reports (only
 * a signed one, e.g. `webhook-id`), else an id inside the signed body (Follow Up Boss and Dotloop
 * `eventId`, QuickBooks entity changes), else the SHA-256 of the raw body. Retries of one delivery
 * map to one key; rewriting a header the signature does not cover cannot make a new one.
 */
export async function deliveryKey(source: SourceName, verifiedId: string | undefined, body: unknown, raw: Uint8Array): Promise<string> {
  // Ids come from senders: long or not plain ASCII ones (a lone surrogate, say) are hashed, so a
  // key always fits KV's 512-byte limit and URL-encodes.
  if (verifiedId) return `id:${await safePart(verifiedId)}`;
  if ((source === "followupboss" || source === "dotloop") && isObj(body) && typeof body.eventId === "string" && body.eventId) {
    return `evt:${await safePart(body.eventId)}`;
  }
  if (source === "quickbooks") {
    const parts = quickbooksParts(body).sort();
    if (parts.length === 1 && parts[0]) return `qbo:${await safePart(parts[0])}`;
    if (parts.length > 1) return `qbo:${await sha256Hex(parts.join("|"))}`;
  }
  return `sha256:${await sha256Hex(raw)}`;
}
