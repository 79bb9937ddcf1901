/**
 * The day-one backfill as queue work: one message per vendor page. A run walks its phases in
 * order (CRM people, CRM deals, TMS transactions, accounting customers, then fuzzy matching),
 * keeps its phase and the vendor's cursor in D1, and commits each page with a compare-and-set on
 * the page number, so a failure anywhere resumes at the page that failed and never reads a
 * committed page again. Reads only: no vendor is written to.
 */
import type { BrokerageConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { BackfillMessage } from "../queues/messages";
import type { QueueName } from "../queues/names";
import { enqueue } from "../queues/send";
import { BlockCursorSchema, buildBlocks, scoreBlockChunk, type DedupePerson } from "../dedupe";
import { log } from "../lib/log";
import { ok, permanent, type Failure, type Result } from "../lib/result";
import { done, refused, type Outcome } from "../lib/outcome";
import { proposeStatement } from "../store/merges";
import { parseFields } from "../store/people";
import { connectionFor } from "../vendors/registry";
import { linkDeals, linkPeople } from "./link";
import { dotloopPage, fubDealsPage, fubPeoplePage, quickBooksCustomersPage, skySlopePage, type SourcePage } from "./sources";
import {
  PHASES,
  PhaseProgress,
  advanceStatement,
  activeRun,
  claimLease,
  createRun,
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

/** How long a page may take before another copy of its message may take it over. */
const LEASE_MS = 90_000;
/** Candidate pairs the match phase scores per message (as the nightly dedupe). */
const MATCH_BUDGET = 50_000;

/** The queue whose consumer reads a phase's vendor (so the phase shares its pacing). */
export function queueOfPhase(phase: Phase): QueueName {
  return phase.startsWith("tms") ? "tms" : phase.startsWith("accounting") ? "accounting" : "crm";
}

function connectionOfPhase(config: BrokerageConfig, phase: Phase) {
  const id = phase.startsWith("crm") ? config.crm : phase.startsWith("tms") ? config.tms : phase.startsWith("accounting") ? config.accounting : undefined;
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

/** Starts a run unless one is running; its first message goes to the CRM's queue. */
export async function startBackfill(env: Env, now: number, opts: { enqueue?: boolean } = {}): Promise<Outcome<RunRow>> {
  const running = await activeRun(env.DB);
  if (running) return refused("conflict", `backfill ${running.id} is still running (phase ${running.phase}); wait for it, or follow it with GET /ops/api/backfill`);
  const id = `bf_${now.toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  await createRun(env.DB, id, now);
  if (opts.enqueue !== false) {
    await send(env, id, "crm.people", 0);
    await markSent(env.DB, id, 0);
  }
  const row = await getRun(env.DB, id);
  return row ? done(row) : refused("internal", "the run was not recorded");
}

/** Runs a failed run again from its cursor. */
export async function resumeBackfill(env: Env, id: string, now: number): Promise<Outcome<RunRow>> {
  const run = await getRun(env.DB, id);
  if (!run) return refused("not_found", `No backfill ${id}.`);
  if (!(await resumeRun(env.DB, id, now))) return refused("conflict", `backfill ${id} is ${run.status}; only a failed run resumes`);
  await send(env, id, run.phase, run.page);
  await markSent(env.DB, id, run.page);
  return done((await getRun(env.DB, id)) as RunRow);
}

type Step = { records: number; linked: number; created: number; calls: number; total: number | null; next: string | null };

async function readPage(env: Env, config: BrokerageConfig, phase: Phase, cursor: string | null): Promise<Result<SourcePage>> {
  const conn = connectionOfPhase(config, phase);
  if (!conn) return permanent("backfill_unconfigured", `no connection for ${phase}`);
  const c = connectionFor(env, conn);
  switch (phase) {
    case "crm.people":
      return fubPeoplePage(c, cursor);
    case "crm.deals":
      return fubDealsPage(c, config, cursor);
    case "tms.transactions":
      return conn.vendor === "skyslope" ? skySlopePage(c, cursor) : dotloopPage(c, cursor);
    case "accounting.customers":
      return quickBooksCustomersPage(c, cursor);
    default:
      return permanent("backfill_phase", `${phase} reads no vendor`);
  }
}

async function importPage(env: Env, config: BrokerageConfig, run: RunRow, now: number): Promise<Result<Step>> {
  const page = await readPage(env, config, run.phase, run.cursor);
  if (!page.ok) return page;
  const p = page.value;
  const linked = p.deals.length ? await linkDeals(env.DB, config, run.id, p.deals, now) : await linkPeople(env.DB, config, run.id, p.people, now);
  if (linked.writes.length) await env.DB.batch(linked.writes);
  return ok({ records: linked.counts.records, linked: linked.counts.linked, created: linked.counts.created, calls: p.calls, total: p.total, next: p.next });
}

/** The golden people a run touched, as the dedupe reads them, with the systems each is in. */
async function touchedPeople(db: D1Database, runId: string): Promise<{ people: DedupePerson[]; systems: Map<string, Set<string>> }> {
  const results = await touchedPeopleRows(db, runId);
  const systems = new Map<string, Set<string>>();
  const people = results.map((r): DedupePerson => {
    systems.set(r.id, new Set((r.systems ?? "").split(",").filter(Boolean)));
    const f = parseFields(r);
    const a = f.address?.value as { number?: string; street?: string; suffix?: string; city?: string; state?: string; zip?: string } | undefined;
    return {
      id: r.id,
      ...(r.first_name ? { firstName: r.first_name } : {}),
      ...(r.last_name ? { lastName: r.last_name } : {}),
      emails: (f.emails?.value as string[] | undefined) ?? [],
      phones: (f.phones?.value as string[] | undefined) ?? [],
      ...(a ? { address: { street: [a.number, a.street, a.suffix].filter(Boolean).join(" "), ...(a.city ? { city: a.city } : {}), ...(a.state ? { state: a.state } : {}), ...(a.zip ? { zip: a.zip } : {}) } } : {}),
    };
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
    itemStatement(env.DB, { runId: run.id, category: "ambiguous", subject: p.a < p.b ? p.a : p.b, field: p.a < p.b ? p.b : p.a, detail: { kind: "person", score: p.score, reasons: p.reasons }, at: now }),
  ]);
  if (writes.length) await env.DB.batch(writes);
  return ok({ records: cross.length, linked: 0, created: 0, calls: 0, total: null, next: chunk.nextCursor ? JSON.stringify(chunk.nextCursor) : null });
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

const busy = (seconds: number): Result<never> => ({ ok: false, error: { code: "backfill_busy", message: "another copy is working on this page", retryable: true, defer: true, retryAfterSeconds: seconds } satisfies Failure });

/**
 * Handles one backfill message: the page `page` of the run. A stale copy (its page already
 * committed) only makes sure the next page's message went out; a copy of a page another message
 * is working on waits (deferred, no retry spent).
 */
export async function backfillMessage(body: unknown, env: Env, holder: string): Promise<Result<string>> {
  const parsed = BackfillMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "backfill message");
  const msg = parsed.data;
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
  const now = Date.now();
  if (!(await claimLease(db, run.id, run.page, holder, now, LEASE_MS))) return busy(Math.ceil(LEASE_MS / 1000 / 3));

  const config = brokerageConfig(env);
  const progress = progressOf(run);
  const phase = run.phase;
  // A phase this configuration cannot run (no Follow Up Boss, say) passes without a read.
  const skip = phase === "match" ? null : skipReason(config, phase);
  const step: Result<Step> = skip ? permanent("backfill_skipped", skip) : phase === "match" ? await matchChunk(env, config, run, now) : await importPage(env, config, run, now);
  if (!step.ok) {
    if (skip || step.error.code === "not_connected") {
      // An OAuth vendor never connected: the phase is passed over, said so in the progress.
      progress[phase] = { ...PhaseProgress.parse(progress[phase] ?? {}), skipped: skip ?? "not connected", doneAt: now };
    } else {
      // Let go of the page so the retry (or a deferred copy) takes it at once.
      await db.batch([releaseStatement(db, run.id, holder)]);
      if (!step.error.retryable && !step.error.defer) await failRun(db, run.id, holder, `${step.error.code}: ${step.error.message}`, now);
      return step;
    }
  }
  const s = step.ok ? step.value : { records: 0, linked: 0, created: 0, calls: 0, total: null, next: null };
  const before = PhaseProgress.parse(progress[phase] ?? {});
  progress[phase] = {
    ...before,
    pages: before.pages + 1,
    records: before.records + s.records,
    linked: before.linked + s.linked,
    created: before.created + s.created,
    calls: before.calls + s.calls,
    total: s.total ?? before.total,
    startedAt: before.startedAt ?? run.updated_at,
    ...(s.next === null ? { doneAt: now } : {}),
  };
  const to = s.next === null ? nextPhase(config, phase, progress, now) : phase;
  if (to !== phase && to !== "done") progress[to] = { ...PhaseProgress.parse(progress[to] ?? {}), startedAt: now };
  const [adv] = await db.batch([advanceStatement(db, run.id, { page: run.page, holder }, { phase: to, cursor: s.next, progress, done: to === "done" }, now)]);
  if ((adv?.meta.changes ?? 0) === 0) return ok("lost_lease");
  log("info", "backfill_page", { run: run.id, phase, page: run.page, records: s.records, calls: s.calls, next: to });
  if (to === "done") return ok("done");
  await send(env, run.id, to, run.page + 1);
  await markSent(db, run.id, run.page + 1);
  return ok(`page:${phase}:${run.page}`);
}
