/**
 * Optimistic writes to a golden record: read it, decide, and commit statements whose first is a
 * compare-and-set on what was read (an UPDATE … WHERE updated_at = the version read, or an INSERT
 * that does nothing when the row appeared). When that first statement changed nothing, someone
 * else wrote in between and the step runs again on a fresh read.
 */

/** What one step decided: stop with a value, or commit `write` and, if it won, answer `result`. */
export type CasStep<T> = { done: T } | { write: [D1PreparedStatement, ...D1PreparedStatement[]]; result: T };

/** How a compare-and-set ended: with the step's value, or lost to other writers every time. */
export type CasOutcome<T> = { won: true; value: T } | { won: false };

/**
 * Runs `step` (which reads, decides and returns statements) up to `attempts` times, committing
 * each try's statements together, until its first statement changes a row or the step is done.
 */
export async function compareAndSet<T>(
  db: D1Database,
  attempts: number,
  step: (attempt: number) => Promise<CasStep<T>>,
): Promise<CasOutcome<T>> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const s = await step(attempt);
    if ("done" in s) return { won: true, value: s.done };
    const [first] = await db.batch(s.write);
    if ((first?.meta.changes ?? 0) > 0) return { won: true, value: s.result };
  }
  return { won: false };
}

/** Named by the error `changedOrUndoStatement` raises (SQLite quotes a bad JSON path back), and only by it. */
const UNDONE = "changed since read";

/**
 * Placed right after a compare-and-set among writes that must not land without it: when that
 * changed no row (someone wrote the record since it was read), this fails, and D1 undoes the
 * whole batch. `undoneOrValue` tells that failure from others.
 */
export const changedOrUndoStatement = (db: D1Database): D1PreparedStatement =>
  db.prepare(`SELECT CASE WHEN changes() = 0 THEN json_extract('{}', '${UNDONE}') END`);

/** `p`'s value, or null when a `changedOrUndoStatement` undid its batch. */
export async function undoneOrValue<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (String(e).includes(UNDONE)) return null;
    throw e;
  }
}
