/** D1 access for dead letters and the per-attempt history behind them. */

import { afterPosition, countOf, pageOf, type Page, type Position } from "./page";

export interface AttemptInput {
  queue: string;
  messageId: string;
  attempt: number;
  status?: number;
  code: string;
  error: string;
  at: number;
}

export interface AttemptRow {
  attempt: number;
  status: number | null;
  code: string;
  error: string;
  at: number;
}

export interface DeadLetterRow {
  id: string;
  queue: string;
  message_id: string;
  vendor: string | null;
  error_code: string;
  error: string;
  attempts: number;
  history: string;
  payload: string;
  status: "open" | "replayed" | "discarded";
  reason: string | null;
  subject: string | null;
  /** JSON array of the queues a replay goes to, when they were inferred from the body; else NULL. */
  queues: string | null;
  /** The letter whose replay failed again as this one. */
  replay_of: string | null;
  created_at: number;
  updated_at: number;
}

export async function recordAttempt(db: D1Database, a: AttemptInput): Promise<void> {
  await db
    .prepare(`INSERT INTO message_attempts (queue, message_id, attempt, status, code, error, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
    .bind(a.queue, a.messageId, a.attempt, a.status ?? null, a.code, a.error.slice(0, 500), a.at)
    .run();
}

export async function listAttempts(db: D1Database, queue: string, messageId: string): Promise<AttemptRow[]> {
  const { results } = await db
    .prepare(`SELECT attempt, status, code, error, at FROM message_attempts WHERE queue = ?1 AND message_id = ?2 ORDER BY attempt, id`)
    .bind(queue, messageId)
    .all<AttemptRow>();
  return results;
}

/** The work queues that recorded failed attempts of a message id (the id survives the platform's move). */
export async function attemptQueues(db: D1Database, messageId: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT queue FROM message_attempts WHERE queue IN ('inbound', 'crm', 'tms', 'accounting') AND message_id = ?1`)
    .bind(messageId)
    .all<{ queue: string }>();
  return results.map((r) => r.queue);
}

/**
 * Stores a dead letter once per (queue, message id); a second copy (the platform's DLQ after our
 * own explicit dead-lettering, or a redelivery) only refreshes the attempt count and history.
 * A letter with a subject is also one per subject while open: another message failing on the
 * same stuck subject refreshes the open letter's error and time rather than adding a letter.
 */
export async function upsertDeadLetter(
  db: D1Database,
  d: {
    id: string;
    queue: string;
    messageId: string;
    vendor?: string;
    errorCode: string;
    error: string;
    attempts: number;
    payload: string;
    subject?: string;
    /** Where a replay goes when that was inferred from the body (see migration 0007). */
    queues?: readonly string[];
    replayOf?: string;
    now: number;
  },
): Promise<void> {
  const history = JSON.stringify(await listAttempts(db, d.queue, d.messageId));
  // A replayed letter whose message comes back is reopened, unless its subject already has
  // another open letter (one open letter per subject).
  await db
    .prepare(
      `INSERT INTO dead_letters (id, queue, message_id, vendor, error_code, error, attempts, history, payload, status, subject, queues, replay_of, created_at, updated_at)` +
        ` VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?11, ?12, ?13, ?10, ?10)` +
        ` ON CONFLICT (queue, message_id) DO UPDATE SET` +
        ` attempts = MAX(attempts, excluded.attempts), history = excluded.history, updated_at = excluded.updated_at,` +
        ` status = CASE WHEN status = 'replayed' AND (subject IS NULL OR NOT EXISTS (SELECT 1 FROM dead_letters o WHERE o.subject = dead_letters.subject AND o.status = 'open')) THEN 'open' ELSE status END,` +
        ` error_code = excluded.error_code, error = excluded.error` +
        ` ON CONFLICT (subject) WHERE status = 'open' AND subject IS NOT NULL DO UPDATE SET` +
        ` updated_at = excluded.updated_at, error_code = excluded.error_code, error = excluded.error`,
    )
    .bind(
      d.id,
      d.queue,
      d.messageId,
      d.vendor ?? null,
      d.errorCode,
      d.error.slice(0, 1000),
      d.attempts,
      history,
      d.payload,
      d.now,
      d.subject ?? null,
      d.queues ? JSON.stringify(d.queues) : null,
      d.replayOf ?? null,
    )
    .run();
}

/**
 * Closes the open letter of a subject that is no longer stuck (a halted deal whose data was
 * filled in got its transaction): nothing is left to replay, and ops should not be asked to.
 */
export function resolveSubjectStatement(db: D1Database, subject: string, reason: string, now: number): D1PreparedStatement {
  return db
    .prepare(`UPDATE dead_letters SET status = 'discarded', reason = ?2, updated_at = ?3 WHERE subject = ?1 AND status = 'open'`)
    .bind(subject, reason.slice(0, 500), now);
}

export async function getDeadLetter(db: D1Database, id: string): Promise<DeadLetterRow | null> {
  return db.prepare(`SELECT * FROM dead_letters WHERE id = ?1`).bind(id).first<DeadLetterRow>();
}

export async function setDeadLetterStatus(
  db: D1Database,
  id: string,
  status: "replayed" | "discarded",
  reason: string | null,
  now: number,
): Promise<boolean> {
  const r = await db
    .prepare(`UPDATE dead_letters SET status = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'open'`)
    .bind(id, status, reason, now)
    .run();
  return r.meta.changes > 0;
}

/** SQL: the letter's queue, or one of its inferred queues, is ?N. */
const onQueue = (n: number) => `(?${n} IS NULL OR queue = ?${n} OR EXISTS (SELECT 1 FROM json_each(queues) WHERE value = ?${n}))`;

/**
 * Letters by status, vendor, error code, queue and creation window, newest first, one page at a
 * time with the total matching the filter and the cursor of the next page.
 */
export async function pageDeadLetters(
  db: D1Database,
  f: {
    status?: string | undefined;
    vendor?: string | undefined;
    code?: string | undefined;
    queue?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
    limit: number;
    cursor?: Position | undefined;
  },
): Promise<Page<DeadLetterRow>> {
  const where =
    `(?1 IS NULL OR status = ?1) AND (?2 IS NULL OR vendor = ?2) AND (?3 IS NULL OR error_code = ?3)` +
    ` AND ${onQueue(4)} AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR created_at <= ?6)`;
  const filter = [f.status ?? null, f.vendor ?? null, f.code ?? null, f.queue ?? null, f.from ?? null, f.to ?? null];
  const [rows, count] = await db.batch([
    db
      .prepare(`SELECT * FROM dead_letters WHERE ${where} AND ${afterPosition(7)} ORDER BY created_at DESC, id DESC LIMIT ?9`)
      .bind(...filter, f.cursor?.[0] ?? null, f.cursor?.[1] ?? null, f.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE ${where}`).bind(...filter),
  ]);
  const page = pageOf((rows?.results ?? []) as DeadLetterRow[], f.limit, (r) => r.id);
  return { ...page, total: countOf(count) };
}

/** The letters that replays of letter `id` failed again as, oldest first. */
export async function replaysOf(db: D1Database, id: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT id FROM dead_letters WHERE replay_of = ?1 ORDER BY created_at, id`)
    .bind(id)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Reopens letters claimed for a replay whose message did not reach its queue. */
export async function reopenDeadLetters(db: D1Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare(`UPDATE dead_letters SET status = 'open', reason = NULL WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'replayed'`)
    .bind(JSON.stringify(ids))
    .run();
}

/** What a bulk replay matches: open letters of a known queue, narrowed by each filter given. */
export interface ReplayFilter {
  vendor?: string | undefined;
  code?: string | undefined;
  queue?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** The queues a dead letter can be replayed to. */
export const REPLAYABLE_QUEUES = ["inbound", "crm", "tms", "accounting", "mls"] as const;

/** SQL: an open letter of a known queue matching a bulk replay's filter (?1 to ?5). */
const REPLAY_MATCH =
  `status = 'open' AND queue IN (${REPLAYABLE_QUEUES.map((q) => `'${q}'`).join(", ")})` +
  ` AND (?1 IS NULL OR vendor = ?1) AND (?2 IS NULL OR error_code = ?2) AND ${onQueue(3)}` +
  ` AND (?4 IS NULL OR created_at >= ?4) AND (?5 IS NULL OR created_at <= ?5)`;

const replayFilter = (f: ReplayFilter) => [f.vendor ?? null, f.code ?? null, f.queue ?? null, f.from ?? null, f.to ?? null];

/** Up to `limit` letters a bulk replay matches, oldest first by (created_at, id), after `after`. */
export async function replayableLetters(db: D1Database, f: ReplayFilter, after: Position | null, limit: number): Promise<DeadLetterRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM dead_letters WHERE ${REPLAY_MATCH}` +
        ` AND (?6 IS NULL OR created_at > ?6 OR (created_at = ?6 AND id > ?7))` +
        ` ORDER BY created_at, id LIMIT ?8`,
    )
    .bind(...replayFilter(f), after?.[0] ?? null, after?.[1] ?? null, limit)
    .all<DeadLetterRow>();
  return results;
}

/** How many letters a bulk replay still matches. */
export async function countReplayable(db: D1Database, f: ReplayFilter): Promise<number> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE ${REPLAY_MATCH}`)
    .bind(...replayFilter(f))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Claims open letters for a replay, together; the ids this call claimed (others got there first). */
export async function claimForReplay(db: D1Database, ids: string[], reason: string, now: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const claims = await db.batch(
    ids.map((id) =>
      db
        .prepare(`UPDATE dead_letters SET status = 'replayed', reason = ?2, updated_at = ?3 WHERE id = ?1 AND status = 'open'`)
        .bind(id, reason, now),
    ),
  );
  return new Set(ids.filter((_, i) => (claims[i]?.meta.changes ?? 0) > 0));
}

/**
 * How many letters are open, once those claimed for a replay in the day before `claimedBefore`
 * with no replay trace are reopened: the Worker died between the claim and the send, or could not
 * reopen them after a failed send. One sent after all, failed again as a new open letter, stays.
 */
export async function reopenUnsentAndCountOpen(db: D1Database, claimedBefore: number): Promise<number> {
  const [, open] = await db.batch<{ n: number }>([
    db
      .prepare(
        `UPDATE OR IGNORE dead_letters SET status = 'open', reason = NULL WHERE status = 'replayed' AND updated_at BETWEEN ?1 - 86400000 AND ?1 AND NOT EXISTS (SELECT 1 FROM traces WHERE subject = dead_letters.id AND stage = 'DLQ_REPLAYED')`,
      )
      .bind(claimedBefore),
    db.prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'open'`),
  ]);
  return open?.results[0]?.n ?? 0;
}
