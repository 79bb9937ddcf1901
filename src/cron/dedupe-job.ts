import type { BrokerageConfig } from "../config/brokerage";
import { BlockCursorSchema, buildBlocks, scoreBlockChunk, type BlockCursor, type DedupePerson } from "../dedupe";
import { log } from "../lib/log";
import { approveMerge } from "../ops/merges";
import { proposeStatement } from "../store/merges";
import { parseFields } from "../store/people";
import * as z from "zod";

const JOB = "dedupe";
/** Candidate pairs visited per invocation: keeps each one well inside the Workers CPU limit. */
const BUDGET = 50_000;

const JobState = z.object({ startedAt: z.number(), cursor: BlockCursorSchema.nullable(), done: z.boolean(), proposed: z.number().default(0) });
type JobState = z.infer<typeof JobState>;

async function loadState(db: D1Database): Promise<JobState | null> {
  const row = await db.prepare(`SELECT state FROM job_state WHERE name = ?1`).bind(JOB).first<{ state: string }>();
  const parsed = row ? JobState.safeParse(JSON.parse(row.state)) : null;
  return parsed?.success ? parsed.data : null;
}

async function saveState(db: D1Database, s: JobState, now: number): Promise<void> {
  await db
    .prepare(`INSERT INTO job_state (name, state, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`)
    .bind(JOB, JSON.stringify(s), now)
    .run();
}

/** The golden people of the run's snapshot (created before it started), as the dedupe core reads them. */
async function snapshot(db: D1Database, startedAt: number): Promise<DedupePerson[]> {
  const { results } = await db
    .prepare(`SELECT id, first_name, last_name, fields FROM people WHERE merged_into IS NULL AND created_at <= ?1 ORDER BY id`)
    .bind(startedAt)
    .all<{ id: string; first_name: string | null; last_name: string | null; fields: string }>();
  return results.map((r) => {
    const f = parseFields(r);
    const address = f.address?.value as { number?: string; street?: string; suffix?: string; city?: string; state?: string; zip?: string } | undefined;
    return {
      id: r.id,
      ...(r.first_name ? { firstName: r.first_name } : {}),
      ...(r.last_name ? { lastName: r.last_name } : {}),
      emails: (f.emails?.value as string[] | undefined) ?? [],
      phones: (f.phones?.value as string[] | undefined) ?? [],
      ...(address
        ? { address: { street: [address.number, address.street, address.suffix].filter(Boolean).join(" "), ...(address.city ? { city: address.city } : {}), ...(address.state ? { state: address.state } : {}), ...(address.zip ? { zip: address.zip } : {}) } }
        : {}),
    };
  });
}

export async function startDedupeRun(env: Env, now: number): Promise<void> {
  await saveState(env.DB, { startedAt: now, cursor: null, done: false, proposed: 0 }, now);
}

/**
 * Runs one chunk of the nightly dedupe, resuming from the cursor in D1. Proposals go to D1 for ops
 * to approve; nothing merges here unless the brokerage enabled auto-merge above a threshold
 * (then approval happens through the same path as a person's).
 */
export async function continueDedupeRun(env: Env, config: BrokerageConfig, now: number, budget = BUDGET): Promise<JobState | null> {
  const state = await loadState(env.DB);
  if (!state || state.done) return state;
  const people = await snapshot(env.DB, state.startedAt);
  const blocks = buildBlocks(people);
  const chunk = scoreBlockChunk(people, blocks, state.cursor as BlockCursor | null, budget, { threshold: config.dedupe.threshold });
  if (chunk.pairs.length) await env.DB.batch(chunk.pairs.map((p) => proposeStatement(env.DB, p, now)));
  const auto = config.dedupe.autoMergeAbove;
  if (auto !== undefined) {
    // The brokerage chose auto-merge above a threshold: those pairs go through the same approval
    // path an operator's click takes (survivor rule, CRM note, trace).
    for (const p of chunk.pairs.filter((x) => x.score >= auto)) {
      const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
      const row = await env.DB.prepare(`SELECT id FROM merge_proposals WHERE a = ?1 AND b = ?2 AND status = 'proposed'`).bind(a, b).first<{ id: string }>();
      if (row) await approveMerge(env, row.id, "auto-merge", now);
    }
  }
  const next: JobState = { ...state, cursor: chunk.nextCursor, done: chunk.nextCursor === null, proposed: state.proposed + chunk.pairs.length };
  await saveState(env.DB, next, now);
  log("info", "dedupe_chunk", { people: people.length, comparisons: chunk.comparisons, pairs: chunk.pairs.length, done: next.done });
  return next;
}
