/**
 * D1 access for applied actions: what the hub already did (or is doing) to a vendor for an event.
 * An action is claimed before the vendor call and completed after it, so two copies of one event
 * processed at the same moment cannot both act; a claim left by a crashed worker lapses.
 */

/**
 * A claim is a lease its holder renews while it works (`renewClaim`, every CLAIM_RENEW_MS, during
 * its vendor calls as between them), so a live holder keeps it however long its calls take: the
 * lease does not depend on the slowest call a connection may make. A worker that dies stops
 * renewing; its claim lapses after CLAIM_TTL_MS, so the event's other copy (or its republished
 * copy) applies it within a minute rather than after the longest call a configuration allows.
 */
export const CLAIM_RENEW_MS = 10_000;
/** Four missed renewals: a holder whose D1 writes fail for a moment does not lose its claim. */
export const CLAIM_TTL_MS = 4 * CLAIM_RENEW_MS + 5_000;

export type Claim = "claimed" | "done" | "busy";

export async function claimAction(db: D1Database, eventId: string, action: string, now: number): Promise<Claim> {
  const ins = await db
    .prepare(`INSERT INTO applied_actions (event_id, action, result, at) VALUES (?1, ?2, NULL, ?3) ON CONFLICT DO NOTHING`)
    .bind(eventId, action, now)
    .run();
  if (ins.meta.changes > 0) return "claimed";
  const row = await db
    .prepare(`SELECT result, at FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action)
    .first<{ result: string | null; at: number }>();
  if (!row || row.result !== null) return "done";
  if (now - row.at < CLAIM_TTL_MS) return "busy";
  // The claimant died mid-action: take the claim over (only one taker wins the update).
  const took = await db
    .prepare(`UPDATE applied_actions SET at = ?3 WHERE event_id = ?1 AND action = ?2 AND result IS NULL AND at = ?4`)
    .bind(eventId, action, now, row.at)
    .run();
  return took.meta.changes > 0 ? "claimed" : "busy";
}

/**
 * Moves a live claim's time forward, so an action still working (several slow calls in a row)
 * keeps it. Compares against the time this claimant last wrote: a claim already taken over stays
 * with its new owner. Returns the new time, or null when the claim is no longer this one's.
 */
export async function renewClaim(db: D1Database, eventId: string, action: string, heldAt: number, now: number): Promise<number | null> {
  const r = await db
    .prepare(`UPDATE applied_actions SET at = ?3 WHERE event_id = ?1 AND action = ?2 AND result IS NULL AND at = ?4`)
    .bind(eventId, action, now, heldAt)
    .run();
  return r.meta.changes > 0 ? now : null;
}

export function completeStatement(db: D1Database, eventId: string, action: string, result: string, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE applied_actions SET result = ?3, at = ?4 WHERE event_id = ?1 AND action = ?2`).bind(eventId, action, result, now);
}

/** Gives a claim back after the action failed, so a retry can take it at once. */
export async function releaseAction(db: D1Database, eventId: string, action: string): Promise<void> {
  await db.prepare(`DELETE FROM applied_actions WHERE event_id = ?1 AND action = ?2 AND result IS NULL`).bind(eventId, action).run();
}

/** The actions applied for event `eventId`, in the order they were taken. */
export async function appliedActionsOf(db: D1Database, eventId: string): Promise<Array<{ action: string; result: string | null; at: number }>> {
  const { results } = await db
    .prepare(`SELECT action, result, at FROM applied_actions WHERE event_id = ?1 ORDER BY at`)
    .bind(eventId)
    .all<{ action: string; result: string | null; at: number }>();
  return results;
}

/**
 * The ids of the `person.upserted` events of person `personId` whose contact action `action` wrote
 * to the vendor (it has a result, and not one of `notWritten`).
 */
export async function writtenContactEvents(db: D1Database, personId: string, action: string, notWritten: readonly string[]): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id FROM applied_actions WHERE action = ?2 AND event_id LIKE ?1 || ':contact:%' AND result IS NOT NULL AND result NOT IN (SELECT value FROM json_each(?3))`,
    )
    .bind(personId, action, JSON.stringify(notWritten))
    .all<{ event_id: string }>();
  return results.map((r) => r.event_id);
}

/** The ids of the status changes of deal `dealId` the CRM was sent. */
export async function syncedStatusEvents(db: D1Database, dealId: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT event_id FROM applied_actions WHERE action = 'crm.status' AND result IS NOT NULL AND event_id LIKE ?1 || ':status:%'`)
    .bind(dealId)
    .all<{ event_id: string }>();
  return results.map((r) => r.event_id);
}

/** Which of `eventIds` have action `action` recorded. */
export async function appliedAmong(db: D1Database, action: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { results } = await db
    .prepare(`SELECT event_id FROM applied_actions WHERE action = ?1 AND event_id IN (SELECT value FROM json_each(?2))`)
    .bind(action, JSON.stringify(eventIds))
    .all<{ event_id: string }>();
  return new Set(results.map((r) => r.event_id));
}

/** Records action `action` as done (`result`) for each of `eventIds` not already recorded. */
export async function markApplied(db: D1Database, action: string, eventIds: string[], result: string, now: number): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .prepare(`INSERT INTO applied_actions (event_id, action, result, at) SELECT value, ?1, ?4, ?2 FROM json_each(?3) WHERE true ON CONFLICT DO NOTHING`)
    .bind(action, now, JSON.stringify(eventIds), result)
    .run();
}

/** Records that these leads were republished at `now` (moving the time of an earlier one). */
export async function markLeadsRepublished(db: D1Database, eventIds: string[], now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO applied_actions (event_id, action, result, at) SELECT value, 'crm.lead.republished', 'republished', ?1 FROM json_each(?2) WHERE true
       ON CONFLICT (event_id, action) DO UPDATE SET at = excluded.at`,
    )
    .bind(now, JSON.stringify(eventIds))
    .run();
}
