import type { BrokerageConfig } from "../config/brokerage";
import { fireAlert } from "../alerts";
import { CorruptRecordError, GOLDEN_RECORD_CORRUPT, type GoldenFields } from "../canonical/golden";
import { BlockCursorSchema, buildBlocks, goldenPerson, scoreBlockChunk, type BlockCursor, type DedupePerson } from "../dedupe";
import { log } from "../lib/log";
import { AUTO_MERGE, type MergeMessage } from "../queues/messages";
import { enqueue } from "../queues/send";
import { loadJobState, saveJobState } from "../store/job-state";
import { openProposalOf, proposeStatement } from "../store/merges";
import { parseFields, unmergedPeopleUntil } from "../store/people";
import * as z from "../lib/zod";

const JOB = "dedupe";
/** Candidate pairs visited per invocation: keeps each one well inside the Workers CPU limit. */
const BUDGET = 50_000;

const JobState = z.object({
  startedAt: z.number(),
  cursor: z.nullable(BlockCursorSchema),
  done: z.boolean(),
  proposed: z._default(z.number(), 0),
});
type JobState = z.infer<typeof JobState>;

async function loadState(db: D1Database): Promise<JobState | null> {
  const text = await loadJobState(db, JOB);
  const parsed = text !== null ? JobState.safeParse(JSON.parse(text)) : null;
  return parsed?.success ? parsed.data : null;
}

async function saveState(db: D1Database, s: JobState, now: number): Promise<void> {
  await saveJobState(db, JOB, s, now);
}

/**
 * The golden people of the run's snapshot (created before it started), as the dedupe core reads
 * them, and the ids of those whose stored fields are corrupt (left out, and alerted on).
 */
async function snapshot(db: D1Database, startedAt: number): Promise<{ people: DedupePerson[]; corrupt: string[] }> {
  const corrupt: string[] = [];
  const people = (await unmergedPeopleUntil(db, startedAt)).flatMap((r): DedupePerson[] => {
    let f: GoldenFields;
    try {
      f = parseFields(r);
    } catch (err) {
      if (!(err instanceof CorruptRecordError)) throw err;
      corrupt.push(r.id);
      return [];
    }
    return [goldenPerson(r, f)];
  });
  return { people, corrupt };
}

export async function startDedupeRun(env: Env, now: number): Promise<void> {
  await saveState(env.DB, { startedAt: now, cursor: null, done: false, proposed: 0 }, now);
}

/**
 * Runs one chunk of the nightly dedupe, resuming from the cursor in D1. Proposals go to D1 for ops
 * to approve; nothing merges here: with auto-merge on above a threshold, those proposals are
 * enqueued for the CRM queue's consumer to approve through the same path as a person's.
 */
export async function continueDedupeRun(env: Env, config: BrokerageConfig, now: number, budget = BUDGET): Promise<JobState | null> {
  const state = await loadState(env.DB);
  if (!state || state.done) return state;
  const { people, corrupt } = await snapshot(env.DB, state.startedAt);
  if (corrupt.length > 0) {
    await fireAlert(env, {
      key: GOLDEN_RECORD_CORRUPT,
      severity: "warning",
      title: `${corrupt.length} golden people have corrupt stored fields and are left out of deduplication`,
      detail: corrupt.slice(0, 20).join(", "),
    });
  }
  const blocks = buildBlocks(people);
  const chunk = scoreBlockChunk(people, blocks, state.cursor as BlockCursor | null, budget, { threshold: config.dedupe.threshold });
  if (chunk.pairs.length) await env.DB.batch(chunk.pairs.map((p) => proposeStatement(env.DB, p, now)));
  const auto = config.dedupe.autoMergeAbove;
  if (auto !== undefined) {
    // The brokerage chose auto-merge above a threshold: those pairs go, as jobs on the CRM's
    // queue, through the same approval path an operator's click takes (survivor rule, CRM note,
    // trace).
    const merges: MergeMessage[] = [];
    for (const p of chunk.pairs.filter((x) => x.score >= auto)) {
      const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
      const id = await openProposalOf(env.DB, a, b);
      if (id) merges.push({ v: 1, kind: "merge", proposal: id, actor: AUTO_MERGE });
    }
    await enqueue(env, "crm", merges);
  }
  const next: JobState = {
    ...state,
    cursor: chunk.nextCursor,
    done: chunk.nextCursor === null,
    proposed: state.proposed + chunk.pairs.length,
  };
  await saveState(env.DB, next, now);
  log("info", "dedupe_chunk", { people: people.length, comparisons: chunk.comparisons, pairs: chunk.pairs.length, done: next.done });
  return next;
}
