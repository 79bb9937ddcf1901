import type { GoldenFields } from "../canonical/golden";

/** D1 access for golden deals (a CRM deal and its TMS transaction are one golden deal). */

export interface DealRow {
  id: string;
  person_id: string | null;
  name: string | null;
  stage: string | null;
  price_cents: number | null;
  gci_cents: number | null;
  lead_source: string | null;
  fields: string;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

export async function getDeal(db: D1Database, id: string): Promise<DealRow | null> {
  return db.prepare(`SELECT * FROM deals WHERE id = ?1`).bind(id).first<DealRow>();
}

/** The deals with these ids (those that exist), in one query. */
export async function getDeals(db: D1Database, ids: string[]): Promise<DealRow[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare(`SELECT * FROM deals WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<DealRow>();
  return results;
}

/** Creates a golden deal unless one with this id exists; the lead source follows the person. */
export function insertDealStatement(
  db: D1Database,
  d: { id: string; personId?: string | null; name?: string; stage?: string; priceCents?: number; closedAt?: number; fields: GoldenFields },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deals (id, person_id, name, stage, price_cents, lead_source, fields, closed_at, created_at, updated_at)` +
        ` VALUES (?1, ?2, ?3, ?4, ?5, (SELECT lead_source FROM people WHERE id = ?2), ?6, ?8, ?7, ?7) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      d.id,
      d.personId ?? null,
      d.name ?? null,
      d.stage ?? null,
      d.priceCents ?? null,
      JSON.stringify(d.fields),
      now,
      d.closedAt ?? null,
    );
}

/**
 * Updates a golden deal. With `expectedUpdatedAt` it is a compare-and-set: it changes nothing
 * (meta.changes = 0) when someone else updated the deal since it was read.
 */
export function updateDealStatement(
  db: D1Database,
  id: string,
  d: {
    name?: string;
    stage?: string;
    priceCents?: number;
    gciCents?: number;
    closedAt?: number;
    fields?: GoldenFields;
    expectedUpdatedAt?: number;
    /** The deal's client, when the CRM moved it to another person. */
    personId?: string;
  },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE deals SET name = COALESCE(?2, name), stage = COALESCE(?3, stage), price_cents = COALESCE(?4, price_cents),` +
        ` gci_cents = COALESCE(?5, gci_cents), closed_at = COALESCE(closed_at, ?6), fields = COALESCE(?7, fields), person_id = COALESCE(?10, person_id), updated_at = MAX(?8, updated_at + 1)` +
        ` WHERE id = ?1 AND (?9 IS NULL OR updated_at = ?9)`,
    )
    .bind(
      id,
      d.name ?? null,
      d.stage ?? null,
      d.priceCents ?? null,
      d.gciCents ?? null,
      d.closedAt ?? null,
      d.fields ? JSON.stringify(d.fields) : null,
      now,
      d.expectedUpdatedAt ?? null,
      d.personId ?? null,
    );
}

/**
 * Notes in place the stage `system` holds for the deal once the hub wrote it there
 * (Provenance.held), so the write's echo, or a change of the system's own read with it, is told
 * from the hub's value. A deal without a stage is left as it is.
 */
export function noteStageHeldStatement(db: D1Database, id: string, system: string, stage: string): D1PreparedStatement {
  return db
    .prepare("UPDATE deals SET fields = json_set(fields, ?2, ?3) WHERE id = ?1 AND json_type(fields, '$.stage') = 'object'")
    .bind(id, `$.stage.held.${JSON.stringify(system)}`, stage);
}

/**
 * Deals an operator's query finds, most recently updated first: by id or any system's id exactly,
 * by name as a substring (`namePattern` is a LIKE pattern, ESCAPE '\'), and those of `personIds`.
 */
export async function searchDeals(
  db: D1Database,
  q: { text: string; namePattern: string; personIds: string[]; limit: number },
): Promise<DealRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM deals WHERE id = ?1` +
        ` OR id IN (SELECT canonical_id FROM links WHERE external_id = ?1 AND kind IN ('deal', 'transaction', 'invoice'))` +
        ` OR name LIKE ?2 ESCAPE '\\' OR person_id IN (SELECT value FROM json_each(?3))` +
        ` ORDER BY updated_at DESC LIMIT ?4`,
    )
    .bind(q.text, q.namePattern, JSON.stringify(q.personIds), q.limit)
    .all<DealRow>();
  return results;
}

/** The deals of person `personId`, oldest first. */
export async function dealsOfPerson(db: D1Database, personId: string): Promise<DealRow[]> {
  const { results } = await db.prepare(`SELECT * FROM deals WHERE person_id = ?1 ORDER BY created_at`).bind(personId).all<DealRow>();
  return results;
}
