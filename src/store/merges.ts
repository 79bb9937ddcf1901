/** D1 access for merge proposals and the merge itself. */

import { afterPosition, countOf, pageBy, type Page, type Position } from "./page";

export interface MergeProposalRow {
  id: string;
  a: string;
  b: string;
  score: number;
  reasons: string;
  status: "proposed" | "approved" | "rejected" | "merged";
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

export function proposeStatement(
  db: D1Database,
  p: { a: string; b: string; score: number; reasons: string[] },
  now: number,
): D1PreparedStatement {
  const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
  return db
    .prepare(
      `INSERT INTO merge_proposals (id, a, b, score, reasons, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (a, b) DO NOTHING`,
    )
    .bind(`mp_${crypto.randomUUID()}`, a, b, p.score, JSON.stringify(p.reasons), now);
}

export async function getProposal(db: D1Database, id: string): Promise<MergeProposalRow | null> {
  return db.prepare(`SELECT * FROM merge_proposals WHERE id = ?1`).bind(id).first<MergeProposalRow>();
}

/** Proposals of one status, best score first, one page at a time with the total and the next cursor. */
export async function listProposals(
  db: D1Database,
  q: { status: MergeProposalRow["status"]; limit: number; cursor?: Position | undefined },
): Promise<Page<MergeProposalRow>> {
  const [rows, count] = await db.batch([
    db
      .prepare(
        `SELECT * FROM merge_proposals WHERE status = ?1 AND ${afterPosition(2, "id", "score")} ORDER BY score DESC, id DESC LIMIT ?4`,
      )
      .bind(q.status, q.cursor?.[0] ?? null, q.cursor?.[1] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM merge_proposals WHERE status = ?1`).bind(q.status),
  ]);
  const page = pageBy((rows?.results ?? []) as MergeProposalRow[], q.limit, (p) => [p.score, p.id]);
  return { ...page, total: countOf(count) };
}

/** Rejects a proposal unless someone decided it first; false when they did. (Approving is `mergePeople`.) */
export async function rejectProposal(db: D1Database, id: string, by: string, now: number): Promise<boolean> {
  const r = await db
    .prepare(`UPDATE merge_proposals SET status = 'rejected', decided_at = ?2, decided_by = ?3 WHERE id = ?1 AND status = 'proposed'`)
    .bind(id, now, by)
    .run();
  return r.meta.changes > 0;
}

/**
 * Merges person `loser` into `survivor` in one transaction: identity keys, links and deals move
 * to the survivor, its fields become `fields` (the two folded together), the loser points at it
 * (`merged_into`), the proposal is marked merged. Every statement applies only while the
 * proposal is still open and both people are unchanged since the fold was made (`read`,
 * `loserRead`: their `updated_at` then), and the last one closes it, so the merge and its
 * decision land together or not at all. False when it was decided, or either person changed,
 * meanwhile.
 */
export async function mergePeople(
  db: D1Database,
  proposalId: string,
  survivor: string,
  loser: string,
  by: string,
  now: number,
  fold: { fields: string; read: number; loserRead: number },
): Promise<boolean> {
  // `approved` is only ever an approval interrupted by an earlier version, which decided first
  // and merged after: it is finished like an open one. Both people must still be unmerged: the
  // merges of one person's three records run side by side, and the first decided leaves the
  // others undone (the next proposal for the pair takes it from there).
  const open =
    `EXISTS (SELECT 1 FROM merge_proposals WHERE id = ?3 AND status IN ('proposed', 'approved'))` +
    ` AND NOT EXISTS (SELECT 1 FROM people WHERE id IN (?1, ?2) AND merged_into IS NOT NULL)` +
    ` AND EXISTS (SELECT 1 FROM people WHERE id = ?1 AND updated_at = ?6)` +
    ` AND EXISTS (SELECT 1 FROM people WHERE id = ?2 AND updated_at = ?7)`;
  // Every statement under `open` binds the same values: ?4 the time, ?5 its own text, ?6 and ?7
  // the people's stamps as the fold read them.
  const whileOpen = (sql: string, text: string | null = null) =>
    db.prepare(sql).bind(survivor, loser, proposalId, now, text, fold.read, fold.loserRead);
  const results = await db.batch([
    whileOpen(
      `INSERT INTO traces (subject, stage, outcome, detail, at) SELECT ?1, 'MERGED', 'ok', ?5, ?4 WHERE ${open}`,
      `merged ${loser} (${by})`,
    ),
    whileOpen(`UPDATE OR IGNORE person_keys SET person_id = ?1 WHERE person_id = ?2 AND ${open}`),
    whileOpen(`DELETE FROM person_keys WHERE person_id = ?2 AND ${open}`),
    // Stamped as linked now, after the survivor's own: where both have a contact in one system,
    // the survivor's stays the one notes and later leads go to (`findExternalId`, oldest first).
    whileOpen(`UPDATE OR IGNORE links SET canonical_id = ?1, created_at = ?4 WHERE canonical_id = ?2 AND ${open}`),
    whileOpen(`UPDATE deals SET person_id = ?1 WHERE person_id = ?2 AND ${open}`),
    whileOpen(`UPDATE people SET merged_into = ?1, updated_at = ?4 WHERE id = ?2 AND ${open}`),
    // After the loser's step (a batch is one transaction): merged into this survivor by it, the
    // survivor still as read, the proposal still open.
    db
      .prepare(
        `UPDATE people SET fields = ?5, updated_at = MAX(?4, updated_at + 1) WHERE id = ?1 AND updated_at = ?6` +
          ` AND (SELECT merged_into FROM people WHERE id = ?2) = ?1` +
          ` AND EXISTS (SELECT 1 FROM merge_proposals WHERE id = ?3 AND status IN ('proposed', 'approved'))`,
      )
      .bind(survivor, loser, proposalId, now, fold.fields, fold.read),
    db
      .prepare(
        `UPDATE merge_proposals SET status = 'merged', decided_at = ?4, decided_by = ?5 WHERE id = ?3 AND status IN ('proposed', 'approved')` +
          ` AND (SELECT merged_into FROM people WHERE id = ?2) = ?1`,
      )
      .bind(survivor, loser, proposalId, now, by),
  ]);
  return (results[results.length - 1]?.meta.changes ?? 0) > 0;
}

/** The id of the open proposal for the pair (a, b), with a < b, if there is one. */
export async function openProposalOf(db: D1Database, a: string, b: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT id FROM merge_proposals WHERE a = ?1 AND b = ?2 AND status = 'proposed'`)
    .bind(a, b)
    .first<{ id: string }>();
  return row?.id ?? null;
}

/**
 * Whether an operator rejected merging a record of person `x` (itself or one merged into it, at
 * any depth) with a record of person `y`.
 */
export async function rejectedBetween(db: D1Database, x: string, y: string): Promise<boolean> {
  const row = await db
    .prepare(
      `WITH RECURSIVE g(id, s) AS (VALUES (?1, 0), (?2, 1) UNION SELECT p.id, s FROM people p JOIN g ON merged_into = g.id)` +
        ` SELECT 1 FROM merge_proposals JOIN g x ON x.id = a JOIN g y ON y.id = b WHERE status = 'rejected' AND x.s <> y.s`,
    )
    .bind(x, y)
    .first();
  return row !== null;
}
