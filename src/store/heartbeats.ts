/** D1 access for heartbeats: when each scheduled job last ran. */

/** When job `name` last ran, or null if it never did. */
export async function lastBeat(db: D1Database, name: string): Promise<number | null> {
  const row = await db.prepare(`SELECT at FROM heartbeats WHERE name = ?1`).bind(name).first<{ at: number }>();
  return row?.at ?? null;
}

/** Records that job `name` ran at `now`. */
export async function recordBeat(db: D1Database, name: string, now: number): Promise<void> {
  await db
    .prepare(`INSERT INTO heartbeats (name, at) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET at = excluded.at`)
    .bind(name, now)
    .run();
}
