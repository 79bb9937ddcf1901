/**
 * The backfill's readers: one per vendor resource (CRM people, CRM deals, TMS transactions,
 * accounting customers), all running at once, each reading pages as fast as its connection's gate
 * grants calls and staging every page in D1 with its own advance (one batch), so a reader resumes
 * at the page that failed and never reads a staged page again. Where the vendor pages by position
 * (Dotloop batches, QuickBooks STARTPOSITION) several pages are in flight; cursor paging (Follow
 * Up Boss `next`) reads the next page while the last one is being staged. Reads only.
 */
import type { BrokerageConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { log } from "../lib/log";
import { ok, permanent, type Failure, type Result } from "../lib/result";
import { connectionFor } from "../vendors/registry";
import { BACKFILL_READ_PAGES_MAX } from "../queues/messages";
import { readPermitWaitMs } from "./read-pace";
import type { Connection } from "../vendors/shared/transport";
import { failRun, getRun } from "../store/backfill";
import { claimRead, getRead, markReadSent, releaseReadStatement, skipRead, stageStatements, type ReadPhase } from "../store/backfill-reads";
import {
  CUSTOMERS_PER_PAGE,
  dotloopPage,
  fubDealsPage,
  fubPeoplePage,
  fubStageNames,
  quickBooksCustomersPage,
  skySlopePage,
  type SourcePage,
} from "./sources";

/** How long a reader may go without staging a page before another copy of its message may take it over. */
export const READ_LEASE_MS = 90_000;
/**
 * What one reader message may do before it hands over to a fresh message: pages, vendor calls and
 * wall time. Each call is a fetch plus gate round trips, so 200 calls stay well inside a Worker's
 * subrequests, and two minutes of reading well inside its wall time; the CPU is the pages' parsing.
 */
export const READ_PAGES_PER_MESSAGE = BACKFILL_READ_PAGES_MAX;
const READ_CALLS_PER_MESSAGE = 200;
const READ_MS_PER_MESSAGE = 120_000;

/** Reads one page of a phase at a vendor cursor. */
type PageReader = (cursor: string | null) => Promise<Result<SourcePage>>;

/** How a phase pages: by a cursor the last page gives, or by position (the cursor of page n is known). */
interface Paging {
  read: PageReader;
  /** The cursor of page `seq` when the vendor pages by position; pages in flight at once. */
  at?: (seq: number) => string;
  perPage?: number;
  inFlight: number;
  /** Calls made to set the reader up (Follow Up Boss pipelines), counted with its first page. */
  setupCalls?: number;
}

export function connectionOfPhase(config: BrokerageConfig, phase: ReadPhase) {
  const id = phase.startsWith("crm") ? config.crm : phase.startsWith("tms") ? config.tms : config.accounting;
  return id ? (config.connections.find((c) => c.id === id) ?? null) : null;
}

async function pagingOf(env: Env, config: BrokerageConfig, phase: ReadPhase): Promise<Result<Paging>> {
  const conn = connectionOfPhase(config, phase);
  if (!conn) return permanent("backfill_unconfigured", `no connection for ${phase}`);
  const c: Connection = connectionFor(env, { ...conn, maxWaitMs: Math.max(conn.maxWaitMs, readPermitWaitMs(conn.limits)) });
  switch (phase) {
    case "crm.people":
      return ok({ read: (cursor) => fubPeoplePage(c, cursor), inFlight: 1 });
    case "crm.deals": {
      const stages = await fubStageNames(c);
      if (!stages.ok) return stages;
      return ok({ read: (cursor) => fubDealsPage(c, config, cursor, stages.value), inFlight: 1, setupCalls: 1 });
    }
    case "tms.transactions":
      // Each loop costs two calls after the list; one page in flight keeps Dotloop's gate busy.
      // No last page from `meta.total`: Dotloop's list may say 0 beside its rows. A short batch ends it.
      return conn.vendor === "skyslope"
        ? ok({ read: (cursor) => skySlopePage(c, cursor), inFlight: 1 })
        : ok({ read: (cursor) => dotloopPage(c, cursor), inFlight: 1 });
    case "accounting.customers":
      // QuickBooks allows 10 requests in flight and 10 a second: a few pages at once.
      return ok({
        read: (cursor) => quickBooksCustomersPage(c, cursor),
        at: (seq) => String(1 + seq * CUSTOMERS_PER_PAGE),
        perPage: CUSTOMERS_PER_PAGE,
        inFlight: 4,
      });
  }
}

/** The queue whose consumer reads a phase's vendor (so its reading shares the consumer's pacing). */
export function queueOfReadPhase(phase: ReadPhase): "crm" | "tms" | "accounting" {
  return phase.startsWith("tms") ? "tms" : phase.startsWith("accounting") ? "accounting" : "crm";
}

const busy = (seconds: number): Result<never> => ({
  ok: false,
  error: {
    code: "backfill_busy",
    message: "another copy is reading this page",
    retryable: true,
    defer: true,
    retryAfterSeconds: seconds,
  } satisfies Failure,
});

export interface ReadOutcome {
  /** What happened: `read:<pages>`, `done`, `stale`, `skipped`… */
  value: string;
  /** The page the next reader message starts at, when one is due. */
  continueAt: number | null;
}

/**
 * One reader message of `phase` at page `seq`: reads and stages pages until the phase ends or the
 * message's budget is spent (then the caller sends the next message). `holder` is the message's id.
 */
export async function readMessage(
  env: Env,
  runId: string,
  phase: ReadPhase,
  seq: number,
  holder: string,
  pagesBudget = READ_PAGES_PER_MESSAGE,
): Promise<Result<ReadOutcome>> {
  const db = env.DB;
  const [run, read] = await Promise.all([getRun(db, runId), getRead(db, runId, phase)]);
  if (!run || !read) return permanent("backfill_unknown", `no backfill run ${runId}`);
  if (run.status !== "running") return ok({ value: `run_${run.status}`, continueAt: null });
  if (read.status !== "reading") return ok({ value: read.status, continueAt: null });
  if (seq < read.seq) {
    // Staged already. When the message that continues was never sent (its send failed), this copy continues.
    return ok(read.sent_seq < read.seq ? { value: "resent_next", continueAt: read.seq } : { value: "stale", continueAt: null });
  }
  if (seq > read.seq) return ok({ value: "ahead", continueAt: null });
  const started = Date.now();
  if (!(await claimRead(db, runId, phase, seq, holder, started, READ_LEASE_MS))) return busy(Math.ceil(READ_LEASE_MS / 1000 / 3));

  const config = brokerageConfig(env);
  const paging = await pagingOf(env, config, phase);
  const release = () => db.batch([releaseReadStatement(db, runId, phase, holder)]);
  const stop = async (failure: { ok: false; error: Failure }, at: number): Promise<Result<ReadOutcome>> => {
    if (failure.error.code === "not_connected" && at === 0) {
      // An OAuth vendor never connected: the phase is passed over, said so in the progress. A
      // grant lost after pages were staged fails the run instead, to be resumed once reconnected.
      await skipRead(db, runId, phase, "not connected", Date.now());
      return ok({ value: "skipped", continueAt: null });
    }
    await release();
    if (!failure.error.retryable && !failure.error.defer)
      await failRun(db, runId, `${phase}: ${failure.error.code}: ${failure.error.message}`, Date.now());
    return failure;
  };
  if (!paging.ok) return stop(paging, seq);
  const p = paging.value;

  // Pages in flight, by number; each resolves to the vendor's answer.
  const flying = new Map<number, Promise<Result<SourcePage>>>();
  /** By cursor: the page whose cursor is known (its predecessor has answered). */
  let cursorOf = { page: seq, cursor: read.cursor };
  let lastKnown: number | null = read.total !== null && p.perPage ? Math.max(0, Math.ceil(read.total / p.perPage) - 1) : null;
  let at = seq;
  let pages = 0;
  let calls = 0;
  let launched = seq;
  const budgetLeft = () => launched - seq < pagesBudget && calls < READ_CALLS_PER_MESSAGE && Date.now() - started < READ_MS_PER_MESSAGE;
  const launch = () => {
    if (p.at) {
      // By position: up to `inFlight` pages ahead once the size of the resource is known.
      const width = lastKnown === null ? 1 : p.inFlight;
      while (budgetLeft() && launched < at + width && (lastKnown === null || launched <= lastKnown)) {
        const n = launched++;
        flying.set(n, p.read(n === cursorOf.page && cursorOf.cursor !== null ? cursorOf.cursor : p.at(n)));
      }
    } else if (launched === cursorOf.page && budgetLeft()) {
      const n = launched++;
      flying.set(n, p.read(cursorOf.cursor));
    }
  };
  launch();
  while (flying.has(at)) {
    const page = await (flying.get(at) as Promise<Result<SourcePage>>);
    flying.delete(at);
    if (!page.ok) {
      await Promise.allSettled(flying.values());
      return stop(page, at);
    }
    const s = pages === 0 && p.setupCalls ? { ...page.value, calls: page.value.calls + p.setupCalls } : page.value;
    calls += s.calls;
    if (s.total !== null && p.perPage) lastKnown = Math.max(0, Math.ceil(s.total / p.perPage) - 1);
    // The vendor's own "no more", or the last page by the resource's size.
    const next = s.next === null || (p.at && lastKnown !== null && at >= lastKnown) ? null : s.next;
    // The next page is asked for before this one is written: reading never waits for D1.
    if (next !== null) {
      cursorOf = { page: at + 1, cursor: next };
      launch();
    }
    const body = JSON.stringify(s);
    const now = Date.now();
    const [, advanced] = await db.batch(
      stageStatements(
        db,
        { runId, phase, seq: at, holder },
        { body, next, calls: s.calls, records: s.people.length + s.deals.length, total: s.total },
        now,
        READ_LEASE_MS,
      ),
    );
    if ((advanced?.meta.changes ?? 0) === 0) {
      await Promise.allSettled(flying.values());
      return ok({ value: "lost_lease", continueAt: null });
    }
    pages++;
    at++;
    if (next === null) {
      log("info", "backfill_read_done", { run: runId, phase, pages: at });
      await Promise.allSettled(flying.values());
      return ok({ value: "done", continueAt: null });
    }
    launch();
  }
  // The budget is spent and every page asked for is staged: a fresh message continues.
  await release();
  log("info", "backfill_read", { run: runId, phase, from: seq, to: at, calls });
  return ok({ value: `read:${pages}`, continueAt: at });
}

export async function markContinued(db: D1Database, runId: string, phase: ReadPhase, seq: number): Promise<void> {
  await markReadSent(db, runId, phase, seq);
}
