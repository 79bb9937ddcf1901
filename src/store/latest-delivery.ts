/** The newest delivery of a source whose body is still kept (retention may have purged older ones). */
export async function latestDelivery(db: D1Database, source: string): Promise<{ receivedAt: number; payload: unknown } | null> {
  const row = await db
    .prepare(`SELECT received_at, payload FROM deliveries WHERE source = ?1 AND payload IS NOT NULL ORDER BY received_at DESC LIMIT 1`)
    .bind(source)
    .first<{ received_at: number; payload: string }>();
  if (!row) return null;
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = null; // recorded bodies are JSON; a body that is not reads as one without recipients
  }
  return { receivedAt: row.received_at, payload };
}
