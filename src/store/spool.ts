/** Bodies too large for one queue message wait in D1; the message carries only the spool id. */

export async function spoolPayload(db: D1Database, id: string, body: string, now: number): Promise<void> {
  await db.prepare(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`).bind(id, body, now).run();
}

export async function readSpooled(db: D1Database, id: string): Promise<string | null> {
  const row = await db.prepare(`SELECT body FROM payload_spool WHERE id = ?1`).bind(id).first<{ body: string }>();
  return row?.body ?? null;
}

export async function dropSpooled(db: D1Database, id: string): Promise<void> {
  await db.prepare(`DELETE FROM payload_spool WHERE id = ?1`).bind(id).run();
}
