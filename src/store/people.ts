import { parseGoldenFields, type GoldenFields } from "../canonical/golden";

/** D1 access for golden people and the identity keys that match leads to them. */

export interface PersonRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  lead_source: string | null;
  lead_system: string | null;
  fields: string;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdentityKeys {
  emails: string[];
  phones: string[];
}

/** The golden person matching a lead: by normalized email first, then by phone. */
export async function findPersonByKeys(db: D1Database, keys: IdentityKeys): Promise<PersonRow | null> {
  for (const [kind, values] of [
    ["email", keys.emails],
    ["phone", keys.phones],
  ] as const) {
    for (const value of values) {
      const row = await db
        .prepare(`SELECT p.* FROM person_keys k JOIN people p ON p.id = k.person_id WHERE k.kind = ?1 AND k.value = ?2`)
        .bind(kind, value)
        .first<PersonRow>();
      if (row) return row.merged_into ? currentPerson(db, row.merged_into) : row;
    }
  }
  return null;
}

export async function getPerson(db: D1Database, id: string): Promise<PersonRow | null> {
  return db.prepare(`SELECT * FROM people WHERE id = ?1`).bind(id).first<PersonRow>();
}

/** The person `id` is now: its record, or the one it was merged into, through any chain of merges. */
export async function currentPerson(db: D1Database, id: string): Promise<PersonRow | null> {
  let row = await getPerson(db, id);
  for (let hops = 0; row?.merged_into && hops < 20; hops++) row = await getPerson(db, row.merged_into);
  return row;
}

/** The people with these ids (those that exist), in one query. */
export async function getPeople(db: D1Database, ids: string[]): Promise<PersonRow[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare(`SELECT * FROM people WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<PersonRow>();
  return results;
}

function primaryKey(keys: IdentityKeys): [string, string] | null {
  if (keys.emails[0]) return ["email", keys.emails[0]];
  if (keys.phones[0]) return ["phone", keys.phones[0]];
  return null;
}

/**
 * Creates a golden person, or returns the one a concurrent lead created first: identity keys are
 * claimed with a unique key before the row is written, so two copies of one new lead racing in
 * one batch end as one person. Keys whose person has no row (a try that died between the two
 * writes) get the row now, under their id: `created` says whether this call wrote it.
 */
export async function claimPerson(
  db: D1Database,
  p: {
    id: string;
    firstName?: string;
    lastName?: string;
    keys: IdentityKeys;
    leadSource?: string;
    leadSystem?: string;
    fields: GoldenFields;
  },
  now: number,
): Promise<{ id: string; created: boolean }> {
  const primary = primaryKey(p.keys);
  if (!primary) throw new Error("a golden person needs an email or a phone");
  const claims = [...p.keys.emails.map((v) => ["email", v] as const), ...p.keys.phones.map((v) => ["phone", v] as const)].map(
    ([kind, value]) =>
      db.prepare(`INSERT INTO person_keys (kind, value, person_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`).bind(kind, value, p.id),
  );
  await db.batch(claims);
  const owner = await db
    .prepare(`SELECT person_id FROM person_keys WHERE kind = ?1 AND value = ?2`)
    .bind(primary[0], primary[1])
    .first<{ person_id: string }>();
  const id = owner?.person_id ?? p.id;
  if (id !== p.id) await db.prepare(`UPDATE person_keys SET person_id = ?1 WHERE person_id = ?2`).bind(id, p.id).run();
  const written = await db
    .prepare(
      `INSERT INTO people (id, first_name, last_name, email, phone, lead_source, lead_system, fields, created_at, updated_at)` +
        ` VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      id,
      p.firstName ?? null,
      p.lastName ?? null,
      p.keys.emails[0] ?? null,
      p.keys.phones[0] ?? null,
      p.leadSource ?? null,
      p.leadSystem ?? null,
      JSON.stringify(p.fields),
      now,
    )
    .run();
  return { id, created: written.meta.changes > 0 };
}

/** Adds identity keys a known person gained (a second email); keys owned by others stay theirs. */
export function addKeysStatements(db: D1Database, personId: string, keys: IdentityKeys): D1PreparedStatement[] {
  return [...keys.emails.map((v) => ["email", v] as const), ...keys.phones.map((v) => ["phone", v] as const)].map(([kind, value]) =>
    db.prepare(`INSERT INTO person_keys (kind, value, person_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`).bind(kind, value, personId),
  );
}

/**
 * Updates a golden person; `updated_at` moves forward on every write, even two in one
 * millisecond. With `expectedUpdatedAt` it is a compare-and-set: it changes nothing
 * (meta.changes = 0) when someone else updated the person since it was read.
 */
export function updatePersonStatement(
  db: D1Database,
  id: string,
  p: { firstName?: string; lastName?: string; email?: string; phone?: string; fields: GoldenFields; expectedUpdatedAt?: number },
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE people SET first_name = COALESCE(?2, first_name), last_name = COALESCE(?3, last_name), email = COALESCE(?4, email),` +
        ` phone = COALESCE(?5, phone), fields = ?6, updated_at = MAX(?7, updated_at + 1) WHERE id = ?1 AND (?8 IS NULL OR updated_at = ?8)`,
    )
    .bind(
      id,
      p.firstName ?? null,
      p.lastName ?? null,
      p.email ?? null,
      p.phone ?? null,
      JSON.stringify(p.fields),
      now,
      p.expectedUpdatedAt ?? null,
    );
}

/**
 * The golden fields of a stored person or deal (none for no record). A corrupt record throws
 * CorruptRecordError: merged into as if empty, it would be written back as only the new fields.
 */
export function parseFields(row: { id: string; fields: string } | null): GoldenFields {
  if (!row) return {};
  return parseGoldenFields(row.id, row.fields);
}

/** `q` as a LIKE pattern matching it anywhere, its wildcards taken literally (ESCAPE '\'). */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * People an operator's query finds, most recently updated first: by id, identity key or any
 * system's id exactly, by phone, and by email or full name as a substring.
 */
export async function searchPeople(db: D1Database, q: { text: string; phone: string | null; limit: number }): Promise<PersonRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM people WHERE id = ?1` +
        ` OR id IN (SELECT person_id FROM person_keys WHERE (kind = 'email' AND value = ?2) OR (kind = 'phone' AND value = ?3))` +
        ` OR id IN (SELECT canonical_id FROM links WHERE external_id = ?1 AND kind = 'person')` +
        ` OR phone = ?3 OR email LIKE ?4 ESCAPE '\\'` +
        ` OR (COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) LIKE ?4 ESCAPE '\\'` +
        ` ORDER BY updated_at DESC LIMIT ?5`,
    )
    .bind(q.text, q.text.toLowerCase(), q.phone, containsPattern(q.text), q.limit)
    .all<PersonRow>();
  return results;
}

/** The ids of the people merged into person `id`. */
export async function mergedInto(db: D1Database, id: string): Promise<string[]> {
  const { results } = await db.prepare(`SELECT id FROM people WHERE merged_into = ?1`).bind(id).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The identity keys person `id` owns, by kind then value. */
export async function personKeys(db: D1Database, id: string): Promise<{ kind: string; value: string }[]> {
  const { results } = await db
    .prepare(`SELECT kind, value FROM person_keys WHERE person_id = ?1 ORDER BY kind, value`)
    .bind(id)
    .all<{ kind: string; value: string }>();
  return results;
}

/** A person's golden fields and their enrichment record (JSON texts), or null if unknown. */
export async function getEnrichment(db: D1Database, id: string): Promise<{ fields: string; enriched: string } | null> {
  return db.prepare(`SELECT fields, enriched FROM people WHERE id = ?1`).bind(id).first<{ fields: string; enriched: string }>();
}

/** Replaces a person's enrichment record. */
export async function setEnrichment(db: D1Database, id: string, enriched: unknown): Promise<void> {
  await db.prepare(`UPDATE people SET enriched = ?2 WHERE id = ?1`).bind(id, JSON.stringify(enriched)).run();
}

/** The people not merged away that were created by `createdBy`, by id, as deduplication reads them. */
export async function unmergedPeopleUntil(
  db: D1Database,
  createdBy: number,
): Promise<Array<{ id: string; first_name: string | null; last_name: string | null; fields: string }>> {
  const { results } = await db
    .prepare(`SELECT id, first_name, last_name, fields FROM people WHERE merged_into IS NULL AND created_at <= ?1 ORDER BY id`)
    .bind(createdBy)
    .all<{ id: string; first_name: string | null; last_name: string | null; fields: string }>();
  return results;
}

/** The person owning email identity key `email` (normalized), if any. */
export async function personIdByEmail(db: D1Database, email: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT person_id FROM person_keys WHERE kind = 'email' AND value = ?1`)
    .bind(email)
    .first<{ person_id: string }>();
  return row?.person_id ?? null;
}
