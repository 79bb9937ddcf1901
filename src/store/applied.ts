/**
 * D1 access for applied actions: what the hub already did (or is doing) to a vendor for an event.
 * An action is claimed before the vendor call and completed after it, so two copies of one event
 * processed at the same moment cannot both act; a claim left by a crashed worker lapses.
 */
import * as z from "../lib/zod";
import { parseWith, type Result as ParseResult } from "../canonical/result";

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

/** What kind of change of a golden record a versioned action applies. */
export const ChangeKind = z.enum(["contact", "status"]);
export type ChangeKind = z.infer<typeof ChangeKind>;

/**
 * Which change of which golden record an action applies (a person's contact change, a deal's
 * status change), kept in columns of its own beside the action: a late or replayed copy of an older
 * change is ordered against the changes already applied by these, never by event ids.
 */
export const AppliedVersion = z.object({
  kind: ChangeKind,
  /** The golden person's or deal's id. */
  subject: z.string().check(z.minLength(1)),
  /** Grows with every change of the record. */
  version: z.int().check(z.nonnegative()),
});
export type AppliedVersion = z.infer<typeof AppliedVersion>;

/** `version` recorded with the claim, when the action applies a versioned change. */
export async function claimAction(db: D1Database, eventId: string, action: string, now: number, version?: AppliedVersion): Promise<Claim> {
  const v = version ? AppliedVersion.parse(version) : null;
  const ins = await db
    .prepare(
      `INSERT INTO applied_actions (event_id, action, result, at, kind, subject, version) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING`,
    )
    .bind(eventId, action, now, v?.kind ?? null, v?.subject ?? null, v?.version ?? null)
    .run();
  if (ins.meta.changes > 0) return "claimed";
  const row = await db
    .prepare(`SELECT result, at FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action)
    .first<{ result: string | null; at: number }>();
  // No row: its holder gave the claim back (it failed) between the insert and this read; the
  // action is not done, and the next try can take it.
  if (!row) return "busy";
  if (row.result !== null) return "done";
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
  return db
    .prepare(`UPDATE applied_actions SET result = ?3, at = ?4 WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action, result, now);
}

/** The result an action was completed with; null while it is claimed or was never taken. */
export async function completedResult(db: D1Database, eventId: string, action: string): Promise<string | null> {
  return db
    .prepare(`SELECT result FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action)
    .first<string | null>("result")
    .then((r) => r ?? null);
}

/**
 * Gives a claim back after the action failed, so a retry can take it at once: only while it is
 * still this holder's (`heldAt`, its last write), never one another worker has taken over.
 */
export async function releaseAction(db: D1Database, eventId: string, action: string, heldAt: number): Promise<void> {
  await db
    .prepare(`DELETE FROM applied_actions WHERE event_id = ?1 AND action = ?2 AND result IS NULL AND at = ?3`)
    .bind(eventId, action, heldAt)
    .run();
}

/** The actions applied for event `eventId`, in the order they were taken. */
export async function appliedActionsOf(
  db: D1Database,
  eventId: string,
): Promise<Array<{ action: string; result: string | null; at: number }>> {
  const { results } = await db
    .prepare(`SELECT action, result, at FROM applied_actions WHERE event_id = ?1 ORDER BY at`)
    .bind(eventId)
    .all<{ action: string; result: string | null; at: number }>();
  return results;
}

/** An applied change of a record later than another, as `laterApplied` finds it. */
export interface LaterChange {
  eventId: string;
  version: number;
  /** The action's result (for a status change, the stage the CRM was given). */
  result: string;
}

/**
 * The latest change of the same record (`of.kind`, `of.subject`) with a version above `of.version`
 * that action `action` applied to its vendor: completed, and with a result that is not one of
 * `notWritten` (results of runs that wrote nothing). Null when there is none.
 */
export async function laterApplied(
  db: D1Database,
  action: string,
  of: AppliedVersion,
  notWritten: readonly string[] = [],
): Promise<LaterChange | null> {
  const row = await db
    .prepare(
      `SELECT event_id, version, result FROM applied_actions` +
        ` WHERE subject = ?1 AND kind = ?2 AND action = ?3 AND version > ?4` +
        ` AND result IS NOT NULL AND result NOT IN (SELECT value FROM json_each(?5))` +
        ` ORDER BY version DESC LIMIT 1`,
    )
    .bind(of.subject, of.kind, action, of.version, JSON.stringify(notWritten))
    .first<{ event_id: string; version: number; result: string }>();
  return row ? { eventId: row.event_id, version: row.version, result: row.result } : null;
}

/**
 * Whether another change of the same record is being applied by this action (a claim held since
 * `heldSince`, with no result yet): 1 when a later one is, else 0 when an earlier one is, else null.
 */
export async function otherUnderWay(db: D1Database, action: string, of: AppliedVersion, heldSince: number) {
  const row = await db
    .prepare(
      `SELECT MAX(version > ?4) AS later FROM applied_actions WHERE subject = ?1 AND kind = ?2 AND action = ?3` +
        ` AND result IS NULL AND version != ?4 AND at > ?5`,
    )
    .bind(of.subject, of.kind, action, of.version, heldSince)
    .first<{ later: number | null }>();
  return row?.later ?? null;
}

/** The action that delivers a lead to the CRM. */
export const LEAD_ACTION = "crm.lead";

/**
 * What the lead action did, kept as its result: how the CRM took the lead (the trace stage), the
 * golden person it was recorded on, and the CRM's id for that person when the CRM gave one.
 */
export const LeadApplied = z.object({
  stage: z.enum(["CRM_IGNORED", "CRM_CREATED", "LEAD_ACTIVITY", "CRM_MATCHED"]),
  personId: z.string().check(z.minLength(1)),
  crmId: z.nullable(z.string().check(z.minLength(1))),
});
export type LeadApplied = z.infer<typeof LeadApplied>;

/** The result text the lead action is completed with. */
export function leadAppliedText(v: LeadApplied): string {
  return JSON.stringify(LeadApplied.parse(v));
}

/**
 * What the lead action recorded for event `eventId`; null while it is not done. A stored result
 * that is not a LeadApplied is refused with `applied_result_corrupt`, never read as some default.
 */
export async function leadAppliedOf(db: D1Database, eventId: string): Promise<ParseResult<LeadApplied | null, "applied_result_corrupt">> {
  const row = await db
    .prepare(`SELECT result FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, LEAD_ACTION)
    .first<{ result: string | null }>();
  if (!row || row.result === null) return { ok: true, value: null };
  let json: unknown;
  try {
    json = JSON.parse(row.result);
  } catch {
    return { ok: false, code: "applied_result_corrupt", message: `the lead result of ${eventId} is not JSON`, issues: [] };
  }
  return parseWith(LeadApplied, json, "applied_result_corrupt");
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
    .prepare(
      `INSERT INTO applied_actions (event_id, action, result, at) SELECT value, ?1, ?4, ?2 FROM json_each(?3) WHERE true ON CONFLICT DO NOTHING`,
    )
    .bind(action, now, JSON.stringify(eventIds), result)
    .run();
}

/** Records that these leads were republished at `now` (moving the time of an earlier one). */
export async function markLeadsRepublished(db: D1Database, eventIds: string[], now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO applied_actions (event_id, action, result, at) SELECT value, 'crm.lead.republished', 'republished', ?1 FROM json_each(?2) WHERE true` +
        ` ON CONFLICT (event_id, action) DO UPDATE SET at = excluded.at`,
    )
    .bind(now, JSON.stringify(eventIds))
    .run();
}
