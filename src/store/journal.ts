/** D1 access for the optional intake journal (see migrations/0004_intake_journal.sql). */

export async function journalDelivery(db: D1Database, deliveryId: string, message: unknown, now: number): Promise<void> {
  await db
    .prepare(`INSERT INTO intake_journal (delivery_id, message, accepted_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`)
    .bind(deliveryId, JSON.stringify(message), now)
    .run();
}

export function forgetStatement(db: D1Database, deliveryId: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM intake_journal WHERE delivery_id = ?1`).bind(deliveryId);
}

/** Journaled deliveries older than `olderThan` whose queue message never reached ingest. */
export async function strandedDeliveries(
  db: D1Database,
  olderThan: number,
  limit = 500,
): Promise<Array<{ delivery_id: string; message: string }>> {
  const { results } = await db
    .prepare(`SELECT delivery_id, message FROM intake_journal WHERE accepted_at < ?1 ORDER BY accepted_at LIMIT ?2`)
    .bind(olderThan, limit)
    .all<{ delivery_id: string; message: string }>();
  return results;
}
