/** D1 access for schema drift records: one row per (source, field, kind), counted. */

import { afterPosition, countOf, pageBy, type Page, type Position } from "./page";

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
      `INSERT INTO drift (source, field, kind, sample, first_seen, last_seen, count) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1)` +
        ` ON CONFLICT (source, field, kind) DO UPDATE SET last_seen = excluded.last_seen, count = count + 1, sample = excluded.sample`,
    )
    .bind(d.source, d.field.slice(0, 200), d.kind, d.sample?.slice(0, 200) ?? null, d.seenAt);
}

/** The drift key as sortable text (ids are integers; a cursor's key is a string). */
const DRIFT_KEY = `printf('%020d', id)`;

/** Drift, most recently seen first, one page at a time with the total and the next cursor. */
export async function listDrift(db: D1Database, q: { limit: number; cursor?: Position | undefined }): Promise<Page<DriftRow>> {
  const [rows, count] = await db.batch([
    db
      .prepare(`SELECT * FROM drift WHERE ${afterPosition(1, DRIFT_KEY, "last_seen")} ORDER BY last_seen DESC, id DESC LIMIT ?3`)
      .bind(q.cursor?.[0] ?? null, q.cursor?.[1] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM drift`),
  ]);
  const page = pageBy((rows?.results ?? []) as DriftRow[], q.limit, (d) => [d.last_seen, String(d.id).padStart(20, "0")]);
  return { ...page, total: countOf(count) };
}
