/** D1 access for ID links: a canonical id ↔ each system's id, unique per (system, kind). */

export type LinkKind = "person" | "deal" | "transaction" | "invoice" | "customer" | "vendor";

export interface LinkRow {
  system: string;
  kind: LinkKind;
  external_id: string;
  canonical_id: string;
  connection: string | null;
  created_at: number;
}

export async function findCanonicalId(db: D1Database, system: string, kind: LinkKind, externalId: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT canonical_id FROM links WHERE system = ?1 AND kind = ?2 AND external_id = ?3`)
    .bind(system, kind, externalId)
    .first<{ canonical_id: string }>();
  return row?.canonical_id ?? null;
}

/** The external id of a canonical record in one system, if linked. */
export async function findExternalId(db: D1Database, canonicalId: string, system: string, kind: LinkKind): Promise<string | null> {
  const row = await db
    .prepare(`SELECT external_id FROM links WHERE canonical_id = ?1 AND system = ?2 AND kind = ?3 ORDER BY created_at LIMIT 1`)
    .bind(canonicalId, system, kind)
    .first<{ external_id: string }>();
  return row?.external_id ?? null;
}

export function linkStatement(
  db: D1Database,
  l: { system: string; kind: LinkKind; externalId: string; canonicalId: string; connection?: string },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO links (system, kind, external_id, canonical_id, connection, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (system, kind, external_id) DO NOTHING`,
    )
    .bind(l.system, l.kind, l.externalId, l.canonicalId, l.connection ?? null, now);
}

export async function linksOf(db: D1Database, canonicalId: string): Promise<LinkRow[]> {
  const { results } = await db.prepare(`SELECT * FROM links WHERE canonical_id = ?1 ORDER BY created_at`).bind(canonicalId).all<LinkRow>();
  return results;
}
