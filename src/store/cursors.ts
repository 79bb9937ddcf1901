/** D1 access for backup-poll cursors: the last change each connection's poller enqueued. */

export async function getCursor(
  db: D1Database,
  connection: string,
  resource: string,
): Promise<{ cursor: string | null; last_polled_at: number | null } | null> {
  return db
    .prepare(`SELECT cursor, last_polled_at FROM cursors WHERE connection = ?1 AND resource = ?2`)
    .bind(connection, resource)
    .first<{ cursor: string | null; last_polled_at: number | null }>();
}

/** Advances a cursor; called only after the page it covers is enqueued. */
export async function setCursor(db: D1Database, connection: string, resource: string, cursor: string | null, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO cursors (connection, resource, cursor, last_polled_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)` +
        ` ON CONFLICT (connection, resource) DO UPDATE SET cursor = COALESCE(excluded.cursor, cursor), last_polled_at = excluded.last_polled_at, updated_at = excluded.updated_at`,
    )
    .bind(connection, resource, cursor, now)
    .run();
}

export async function lastPolled(db: D1Database, connection: string): Promise<number | null> {
  const row = await db
    .prepare(`SELECT MIN(last_polled_at) AS at FROM cursors WHERE connection = ?1`)
    .bind(connection)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}
