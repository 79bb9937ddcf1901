/** D1 access for vendor health checks: one row per check of a connection, with its outcome. */

export interface HealthCheckRow {
  connection: string;
  at: number;
  ok: number;
  latency_ms: number;
  status: number | null;
  detail: string | null;
}

export interface PollCursorRow {
  connection: string;
  resource: string;
  cursor: string | null;
  last_polled_at: number | null;
}

/** Records one health check of `connection` (started at `at`). */
export async function recordHealthCheck(
  db: D1Database,
  c: { connection: string; at: number; ok: boolean; latencyMs: number; status: number | null; detail: string | null },
): Promise<void> {
  await db
    .prepare(`INSERT INTO health_checks (connection, at, ok, latency_ms, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
    .bind(c.connection, c.at, c.ok ? 1 : 0, c.latencyMs, c.status, c.detail)
    .run();
}

/**
 * Read together: each connection's most recent check, its checks (and how many passed) since
 * `since`, and every poll cursor by connection and resource.
 */
export async function healthSummary(
  db: D1Database,
  since: number,
): Promise<{
  latest: HealthCheckRow[];
  counts: Array<{ connection: string; checks: number; passed: number | null }>;
  cursors: PollCursorRow[];
}> {
  const [latest, day, cursors] = await db.batch([
    db.prepare(
      `SELECT h.* FROM health_checks h JOIN (SELECT connection, MAX(at) AS at FROM health_checks GROUP BY connection) m` +
        ` ON m.connection = h.connection AND m.at = h.at`,
    ),
    db
      .prepare(`SELECT connection, COUNT(*) AS checks, SUM(ok) AS passed FROM health_checks WHERE at >= ?1 GROUP BY connection`)
      .bind(since),
    db.prepare(`SELECT connection, resource, cursor, last_polled_at FROM cursors ORDER BY connection, resource`),
  ]);
  return {
    latest: (latest?.results ?? []) as HealthCheckRow[],
    counts: (day?.results ?? []) as Array<{ connection: string; checks: number; passed: number | null }>,
    cursors: (cursors?.results ?? []) as PollCursorRow[],
  };
}

/** Resolves when D1 answers a trivial query; rejects when it does not. */
export async function pingDatabase(db: D1Database): Promise<void> {
  await db.prepare("SELECT 1").first();
}
