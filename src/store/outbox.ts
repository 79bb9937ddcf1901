import { type CanonicalEvent, parseCanonicalEvent } from "../canonical";
import { parseJsonOr } from "../lib/json";

/**
 * The outbox: follow-on events (and job messages) recorded in the same batch as the change they
 * follow, deleted once sent. Rows still here a while after their change were never sent.
 */

/** A job message recorded for a queue, under an id that names it for good. */
export interface RecordedJob {
  id: string;
  queue: string;
  body: unknown;
}

/**
 * Records job messages with the change they follow, in one statement: `if_changed` inserts only
 * when the statement right before it changed a row (as `outboxIfChangedStatements`), `always`
 * when the batch itself is the change. A row with a null `queue` is a canonical event. An id
 * already recorded keeps its row. The SELECT always has a WHERE: without one SQLite reads its
 * `ON CONFLICT` as a join constraint and refuses the statement (sqlite.org/lang_upsert.html).
 */
export function outboxJobStatements(
  db: D1Database,
  rows: ReadonlyArray<{ id: string; queue: string | null; body: unknown }>,
  now: number,
  when: "if_changed" | "always",
): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  return [
    db
      .prepare(
        `INSERT INTO outbox (event_id, event, created_at, queue) SELECT value ->> 'id', value ->> 'body', ?2, value ->> 'queue' FROM json_each(?1)` +
          ` WHERE ${when === "if_changed" ? "changes() > 0" : "true"} ON CONFLICT (event_id) DO NOTHING`,
      )
      .bind(JSON.stringify(rows.map((r) => ({ ...r, body: JSON.stringify(r.body) }))), now),
  ];
}

/**
 * Records events with the change they follow, if that change was made: placed right after the
 * compare-and-set that makes the change (or after a statement that ran only if it did, such as
 * `traceIfChangedStatement`). An event id already recorded is kept as it is.
 */
export function outboxIfChangedStatements(db: D1Database, events: readonly CanonicalEvent[], now: number): D1PreparedStatement[] {
  return outboxJobStatements(
    db,
    events.map((e) => ({ id: e.id, queue: null, body: e })),
    now,
    "if_changed",
  );
}

/** Forgets events and jobs that were sent. */
export function sentStatement(db: D1Database, eventIds: readonly string[]): D1PreparedStatement {
  return db.prepare("DELETE FROM outbox WHERE event_id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(eventIds));
}

/** A recorded event as stored, or null when it no longer parses as a canonical event. */
function readEvent(text: string): CanonicalEvent | null {
  const json = parseJsonOr(text, undefined);
  if (json === undefined) return null;
  const parsed = parseCanonicalEvent(json);
  return parsed.ok ? parsed.value : null;
}

/**
 * Events and jobs recorded before `before` and not sent since, oldest first, parsed; the ids of
 * rows that do not parse are returned apart (they stay recorded).
 */
export async function unsentEvents(
  db: D1Database,
  before: number,
  limit: number,
): Promise<{ events: CanonicalEvent[]; jobs: RecordedJob[]; unreadable: string[] }> {
  const { results } = await db
    .prepare("SELECT event_id, event, queue FROM outbox WHERE created_at < ?1 ORDER BY created_at LIMIT ?2")
    .bind(before, limit)
    .all<{ event_id: string; event: string; queue: string | null }>();
  const events: CanonicalEvent[] = [];
  const jobs: RecordedJob[] = [];
  const unreadable: string[] = [];
  for (const row of results) {
    if (row.queue !== null) {
      const body = parseJsonOr(row.event, undefined);
      if (body !== undefined) jobs.push({ id: row.event_id, queue: row.queue, body });
      else unreadable.push(row.event_id);
      continue;
    }
    const event = readEvent(row.event);
    if (event) events.push(event);
    else unreadable.push(row.event_id);
  }
  return { events, jobs, unreadable };
}
