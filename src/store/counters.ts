/** Increments a named counter and returns its value before the increment (0 for a new one). */
export async function nextTurn(db: D1Database, name: string): Promise<number> {
  const row = await db
    .prepare(`INSERT INTO counters (name, value) VALUES (?1, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`)
    .bind(name)
    .first<{ value: number }>();
  return (row?.value ?? 1) - 1;
}
