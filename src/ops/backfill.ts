/** The backfill as the ops API and the dashboard see it: inputs, and start / status / report / apply. */
import * as z from "../lib/zod";
import { applyBackfill } from "../backfill/apply";
import { backfillReport, backfillStatus } from "../backfill/report";
import { resumeBackfill, startBackfill } from "../backfill/run";
import { Id } from "./schemas";
import { done, refused, type Outcome } from "../lib/outcome";

export const BackfillStart = z.strictObject({
  /** A failed run's id: it runs again from its cursor. */
  resume: z.optional(Id),
});
/** `id`: a run's id; the latest run when absent. */
export const BackfillQuery = z.object({ id: z.optional(Id) });
export const BackfillReportQuery = z.object({
  id: z.optional(Id),
  format: z._default(z.enum(["json", "md", "csv"]), "json"),
  limit: z.optional(
    z.pipe(z.pipe(z.string().check(z.regex(/^\d{1,5}$/, "a whole number")), z.transform(Number)), z.int().check(z.gte(1), z.lte(10_000))),
  ),
});
export const BackfillApply = z.strictObject({ id: Id });

export async function startOrResume(env: Env, body: z.output<typeof BackfillStart>, now: number) {
  return body.resume ? resumeBackfill(env, body.resume, now) : startBackfill(env, now);
}

export async function statusOrMissing(
  db: D1Database,
  id: string | undefined,
  now: number,
): Promise<Outcome<NonNullable<Awaited<ReturnType<typeof backfillStatus>>>>> {
  const s = await backfillStatus(db, id ?? null, now);
  return s ? done(s) : refused("not_found", id ? `No backfill ${id}.` : "No backfill has run yet.");
}

export async function reportOrMissing(db: D1Database, id: string | undefined, limit: number) {
  const r = await backfillReport(db, id ?? null, limit);
  return r ? done(r) : refused("not_found", id ? `No backfill ${id}.` : "No backfill has run yet.");
}

export { applyBackfill };
