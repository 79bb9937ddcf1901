/**
 * The day-one backfill as queue work, reading apart from linking. The readers (./read) stage every
 * vendor page in D1 as fast as each connection's gate allows, all vendors at once; the linker walks
 * the phases in order (CRM people, CRM deals, TMS transactions, accounting customers, then fuzzy
 * matching), one staged page per message, and commits each with a compare-and-set on the page
 * number, so a failure anywhere resumes at the page that failed and never reads or links a
 * committed page again. A staged page not read yet makes the linker wait. Reads only: no vendor is
 * written to.
 */
import type { BrokerageConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { BackfillMessage } from "../queues/messages";
import type { QueueName } from "../queues/names";
import { enqueue } from "../queues/send";
import { BlockCursorSchema, buildBlocks, goldenPerson, scoreBlockChunk, type DedupePerson } from "../dedupe";
import { errorDetail, log } from "../lib/log";
import { ok, permanent, type Failure, type Result } from "../lib/result";
import { done, refused, type Outcome } from "../lib/outcome";
import { changedOrUndoStatement, undoneOrValue } from "../store/compare-and-set";
import { proposeStatement } from "../store/merges";
import { parseFields } from "../store/people";
import { linkDeals, linkPeople } from "./link";
import { markContinued, queueOfReadPhase, readMessage } from "./read";
import type { SourcePage } from "./sources";
import {
  PHASES,
  PhaseProgress,
  advanceStatement,
  activeRun,
  leaseStatement,
  createRunStatement,
  failRun,
  getRun,
  itemStatement,
  markSent,
  progressOf,
  releaseStatement,
  resumeRun,
  touchedPeopleRows,
  type Phase,
  type RunRow,
} from "../store/backfill";
import {
  READ_PHASES,
  type ReadPhase,
  createReadStatement,
  dropStagedStatement,
  getRead,
  releaseReads,
  stagedPage,
} from "../store/backfill-reads";

/** How long a page may take before another copy of its message may take it over. */
const LEASE_MS = 90_000;
/** Candidate pairs the match phase scores per message (as the nightly dedupe). */
const MATCH_BUDGET = 50_000;

/** The queue whose consumer reads a phase's vendor (so the phase shares its pacing). */
export function queueOfPhase(phase: Phase): QueueName {
  return phase.startsWith("tms") ? "tms" : phase.startsWith("accounting") ? "accounting" : "crm";
}

function connectionOfPhase(config: BrokerageConfig, phase: Phase) {
  const id = phase.startsWith("crm")
    ? config.crm
    : phase.startsWith("tms")
      ? config.tms
      : phase.startsWith("accounting")
        ? config.accounting
        : undefined;
  return id ? (config.connections.find((c) => c.id === id) ?? null) : null;
}

/** Why a phase cannot run with this configuration, or null when it can. */
function skipReason(config: BrokerageConfig, phase: Phase): string | null {
  if (phase === "match" || phase === "done") return null;
  const conn = connectionOfPhase(config, phase);
  if (!conn) return "not configured";
  if (phase.startsWith("crm") && conn.vendor !== "followupboss") return `${conn.vendor} is not read by the backfill`;
  return null;
}

async function send(env: Env, runId: string, phase: Phase, page: number): Promise<void> {
  const body: BackfillMessage = { v: 1, kind: "backfill", run: runId, page };
  await enqueue(env, queueOfPhase(phase), body);
}

async function sendRead(env: Env, runId: string, phase: ReadPhase, page: number, pages?: number): Promise<void> {
  const body: BackfillMessage = { v: 1, kind: "backfill", run: runId, page, read: phase, ...(pages ? { pages } : {}) };
  await enqueue(env, queueOfReadPhase(phase), body);
}

/**
 * Sends a run's first messages. A run recorded as running with none of its messages queued would
 * wait forever (nothing else sends them, and only a failed run resumes), so a send that fails
 * marks the run failed, for its resume to send them again, and is answered 503.
 */
async function handOff(env: Env, id: string, now: number, sendAll: () => Promise<void>): Promise<Outcome<null>> {
  try {
    await sendAll();
    return done(null);
  } catch (err) {
    const detail = errorDetail(err);
    await failRun(env.DB, id, `its messages could not be queued: ${detail}`, now);
    return refused("queue_unavailable", `backfill ${id} could not be queued (${detail}); resume it with {"resume":"${id}"}`);
  }
}

/**
 * Starts a run unless one is running: a reader message per phase this configuration reads (each
 * to its vendor's queue), and the linker's first message. `pagesPerMessage`: how many pages one
 * reader message stages before a fresh message continues (fewer hands over more often).
 */
export async function startBackfill(
  env: Env,
  now: number,
  opts: { enqueue?: boolean; pagesPerMessage?: number } = {},
): Promise<Outcome<RunRow>> {
  const running = await activeRun(env.DB);
  if (running)
    return refused(
      "conflict",
      `backfill ${running.id} is still running (phase ${running.phase}); wait for it, or follow it with GET /ops/api/backfill`,
    );
  // The configuration is read, and the run and its readers written in one batch, before anything
  // can fail: a run row left behind would be "running" for good and refuse every later start.
  const config = brokerageConfig(env);
  const id = `bf_${now.toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  const readers = READ_PHASES.map((phase) => ({ phase, skipped: skipReason(config, phase) }));
  await env.DB.batch([
    createRunStatement(env.DB, id, now),
    ...readers.map((r) => createReadStatement(env.DB, id, r.phase, r.skipped, now)),
  ]);
  if (opts.enqueue !== false) {
    const handedOff = await handOff(env, id, now, async () => {
      for (const r of readers) if (!r.skipped) await sendRead(env, id, r.phase, 0, opts.pagesPerMessage);
      await send(env, id, "crm.people", 0);
    });
    if (!handedOff.ok) return handedOff;
    await markSent(env.DB, id, 0);
  }
  const row = await getRun(env.DB, id);
  return row ? done(row) : refused("internal", "the run was not recorded");
}

/** Runs a failed run again from its cursors: each unfinished reader from its page, the linker from its own. */
export async function resumeBackfill(env: Env, id: string, now: number): Promise<Outcome<RunRow>> {
  const run = await getRun(env.DB, id);
  if (!run) return refused("not_found", `No backfill ${id}.`);
  if (!(await resumeRun(env.DB, id, now))) return refused("conflict", `backfill ${id} is ${run.status}; only a failed run resumes`);
  const reads = await releaseReads(env.DB, id);
  const handedOff = await handOff(env, id, now, async () => {
    for (const r of reads) await sendRead(env, id, r.phase, r.seq);
    await send(env, id, run.phase, run.page);
  });
  if (!handedOff.ok) return handedOff;
  await markSent(env.DB, id, run.page);
  return done((await getRun(env.DB, id)) as RunRow);
}

type Step = { records: number; linked: number; created: number; calls: number; total: number | null; next: string | null };

/**
 * The staged page the linker is at, once its reader has staged it; `wait` while it has not, and
 * `skipped` when the reader passed its phase over (an OAuth vendor never connected).
 */
async function nextStaged(
  db: D1Database,
  run: RunRow,
  phase: ReadPhase,
): Promise<{ kind: "page"; seq: number; page: SourcePage; last: boolean } | { kind: "wait" } | { kind: "skipped"; reason: string }> {
  const seq = run.cursor ? Number(run.cursor) : 0;
  const [staged, read] = await Promise.all([stagedPage(db, run.id, phase, seq), getRead(db, run.id, phase)]);
  if (read?.status === "skipped") return { kind: "skipped", reason: read.reason ?? "skipped" };
  if (!staged) return { kind: "wait" };
  return { kind: "page", seq, page: JSON.parse(staged.body) as SourcePage, last: staged.last === 1 };
}

/** Links one staged page; its writes and the run's advance go to D1 together (the caller adds the advance). */
async function linkPage(
  env: Env,
  config: BrokerageConfig,
  run: RunRow,
  staged: { seq: number; page: SourcePage; last: boolean },
  now: number,
  guard: D1PreparedStatement[],
): Promise<{ step: Step; writes: D1PreparedStatement[] }> {
  const p = staged.page;
  const linked = p.deals.length
    ? await linkDeals(env.DB, config, run.id, p.deals, now, guard)
    : await linkPeople(env.DB, config, run.id, p.people, now);
  return {
    step: {
      records: linked.counts.records,
      linked: linked.counts.linked,
      created: linked.counts.created,
      calls: p.calls,
      total: p.total,
      next: staged.last ? null : String(staged.seq + 1),
    },
    writes: linked.writes,
  };
}

/** The golden people a run touched, as the dedupe reads them, with the systems each is in. */
async function touchedPeople(db: D1Database, runId: string): Promise<{ people: DedupePerson[]; systems: Map<string, Set<string>> }> {
  const results = await touchedPeopleRows(db, runId);
  const systems = new Map<string, Set<string>>();
  const people = results.map((r): DedupePerson => {
    systems.set(r.id, new Set((r.systems ?? "").split(",").filter(Boolean)));
    return goldenPerson(r, parseFields(r));
  });
  return { people, systems };
}

/**
 * One chunk of the match phase: the existing dedupe over the people the run touched. A pair the
 * keys did not link, held in different systems, is a merge proposal for review: never merged here.
 */
async function matchChunk(env: Env, config: BrokerageConfig, run: RunRow, now: number): Promise<Result<Step>> {
  const { people, systems } = await touchedPeople(env.DB, run.id);
  const cursor = run.cursor ? BlockCursorSchema.safeParse(JSON.parse(run.cursor)) : null;
  const blocks = buildBlocks(people);
  const chunk = scoreBlockChunk(people, blocks, cursor?.success ? cursor.data : null, MATCH_BUDGET, { threshold: config.dedupe.threshold });
  const cross = chunk.pairs.filter((p) => {
    const a = systems.get(p.a) ?? new Set<string>();
    const b = systems.get(p.b) ?? new Set<string>();
    return [...b].some((s) => !a.has(s)) || [...a].some((s) => !b.has(s));
  });
  const writes = cross.flatMap((p) => [
    proposeStatement(env.DB, { a: p.a, b: p.b, score: p.score, reasons: ["backfill", ...p.reasons] }, now),
    itemStatement(env.DB, {
      runId: run.id,
      category: "ambiguous",
      subject: p.a < p.b ? p.a : p.b,
      field: p.a < p.b ? p.b : p.a,
      detail: { kind: "person", score: p.score, reasons: p.reasons },
      at: now,
    }),
  ]);
  if (writes.length) await env.DB.batch(writes);
  return ok({
    records: cross.length,
    linked: 0,
    created: 0,
    calls: 0,
    total: null,
    next: chunk.nextCursor ? JSON.stringify(chunk.nextCursor) : null,
  });
}

/** The phase after `phase` that this configuration can run. */
function nextPhase(config: BrokerageConfig, phase: Phase, progress: Record<string, PhaseProgress>, now: number): Phase {
  let i = PHASES.indexOf(phase) + 1;
  for (; i < PHASES.length; i++) {
    const p = PHASES[i] as Phase;
    const reason = skipReason(config, p);
    if (!reason) return p;
    progress[p] = { ...PhaseProgress.parse({}), skipped: reason, doneAt: now };
  }
  return "done";
}

/**
 * A record the page updates was written by live traffic after the linker read it, or another copy
 * took the page over: the page is linked again on a fresh read (or found committed).
 */
const CHANGED = "a record or the page changed hands while the page was linked";

const busy = (seconds: number, message = "another copy is working on this page"): Result<never> => ({
  ok: false,
  error: { code: "backfill_busy", message, retryable: true, defer: true, retryAfterSeconds: seconds } satisfies Failure,
});

/** A reader message: stages pages, then hands over to a fresh message when its budget is spent. */
async function readerMessage(env: Env, msg: BackfillMessage & { read: ReadPhase }, holder: string): Promise<Result<string>> {
  const r = await readMessage(env, msg.run, msg.read, msg.page, holder, msg.pages);
  if (!r.ok) return r;
  if (r.value.continueAt !== null) {
    await sendRead(env, msg.run, msg.read, r.value.continueAt, msg.pages);
    await markContinued(env.DB, msg.run, msg.read, r.value.continueAt);
  }
  return ok(`read:${msg.read}:${r.value.value}`);
}

/**
 * Handles one backfill message. A reader message stages pages of its phase. A linker message
 * links the run's page `page`: a stale copy (its page already committed) only makes sure the next
 * page's message went out; a copy of a page another message is working on waits, and so does the
 * linker while its page is not staged yet (deferred, no retry spent).
 */
export async function backfillMessage(body: unknown, env: Env, holder: string): Promise<Result<string>> {
  const parsed = BackfillMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "backfill message");
  const msg = parsed.data;
  if (msg.read) return readerMessage(env, { ...msg, read: msg.read }, holder);
  const db = env.DB;
  const run = await getRun(db, msg.run);
  if (!run) return permanent("backfill_unknown", `no backfill run ${msg.run}`);
  if (run.status !== "running") return ok(`run_${run.status}`);
  if (msg.page < run.page) {
    if (run.sent_page < run.page) {
      // The page was committed but its successor never sent (the send failed): send it now.
      await send(env, run.id, run.phase, run.page);
      await markSent(db, run.id, run.page);
      return ok("resent_next");
    }
    return ok("stale");
  }
  if (msg.page > run.page) return ok("ahead");
  const config = brokerageConfig(env);
  const phase = run.phase;
  // A phase this configuration cannot run (no Follow Up Boss, say) passes without a read.
  const skip = phase === "match" || phase === "done" ? null : skipReason(config, phase);
  const importing = phase !== "match" && phase !== "done" && !skip;
  const staged = importing ? await nextStaged(db, run, phase) : null;
  if (staged?.kind === "wait") return busy(2, `page ${run.cursor ?? 0} of ${phase} is not read yet`);
  const now = Date.now();
  const lease = leaseStatement(db, run.id, run.page, holder, now, LEASE_MS);
  if ((await lease.run()).meta.changes === 0) return busy(Math.ceil(LEASE_MS / 1000 / 3));
  // The same claim goes first in every batch of the page's writes: a copy whose lease another took over writes nothing more.
  const guard = [lease, changedOrUndoStatement(db)];

  const progress = progressOf(run);
  let step: Step = { records: 0, linked: 0, created: 0, calls: 0, total: null, next: null };
  let writes: D1PreparedStatement[] = [];
  const skipped = skip ?? (staged?.kind === "skipped" ? staged.reason : null);
  if (skipped) {
    // Passed over (not configured, or an OAuth vendor never connected), said so in the progress.
    progress[phase] = { ...PhaseProgress.parse(progress[phase] ?? {}), skipped, doneAt: now };
  } else if (phase === "match") {
    const m = await matchChunk(env, config, run, now);
    if (!m.ok) {
      await db.batch([releaseStatement(db, run.id, holder)]);
      return m;
    }
    step = m.value;
  } else if (staged?.kind === "page") {
    const linked = await undoneOrValue(linkPage(env, config, run, staged, now, guard));
    if (!linked) return busy(1, CHANGED);
    step = linked.step;
    writes = linked.writes;
  }
  const before = PhaseProgress.parse(progress[phase] ?? {});
  if (!skipped) {
    progress[phase] = {
      ...before,
      pages: before.pages + 1,
      records: before.records + step.records,
      linked: before.linked + step.linked,
      created: before.created + step.created,
      calls: before.calls + step.calls,
      total: step.total ?? before.total,
      startedAt: before.startedAt ?? run.updated_at,
      ...(step.next === null ? { doneAt: now } : {}),
    };
  }
  const to = step.next === null ? nextPhase(config, phase, progress, now) : phase;
  if (to !== phase && to !== "done") progress[to] = { ...PhaseProgress.parse(progress[to] ?? {}), startedAt: now };
  // The page's links and the run's advance commit together; the advance only if this holder still has the page.
  const advance = advanceStatement(
    db,
    run.id,
    { page: run.page, holder },
    { phase: to, cursor: step.next, progress, done: to === "done" },
    now,
  );
  // A linked page's staging row goes with it (a copy that lost the lease had read it already).
  const drop = staged?.kind === "page" && importing ? [dropStagedStatement(db, run.id, phase as ReadPhase, staged.seq)] : [];
  const results = await undoneOrValue(db.batch([...guard, ...writes, advance, ...drop]));
  if (!results) return busy(1, CHANGED);
  log("info", "backfill_page", { run: run.id, phase, page: run.page, records: step.records, calls: step.calls, next: to });
  if (to === "done") return ok("done");
  await send(env, run.id, to, run.page + 1);
  await markSent(db, run.id, run.page + 1);
  return ok(`page:${phase}:${run.page}`);
}
