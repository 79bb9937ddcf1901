/** D1 access for ID links: a canonical id ↔ each system's id, unique per (system, kind). */

import { afterPosition, countOf, pageOf, type Page, type Position } from "./page";

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

/** Which of these external ids of one system and kind are linked to a canonical record. */
export async function linkedAmong(db: D1Database, system: string, kind: LinkKind, externalIds: string[]): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const { results } = await db
    .prepare(`SELECT external_id FROM links WHERE system = ?1 AND kind = ?2 AND external_id IN (SELECT value FROM json_each(?3))`)
    .bind(system, kind, JSON.stringify(externalIds))
    .all<{ external_id: string }>();
  return new Set(results.map((r) => r.external_id));
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
      `INSERT INTO links (system, kind, external_id, canonical_id, connection, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)` +
        ` ON CONFLICT (system, kind, external_id) DO NOTHING`,
    )
    .bind(l.system, l.kind, l.externalId, l.canonicalId, l.connection ?? null, now);
}

/**
 * Moves the links of records a system merged away to the record it kept; one whose kept record
 * is linked already (to anyone) is dropped, and the next use finds the record again.
 */
export function relinkStatements(
  db: D1Database,
  system: string,
  kind: LinkKind,
  mergedIds: string[],
  keptId: string,
): D1PreparedStatement[] {
  const merged = `system = ?1 AND kind = ?2 AND external_id IN (SELECT value FROM json_each(?3))`;
  return [
    db.prepare(`UPDATE OR IGNORE links SET external_id = ?4 WHERE ${merged}`).bind(system, kind, JSON.stringify(mergedIds), keptId),
    db.prepare(`DELETE FROM links WHERE ${merged}`).bind(system, kind, JSON.stringify(mergedIds)),
  ];
}

/** Drops the link to a record the system no longer has. */
export function unlinkStatement(db: D1Database, system: string, kind: LinkKind, externalId: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM links WHERE system = ?1 AND kind = ?2 AND external_id = ?3`).bind(system, kind, externalId);
}

/** Every link of these canonical ids, oldest first. */
export async function linksOfMany(db: D1Database, canonicalIds: string[]): Promise<LinkRow[]> {
  if (canonicalIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT * FROM links WHERE canonical_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at`)
    .bind(JSON.stringify(canonicalIds))
    .all<LinkRow>();
  return results;
}

/** A link's own key (system, kind, external id) as one sortable string, for paging. */
const LINK_KEY = `system || char(31) || kind || char(31) || external_id`;

/**
 * Links matching every filter given, newest first, one page at a time with the total that
 * matches the filter and the cursor of the next page.
 */
export async function listLinks(
  db: D1Database,
  q: {
    system?: string | undefined;
    kind?: string | undefined;
    canonicalId?: string | undefined;
    externalId?: string | undefined;
    limit: number;
    cursor?: Position | undefined;
  },
): Promise<Page<LinkRow>> {
  const where = `(?1 IS NULL OR system = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR canonical_id = ?3) AND (?4 IS NULL OR external_id = ?4)`;
  const filter = [q.system ?? null, q.kind ?? null, q.canonicalId ?? null, q.externalId ?? null];
  const [rows, count] = await db.batch([
    db
      .prepare(
        `SELECT *, ${LINK_KEY} AS link_key FROM links WHERE ${where} AND ${afterPosition(5, LINK_KEY)} ORDER BY created_at DESC, link_key DESC LIMIT ?7`,
      )
      .bind(...filter, q.cursor?.[0] ?? null, q.cursor?.[1] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM links WHERE ${where}`).bind(...filter),
  ]);
  const page = pageOf((rows?.results ?? []) as Array<LinkRow & { link_key: string }>, q.limit, (l) => l.link_key);
  return { rows: page.rows, cursor: page.cursor, total: countOf(count) };
}

/** The ids in `system` of every deal of person `personId`, as `kind` records (the CRM's deals, the TMS's transactions). */
export async function dealIdsOfPerson(db: D1Database, personId: string, system: string, kind: "deal" | "transaction"): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT l.external_id FROM deals d JOIN links l ON l.canonical_id = d.id AND l.system = ?2 AND l.kind = ?3 WHERE d.person_id = ?1`,
    )
    .bind(personId, system, kind)
    .all<{ external_id: string }>();
  return results.map((r) => r.external_id);
}
