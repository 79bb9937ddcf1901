import type { LinkKind } from "./links";

/**
 * The canonical id linked to a system's record, creating the link with `candidate` when none
 * exists. The link's unique key decides races: two consumers seeing the same new vendor record
 * agree on one canonical id.
 */
export async function claimCanonicalId(
  db: D1Database,
  l: { system: string; kind: LinkKind; externalId: string; connection?: string },
  candidate: string,
  now: number,
): Promise<{ id: string; created: boolean }> {
  const row = await db
    .prepare(
      `INSERT INTO links (system, kind, external_id, canonical_id, connection, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)` +
        ` ON CONFLICT (system, kind, external_id) DO UPDATE SET canonical_id = canonical_id RETURNING canonical_id`,
    )
    .bind(l.system, l.kind, l.externalId, candidate, l.connection ?? null, now)
    .first<{ canonical_id: string }>();
  const id = row?.canonical_id ?? candidate;
  return { id, created: id === candidate };
}
