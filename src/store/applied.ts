/** D1 access for applied actions: what the hub already did to a vendor for an event. */

export async function appliedResult(db: D1Database, eventId: string, action: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT result FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action)
    .first<{ result: string | null }>();
  return row ? (row.result ?? "") : null;
}

export function appliedStatement(db: D1Database, eventId: string, action: string, result: string, now: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO applied_actions (event_id, action, result, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING`)
    .bind(eventId, action, result, now);
}
