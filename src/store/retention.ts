/** D1 statements that purge vendor data past its retention, wherever the hub keeps a copy. */

/** What a purged text field reads afterwards. */
const PURGED = "(purged by retention)";

/** A queue message body's source: an inbound delivery's, or a canonical event's system. */
const MESSAGE_SOURCE = `COALESCE(json_extract(payload, '$.source'), json_extract(payload, '$.event.source.system'))`;

/**
 * Every statement that purges one source's copies of vendor data received before `cutoff`: raw
 * bodies, event data, spooled bodies left behind, and closed dead letters (the message, its
 * history and last error). A delivery still being ingested (`received`) keeps all of it, and an
 * open dead letter keeps its message so ops can still replay it.
 */
export function sourcePurgeStatements(db: D1Database, source: string, cutoff: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE deliveries SET payload = NULL, status = 'purged' WHERE source = ?1 AND received_at < ?2 AND payload IS NOT NULL AND status <> 'received'`,
      )
      .bind(source, cutoff),
    db
      .prepare(
        `UPDATE events SET data = NULL WHERE source_system = ?1 AND recorded_at < ?2 AND data IS NOT NULL` +
          ` AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = events.delivery_id AND d.status = 'received')`,
      )
      .bind(source, cutoff),
    db
      .prepare(
        `DELETE FROM payload_spool WHERE created_at < ?2 AND id IN (SELECT id FROM deliveries WHERE source = ?1 AND status <> 'received')`,
      )
      .bind(source, cutoff),
    db
      .prepare(
        `UPDATE dead_letters SET payload = 'null', history = '[]', error = ?3` +
          ` WHERE status <> 'open' AND updated_at < ?2 AND payload <> 'null' AND ${MESSAGE_SOURCE} = ?1`,
      )
      .bind(source, cutoff, PURGED),
  ];
}

/**
 * Statements that purge copies naming no source (spooled bodies whose delivery was never
 * recorded, attempt errors, alert texts): older than `cutoff`, or, for those a queued message may
 * still need, older than `unqueued` (when no queue can hold that message any more). A spooled
 * body is the only copy of a delivery dead-lettered before ingest recorded it, so it stays while
 * that letter is open or its replay may still be queued.
 */
export function unattributedPurgeStatements(db: D1Database, cutoff: number, unqueued: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `DELETE FROM payload_spool WHERE created_at < ?1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = payload_spool.id)` +
          ` AND NOT EXISTS (SELECT 1 FROM dead_letters l WHERE (l.status = 'open' OR l.status = 'replayed' AND l.updated_at >= ?1) AND l.payload ->> 'spoolId' = payload_spool.id)`,
      )
      .bind(unqueued),
    db
      .prepare(
        `UPDATE message_attempts SET error = ?2 WHERE at < ?1 AND error <> ?2` +
          ` AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.queue = message_attempts.queue AND d.message_id = message_attempts.message_id AND d.status = 'open')`,
      )
      .bind(unqueued, PURGED),
    db
      .prepare(
        `UPDATE alert_log SET payload = json_object('purged', 1) WHERE at < ?1 AND sent_at IS NOT NULL AND json_extract(payload, '$.purged') IS NULL`,
      )
      .bind(cutoff),
    db.prepare(`UPDATE alerts SET detail = NULL WHERE state = 'resolved' AND last_at < ?1 AND detail IS NOT NULL`).bind(cutoff),
  ];
}

/** Runs purge statements together; how many rows they changed. */
export async function runPurge(db: D1Database, statements: D1PreparedStatement[]): Promise<number> {
  const results = await db.batch(statements);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
