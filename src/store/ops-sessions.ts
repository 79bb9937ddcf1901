/** D1 access for dashboard sessions (stored by the hash of their id) and per-client auth failures. */

export interface SessionRow {
  id_hash: string;
  actor: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export async function insertSession(db: D1Database, s: Omit<SessionRow, "revoked_at">): Promise<void> {
  await db
    .prepare(`INSERT INTO ops_sessions (id_hash, actor, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)`)
    .bind(s.id_hash, s.actor, s.created_at, s.expires_at)
    .run();
}

export function findSession(db: D1Database, idHash: string): Promise<SessionRow | null> {
  return db.prepare(`SELECT * FROM ops_sessions WHERE id_hash = ?1`).bind(idHash).first<SessionRow>();
}

export async function revokeSession(db: D1Database, idHash: string, now: number): Promise<void> {
  await db.prepare(`UPDATE ops_sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL`).bind(idHash, now).run();
}

/** Drops sessions that ended a day ago and failure windows long closed. */
export async function purgeAuthState(db: D1Database, now: number, windowMs: number): Promise<void> {
  await db.batch([
    db.prepare(`DELETE FROM ops_sessions WHERE expires_at < ?1`).bind(now - 86_400_000),
    db.prepare(`DELETE FROM auth_failures WHERE window_start < ?1`).bind(now - windowMs),
  ]);
}

export interface FailureWindow {
  window_start: number;
  count: number;
}

export function failureWindow(db: D1Database, client: string): Promise<FailureWindow | null> {
  return db.prepare(`SELECT window_start, count FROM auth_failures WHERE client = ?1`).bind(client).first<FailureWindow>();
}

/** Counts one failure in the client's current window (a closed window starts over at 1). */
export async function countFailure(db: D1Database, client: string, now: number, windowMs: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO auth_failures (client, window_start, count) VALUES (?1, ?2, 1)` +
        ` ON CONFLICT (client) DO UPDATE SET` +
        ` count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END,` +
        ` window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END`,
    )
    .bind(client, now, windowMs)
    .run();
}
