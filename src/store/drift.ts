/** D1 access for schema drift records: one row per (source, field, kind), counted. */

export interface DriftInput {
  source: string;
  field: string;
  kind: string;
  sample?: string;
  seenAt: number;
}

export interface DriftRow {
  id: number;
  source: string;
  field: string;
  kind: string;
  sample: string | null;
  first_seen: number;
  last_seen: number;
  count: number;
}

/** Records drift; returns the statements so callers can batch them with the event writes. */
export function driftStatement(db: D1Database, d: DriftInput): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO drift (source, field, kind, sample, first_seen, last_seen, count) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1)
       ON CONFLICT (source, field, kind) DO UPDATE SET last_seen = excluded.last_seen, count = count + 1, sample = excluded.sample`,
    )
    .bind(d.source, d.field.slice(0, 200), d.kind, d.sample?.slice(0, 200) ?? null, d.seenAt);
}

export async function listDrift(db: D1Database, limit = 200): Promise<DriftRow[]> {
  const { results } = await db.prepare(`SELECT * FROM drift ORDER BY last_seen DESC LIMIT ?1`).bind(limit).all<DriftRow>();
  return results;
}
