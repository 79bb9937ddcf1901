/** D1 access for backfill runs, the records they touched and their report rows. */
import * as z from "../lib/zod";

export const PHASES = ["crm.people", "crm.deals", "tms.transactions", "accounting.customers", "match", "done"] as const;
export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

export const PhaseProgress = z.object({
  pages: z._default(z.int(), 0),
  records: z._default(z.int(), 0),
  linked: z._default(z.int(), 0),
  created: z._default(z.int(), 0),
  calls: z._default(z.int(), 0),
  total: z._default(z.nullable(z.int()), null),
  startedAt: z._default(z.nullable(z.number()), null),
  doneAt: z._default(z.nullable(z.number()), null),
  /** Why a phase was passed over (no such system configured, not connected). */
  skipped: z.optional(z.string()),
});
export type PhaseProgress = z.infer<typeof PhaseProgress>;
export const Progress = z.record(z.string(), PhaseProgress);
export type Progress = z.infer<typeof Progress>;

export interface RunRow {
  id: string;
  status: "running" | "done" | "failed";
  phase: Phase;
  page: number;
  sent_page: number;
  cursor: string | null;
  progress: string;
  lease_holder: string | null;
  lease_until: number | null;
  error: string | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  applied_at: number | null;
}

export function progressOf(row: Pick<RunRow, "progress">): Progress {
  try {
    const r = Progress.safeParse(JSON.parse(row.progress));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

export function createRunStatement(db: D1Database, id: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO backfill_runs (id, status, phase, page, sent_page, progress, started_at, updated_at) VALUES (?1, 'running', 'crm.people', 0, 0, '{}', ?2, ?2)`,
    )
    .bind(id, now);
}

export async function getRun(db: D1Database, id: string): Promise<RunRow | null> {
  return db.prepare(`SELECT * FROM backfill_runs WHERE id = ?1`).bind(id).first<RunRow>();
}

export async function latestRun(db: D1Database): Promise<RunRow | null> {
  return db.prepare(`SELECT * FROM backfill_runs ORDER BY started_at DESC, id DESC LIMIT 1`).first<RunRow>();
}

export async function activeRun(db: D1Database): Promise<RunRow | null> {
  return db.prepare(`SELECT * FROM backfill_runs WHERE status = 'running' ORDER BY started_at DESC LIMIT 1`).first<RunRow>();
}

/**
 * Takes the run's page for one message, or keeps it: changes no row once another copy took the
 * page over or committed it. A retry of the same message (same id) takes it back.
 */
export function leaseStatement(db: D1Database, id: string, page: number, holder: string, now: number, ms: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE backfill_runs SET lease_holder = ?3, lease_until = ?4 WHERE id = ?1 AND page = ?2 AND status = 'running' AND (lease_holder IS NULL OR lease_holder = ?3 OR lease_until < ?5)`,
    )
    .bind(id, page, holder, now + ms, now);
}

export function releaseStatement(db: D1Database, id: string, holder: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE backfill_runs SET lease_holder = NULL, lease_until = NULL WHERE id = ?1 AND lease_holder = ?2`)
    .bind(id, holder);
}

/**
 * Commits a page: the next phase and cursor, the progress, and the lease let go, all only if the
 * page is still the one this holder took (compare-and-set on `page`).
 */
export function advanceStatement(
  db: D1Database,
  id: string,
  from: { page: number; holder: string },
  to: { phase: Phase; cursor: string | null; progress: Progress; done: boolean },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE backfill_runs SET page = page + 1, phase = ?3, cursor = ?4, progress = ?5, lease_holder = NULL, lease_until = NULL, updated_at = ?6, status = CASE WHEN ?7 THEN 'done' ELSE status END, finished_at = CASE WHEN ?7 THEN ?6 ELSE finished_at END WHERE id = ?1 AND page = ?2 AND lease_holder = ?8`,
    )
    .bind(id, from.page, to.phase, to.cursor, JSON.stringify(to.progress), now, to.done ? 1 : 0, from.holder);
}

export async function markSent(db: D1Database, id: string, page: number): Promise<void> {
  await db.prepare(`UPDATE backfill_runs SET sent_page = MAX(sent_page, ?2) WHERE id = ?1`).bind(id, page).run();
}

/**
 * Fails a running run, whoever holds its lease: a reader fails it while the linker is at work on
 * another phase (the linker then stops at its next step, and a resume clears the lease).
 */
export async function failRun(db: D1Database, id: string, error: string, now: number): Promise<void> {
  await db
    .prepare(`UPDATE backfill_runs SET status = 'failed', error = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'running'`)
    .bind(id, error.slice(0, 500), now)
    .run();
}

/** A failed run runs again from its cursor: no page it committed is read again. */
export async function resumeRun(db: D1Database, id: string, now: number): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE backfill_runs SET status = 'running', error = NULL, lease_holder = NULL, lease_until = NULL, updated_at = ?2 WHERE id = ?1 AND status = 'failed'`,
    )
    .bind(id, now)
    .run();
  return r.meta.changes > 0;
}

export async function markApplied(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare(`UPDATE backfill_runs SET applied_at = ?2 WHERE id = ?1`).bind(id, now).run();
}

export function touchStatement(db: D1Database, runId: string, kind: "person" | "deal", canonicalId: string): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO backfill_touched (run_id, kind, canonical_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`)
    .bind(runId, kind, canonicalId);
}

/** `unkeyed`: a record with no email or phone, linked to no one (its subject is `system:kind:id`). */
export type ItemCategory = "ambiguous" | "conflict" | "writeback" | "unkeyed";

export function itemStatement(
  db: D1Database,
  i: { runId: string; category: ItemCategory; subject: string; field: string; detail: unknown; at: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO backfill_items (run_id, category, subject, field, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (run_id, category, subject, field) DO UPDATE SET detail = excluded.detail`,
    )
    .bind(i.runId, i.category, i.subject, i.field, JSON.stringify(i.detail), i.at);
}

export interface ItemRow {
  category: ItemCategory;
  subject: string;
  field: string;
  detail: string;
}

/** Up to `limit` items of a category in (subject, field) order, after the item `after` when given. */
export async function listItems(
  db: D1Database,
  runId: string,
  category: ItemCategory,
  limit: number,
  after?: Pick<ItemRow, "subject" | "field">,
): Promise<ItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT category, subject, field, detail FROM backfill_items WHERE run_id = ?1 AND category = ?2` +
        ` AND (?4 IS NULL OR subject > ?4 OR (subject = ?4 AND field > ?5))` +
        ` ORDER BY subject, field LIMIT ?3`,
    )
    .bind(runId, category, limit, after?.subject ?? null, after?.field ?? null)
    .all<ItemRow>();
  return results;
}

export async function countItems(db: D1Database, runId: string): Promise<Record<ItemCategory, number>> {
  const { results } = await db
    .prepare(`SELECT category, COUNT(DISTINCT subject) AS n FROM backfill_items WHERE run_id = ?1 GROUP BY category`)
    .bind(runId)
    .all<{ category: ItemCategory; n: number }>();
  const out: Record<ItemCategory, number> = { ambiguous: 0, conflict: 0, writeback: 0, unkeyed: 0 };
  for (const r of results) out[r.category] = r.n;
  return out;
}

/** The golden records a run touched with the systems each is linked in. */
export async function touchedSystems(
  db: D1Database,
  runId: string,
  kind: "person" | "deal",
  limit: number,
  onlyOneSystem: boolean | null,
): Promise<Array<{ id: string; systems: string }>> {
  const having =
    onlyOneSystem === null ? "" : onlyOneSystem ? "HAVING COUNT(DISTINCT l.system) = 1" : "HAVING COUNT(DISTINCT l.system) > 1";
  const { results } = await db
    .prepare(
      `SELECT t.canonical_id AS id, GROUP_CONCAT(DISTINCT l.system || ':' || l.kind || ':' || l.external_id) AS systems FROM backfill_touched t JOIN links l ON l.canonical_id = t.canonical_id WHERE t.run_id = ?1 AND t.kind = ?2 GROUP BY t.canonical_id ${having} ORDER BY t.canonical_id LIMIT ?3`,
    )
    .bind(runId, kind, limit)
    .all<{ id: string; systems: string }>();
  return results;
}

export async function touchedCounts(
  db: D1Database,
  runId: string,
  kind: "person" | "deal",
): Promise<{ matched: number; unmatched: number }> {
  const row = await db
    .prepare(
      `SELECT SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS matched, SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END) AS unmatched FROM ( SELECT COUNT(DISTINCT l.system) AS n FROM backfill_touched t JOIN links l ON l.canonical_id = t.canonical_id WHERE t.run_id = ?1 AND t.kind = ?2 GROUP BY t.canonical_id)`,
    )
    .bind(runId, kind)
    .first<{ matched: number | null; unmatched: number | null }>();
  return { matched: row?.matched ?? 0, unmatched: row?.unmatched ?? 0 };
}

/** Which of these external ids of `system`/`kind` are linked, and to which canonical id. */
export async function linkedIds(db: D1Database, system: string, kind: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT external_id, canonical_id FROM links WHERE system = ?1 AND kind = ?2 AND external_id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(system, kind, JSON.stringify(ids))
    .all<{ external_id: string; canonical_id: string }>();
  return new Map(results.map((r) => [r.external_id, r.canonical_id]));
}

/** The golden people holding any of these emails or phones as identity keys. */
export async function keyOwners(
  db: D1Database,
  emails: string[],
  phones: string[],
): Promise<Array<{ kind: string; value: string; person_id: string }>> {
  const { results } = await db
    .prepare(
      `SELECT kind, value, person_id FROM person_keys WHERE (kind = 'email' AND value IN (SELECT value FROM json_each(?1))) OR (kind = 'phone' AND value IN (SELECT value FROM json_each(?2)))`,
    )
    .bind(JSON.stringify(emails), JSON.stringify(phones))
    .all<{ kind: string; value: string; person_id: string }>();
  return results;
}

/** A golden person the backfill found in a vendor, written only if no person has that id yet. */
export function insertBackfilledPersonStatement(
  db: D1Database,
  p: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    leadSystem: string | null;
    fields: string;
  },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO people (id, first_name, last_name, email, phone, lead_system, fields, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(p.id, p.firstName, p.lastName, p.email, p.phone, p.leadSystem, p.fields, now);
}

/** A client's golden deals that no transaction of `system` is linked to yet. */
export async function unlinkedDealsOf(
  db: D1Database,
  personId: string,
  system: string,
  ongoing = false,
): Promise<Array<{ id: string; fields: string; price_cents: number | null }>> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.fields, d.price_cents FROM deals d WHERE d.person_id = ?1 AND NOT EXISTS (SELECT 1 FROM links l WHERE l.canonical_id = d.id AND l.system = ?2 AND l.kind = 'transaction')` +
        ` AND (?3 = 0 OR d.closed_at IS NULL AND COALESCE(d.stage, '') NOT IN ('closed', 'cancelled', 'archived'))`,
    )
    .bind(personId, system, ongoing ? 1 : 0)
    .all<{ id: string; fields: string; price_cents: number | null }>();
  return results;
}

/** Gives a deal its client, when it has none yet. */
export function setDealPersonStatement(db: D1Database, dealId: string, personId: string): D1PreparedStatement {
  return db.prepare(`UPDATE deals SET person_id = ?2 WHERE id = ?1 AND person_id IS NULL`).bind(dealId, personId);
}

/** The golden people a run touched (not merged away), with the systems each is linked in. */
export async function touchedPeopleRows(
  db: D1Database,
  runId: string,
): Promise<Array<{ id: string; first_name: string | null; last_name: string | null; fields: string; systems: string | null }>> {
  const { results } = await db
    .prepare(
      `SELECT p.id, p.first_name, p.last_name, p.fields, (SELECT GROUP_CONCAT(DISTINCT l.system) FROM links l WHERE l.canonical_id = p.id) AS systems FROM backfill_touched t JOIN people p ON p.id = t.canonical_id WHERE t.run_id = ?1 AND t.kind = 'person' AND p.merged_into IS NULL ORDER BY p.id`,
    )
    .bind(runId)
    .all<{ id: string; first_name: string | null; last_name: string | null; fields: string; systems: string | null }>();
  return results;
}
