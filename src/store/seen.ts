import { log, errorDetail } from "../lib/log";

/**
 * KV access for the intake's fast path: "this delivery is already recorded, answer its copies
 * 200 duplicate without queueing them". Best effort (KV is eventually consistent and the entry
 * expires); D1's unique (source, delivery key) in `deliveries` stays the guarantee.
 */

const DEFAULT_TTL_SECONDS = 259_200; // three days: longer than any vendor's retry schedule
const MIN_TTL_SECONDS = 60; // KV's own floor for expirationTtl

function keyOf(source: string, deliveryKey: string): string {
  return `seen:${source}:${deliveryKey}`;
}

/**
 * The id the delivery was recorded under, or null when KV does not know it (yet) or cannot be
 * reached: KV is only the fast path, so an outage queues copies for D1's unique key to drop
 * rather than refusing deliveries.
 */
export async function recordedId(kv: KVNamespace, source: string, deliveryKey: string): Promise<string | null> {
  try {
    return await kv.get(keyOf(source, deliveryKey));
  } catch (err) {
    log("warn", "seen_unreadable", { source, error: errorDetail(err) });
    return null;
  }
}

/**
 * Remembers a recorded delivery. Written by the ingest consumer once the delivery has ended in D1
 * (normalized or rejected), not by the intake: the acknowledgement path then does one KV read and one queue send and no KV
 * write, and KV never claims a delivery D1 does not have. A copy that arrives between the
 * acknowledgement and the record is queued and dropped by D1's unique key.
 */
export async function rememberRecorded(
  kv: KVNamespace,
  source: string,
  deliveryKey: string,
  deliveryId: string,
  ttlSetting: string | undefined,
): Promise<void> {
  const ttl = Math.max(MIN_TTL_SECONDS, Number(ttlSetting) || DEFAULT_TTL_SECONDS);
  await kv.put(keyOf(source, deliveryKey), deliveryId, { expirationTtl: ttl });
}
