/** Bodies too large for one queue message wait in D1; the message carries only the spool id. */

export async function spoolPayload(db: D1Database, id: string, body: string, now: number): Promise<void> {
  await db.prepare(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`).bind(id, body, now).run();
}

export async function readSpooled(db: D1Database, id: string): Promise<string | null> {
  const row = await db.prepare(`SELECT body FROM payload_spool WHERE id = ?1`).bind(id).first<{ body: string }>();
  return row?.body ?? null;
}

/**
 * Drops the spooled bodies of a delivery once it has ended (every copy's spool id: the copy
 * being processed and the delivery's own). Committed in the batch that marks the ending, so a
 * body is never gone while the delivery still needs it.
 */
export function dropSpooledStatement(db: D1Database, ids: readonly string[]): D1PreparedStatement {
  return db.prepare(`DELETE FROM payload_spool WHERE id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids));
}
