import { type CanonicalEvent, parseCanonicalEvent } from "../canonical";

/**
 * The outbox: follow-on events recorded in the same batch as the change they follow, deleted
 * once sent. Rows still here a while after their change were never sent.
 */

/**
 * Records events with the change they follow, if that change was made: one statement, placed
 * right after the compare-and-set that makes the change (or after a statement that ran only if it
 * did, such as `traceIfChangedStatement`), since it inserts only when that statement changed a
 * row. An event id already recorded is kept as it is. None for no events.
 */
export function outboxIfChangedStatements(db: D1Database, events: readonly CanonicalEvent[], now: number): D1PreparedStatement[] {
  if (events.length === 0) return [];
  return [
    db
      .prepare(
        `INSERT INTO outbox (event_id, event, created_at)
         SELECT json_extract(value, '$.id'), value, ?2 FROM json_each(?1) WHERE changes() > 0
         ON CONFLICT (event_id) DO NOTHING`,
      )
      .bind(JSON.stringify(events), now),
  ];
}

/** Forgets events that were sent. */
export function sentStatement(db: D1Database, eventIds: readonly string[]): D1PreparedStatement {
  return db.prepare("DELETE FROM outbox WHERE event_id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(eventIds));
}

/** A recorded event as stored, or null when it no longer parses as a canonical event. */
function readEvent(text: string): CanonicalEvent | null {
  try {
    const parsed = parseCanonicalEvent(JSON.parse(text) as unknown);
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}

/**
 * Events recorded before `before` and not sent since, oldest first, parsed; the ids of rows that
 * do not parse are returned apart (they stay recorded).
 */
export async function unsentEvents(
  db: D1Database,
  before: number,
  limit: number,
): Promise<{ events: CanonicalEvent[]; unreadable: string[] }> {
  const { results } = await db
    .prepare("SELECT event_id, event FROM outbox WHERE created_at < ?1 ORDER BY created_at LIMIT ?2")
    .bind(before, limit)
    .all<{ event_id: string; event: string }>();
  const events: CanonicalEvent[] = [];
  const unreadable: string[] = [];
  for (const row of results) {
    const event = readEvent(row.event);
    if (event) events.push(event);
    else unreadable.push(row.event_id);
  }
  return { events, unreadable };
}
