/** D1 access for a backfill run's readers: one row per phase, its lease, and the pages it staged. */
import * as z from "../lib/zod";

/** The phases a reader stages pages for (every phase but the match and the end). */
export const READ_PHASES = ["crm.people", "crm.deals", "tms.transactions", "accounting.customers"] as const;
export const ReadPhase = z.enum(READ_PHASES);
export type ReadPhase = z.infer<typeof ReadPhase>;

export interface ReadRow {
  run_id: string;
  phase: ReadPhase;
  status: "reading" | "done" | "skipped";
  seq: number;
  sent_seq: number;
  cursor: string | null;
  calls: number;
  records: number;
  total: number | null;
  bytes_max: number;
  reason: string | null;
  lease_holder: string | null;
  lease_until: number | null;
  started_at: number | null;
  done_at: number | null;
}

/** A reader's row: reading from its first page, or passed over with the reason. */
export function createReadStatement(
  db: D1Database,
  runId: string,
  phase: ReadPhase,
  skipped: string | null,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO backfill_reads (run_id, phase, status, reason, done_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING`)
    .bind(runId, phase, skipped ? "skipped" : "reading", skipped, skipped ? now : null);
}

export async function getRead(db: D1Database, runId: string, phase: ReadPhase): Promise<ReadRow | null> {
  return db.prepare(`SELECT * FROM backfill_reads WHERE run_id = ?1 AND phase = ?2`).bind(runId, phase).first<ReadRow>();
}

export async function listReads(db: D1Database, runId: string): Promise<ReadRow[]> {
  const { results } = await db.prepare(`SELECT * FROM backfill_reads WHERE run_id = ?1`).bind(runId).all<ReadRow>();
  return results;
}

/** Takes a reader at page `seq` for one message; a retry of the same message takes it back. */
export async function claimRead(
  db: D1Database,
  runId: string,
  phase: ReadPhase,
  seq: number,
  holder: string,
  now: number,
  ms: number,
): Promise<boolean> {
  const r = await db
    .prepare(
      `UPDATE backfill_reads SET lease_holder = ?4, lease_until = ?5, started_at = COALESCE(started_at, ?6) WHERE run_id = ?1 AND phase = ?2 AND seq = ?3 AND status = 'reading' AND (lease_holder IS NULL OR lease_holder = ?4 OR lease_until < ?6)`,
    )
    .bind(runId, phase, seq, holder, now + ms, now)
    .run();
  return r.meta.changes > 0;
}

/**
 * Stages page `seq` and moves the reader past it, both only while `holder` still holds the reader
 * at that page: the insert reads the reader's row as it was before the update in the same batch.
 */
export function stageStatements(
  db: D1Database,
  r: { runId: string; phase: ReadPhase; seq: number; holder: string },
  page: { body: string; next: string | null; calls: number; records: number; total: number | null },
  now: number,
  leaseMs: number,
): D1PreparedStatement[] {
  const last = page.next === null ? 1 : 0;
  return [
    db
      .prepare(
        `INSERT INTO backfill_pages (run_id, phase, seq, body, last) SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM backfill_reads WHERE run_id = ?1 AND phase = ?2 AND seq = ?3 AND lease_holder = ?6 AND status = 'reading') ON CONFLICT DO NOTHING`,
      )
      .bind(r.runId, r.phase, r.seq, page.body, last, r.holder),
    db
      .prepare(
        `UPDATE backfill_reads SET seq = seq + 1, cursor = ?4, calls = calls + ?5, records = records + ?6, total = COALESCE(?7, total), bytes_max = MAX(bytes_max, ?8), lease_until = ?9, status = CASE WHEN ?10 THEN 'done' ELSE status END, done_at = CASE WHEN ?10 THEN ?11 ELSE done_at END, lease_holder = CASE WHEN ?10 THEN NULL ELSE lease_holder END WHERE run_id = ?1 AND phase = ?2 AND seq = ?3 AND lease_holder = ?12 AND status = 'reading'`,
      )
      .bind(r.runId, r.phase, r.seq, page.next, page.calls, page.records, page.total, page.body.length, now + leaseMs, last, now, r.holder),
  ];
}

/** Lets go of a reader (its message ends, or fails and will be retried). */
export function releaseReadStatement(db: D1Database, runId: string, phase: ReadPhase, holder: string): D1PreparedStatement {
  return db
    .prepare(`UPDATE backfill_reads SET lease_holder = NULL, lease_until = NULL WHERE run_id = ?1 AND phase = ?2 AND lease_holder = ?3`)
    .bind(runId, phase, holder);
}

export async function markReadSent(db: D1Database, runId: string, phase: ReadPhase, seq: number): Promise<void> {
  await db.prepare(`UPDATE backfill_reads SET sent_seq = MAX(sent_seq, ?3) WHERE run_id = ?1 AND phase = ?2`).bind(runId, phase, seq).run();
}

/** A reader whose vendor is not connected: passed over, said so. */
export async function skipRead(db: D1Database, runId: string, phase: ReadPhase, reason: string, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE backfill_reads SET status = 'skipped', reason = ?3, done_at = ?4, lease_holder = NULL, lease_until = NULL WHERE run_id = ?1 AND phase = ?2 AND status = 'reading'`,
    )
    .bind(runId, phase, reason, now)
    .run();
}

/** Readers of a resumed run start again where they stopped: their leases are let go. */
export async function releaseReads(db: D1Database, runId: string): Promise<ReadRow[]> {
  await db.prepare(`UPDATE backfill_reads SET lease_holder = NULL, lease_until = NULL WHERE run_id = ?1`).bind(runId).run();
  return (await listReads(db, runId)).filter((r) => r.status === "reading");
}

export interface StagedRow {
  body: string;
  last: number;
}

export async function stagedPage(db: D1Database, runId: string, phase: ReadPhase, seq: number): Promise<StagedRow | null> {
  return db
    .prepare(`SELECT body, last FROM backfill_pages WHERE run_id = ?1 AND phase = ?2 AND seq = ?3`)
    .bind(runId, phase, seq)
    .first<StagedRow>();
}

/** A staged page the linker has committed is not needed again. */
export function dropStagedStatement(db: D1Database, runId: string, phase: ReadPhase, seq: number): D1PreparedStatement {
  // Batched right after the run's advance, and only if it advanced (`changes()`: the rows the
  // statement before changed): a copy that lost the lease leaves the page to the one holding it.
  return db.prepare(`DELETE FROM backfill_pages WHERE run_id = ?1 AND phase = ?2 AND seq = ?3 AND changes() > 0`).bind(runId, phase, seq);
}
