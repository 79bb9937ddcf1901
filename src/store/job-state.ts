/** D1 access for the state a resumable scheduled job keeps between invocations (JSON text). */

/** The stored state of job `name`, as written; null when it never ran. */
export async function loadJobState(db: D1Database, name: string): Promise<string | null> {
  const row = await db.prepare(`SELECT state FROM job_state WHERE name = ?1`).bind(name).first<{ state: string }>();
  return row?.state ?? null;
}

/** Replaces the stored state of job `name`. */
export async function saveJobState(db: D1Database, name: string, state: unknown, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO job_state (name, state, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    )
    .bind(name, JSON.stringify(state), now)
    .run();
}
