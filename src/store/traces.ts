/** D1 access for traces: each record's path through its stages, with time and outcome. */

export type TraceOutcome = "ok" | "error" | "skipped";

export interface TraceRow {
  id: number;
  subject: string;
  delivery_id: string | null;
  stage: string;
  outcome: TraceOutcome;
  detail: string | null;
  at: number;
}

export interface TraceInput {
  subject: string;
  deliveryId?: string;
  stage: string;
  outcome?: TraceOutcome;
  detail?: string;
  at: number;
}

export function traceStatement(db: D1Database, t: TraceInput): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO traces (subject, delivery_id, stage, outcome, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
    .bind(t.subject, t.deliveryId ?? null, t.stage, t.outcome ?? "ok", t.detail ?? null, t.at);
}

export async function appendTrace(db: D1Database, t: TraceInput): Promise<void> {
  await traceStatement(db, t).run();
}

export async function listTraces(db: D1Database, subject: string): Promise<TraceRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM traces WHERE subject = ?1 OR delivery_id = ?1 ORDER BY at, id`)
    .bind(subject)
    .all<TraceRow>();
  return results;
}

/**
 * The latest `limit` traces, in time order, of these subjects and of every delivery that
 * produced one of their traces: a busy record's timeline ends with today, not its first 500.
 */
export async function subjectTimeline(db: D1Database, subjects: string[], limit: number): Promise<TraceRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM traces WHERE subject IN (SELECT value FROM json_each(?1))` +
        ` OR delivery_id IN (SELECT DISTINCT delivery_id FROM traces WHERE subject IN (SELECT value FROM json_each(?1)) AND delivery_id IS NOT NULL)` +
        ` ORDER BY at DESC, id DESC LIMIT ?2`,
    )
    .bind(JSON.stringify(subjects), limit)
    .all<TraceRow>();
  return results.reverse();
}

/**
 * A trace written only if the statement just before it in the same batch changed a row (a
 * compare-and-set that won): `changes()` is still that statement's.
 */
export function traceIfChangedStatement(
  db: D1Database,
  t: { subject: string; deliveryId: string; stage: string; detail: string; at: number },
): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO traces (subject, delivery_id, stage, outcome, detail, at) SELECT ?1, ?2, ?3, 'ok', ?4, ?5 WHERE changes() > 0`)
    .bind(t.subject, t.deliveryId, t.stage, t.detail, t.at);
}
