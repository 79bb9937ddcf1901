import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { backfillStatus, readersSeconds } from "../../src/backfill/report";
import { backfillMessage, resumeBackfill, startBackfill } from "../../src/backfill/run";
import { advanceStatement, getRun } from "../../src/store/backfill";
import { dropStagedStatement, getRead, listReads, stagedPage } from "../../src/store/backfill-reads";
import { connect } from "../helpers/people";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { drive, heldQueues, requestLog, seedBrokerage, seededBrokerage } from "./helpers";
import { withQueuesDown } from "../helpers/queues";
import { eventually } from "../helpers/deliveries";
import worker from "../../src/index";

type Sent = { read?: string; page: number };
const isRead = (m: unknown) => (m as Sent).read !== undefined;

/** Hands over the reader messages only (the linker's wait in line), until none is left. */
async function readAll(appEnv: Env, sent: unknown[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const at = sent.findIndex(isRead);
    if (at < 0) return;
    const [m] = sent.splice(at, 1);
    const r = await backfillMessage(m, appEnv, `reader-${i}`);
    if (!r.ok) throw new Error(`${JSON.stringify(m)}: ${r.error.code} ${r.error.message}`);
  }
}

/**
 * A fresh brokerage seeded with `sizes`, a run started a page a message, and the first page of
 * `phase` read: `next` takes that reader's next message out of the line.
 */
async function firstPageRead(sizes: Parameters<typeof seedBrokerage>[0], phase: string) {
  await resetSandbox();
  await connect("dotloop");
  await connect("quickbooks");
  await seedBrokerage(sizes);
  const held = heldQueues();
  const started = await startBackfill(held.env, Date.now(), { pagesPerMessage: 1 });
  if (!started.ok) throw new Error(started.message);
  const next = () =>
    held.sent.splice(
      held.sent.findIndex((m) => (m as Sent).read === phase),
      1,
    )[0];
  expect(await backfillMessage(next(), held.env, "r1")).toMatchObject({ ok: true });
  return { held, id: started.value.id, next };
}

/** Three pages of CRM people and of deals, two of loops, four of customers. */
const SIZES = { people: 260, deals: 230, transactions: 12, customers: 330 };

const stagedCount = async (runId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM backfill_pages WHERE run_id = ?1").bind(runId).first<{ n: number }>())?.n ?? 0;

describe("the backfill reads every vendor apart from linking", () => {
  let runId = "";
  let logStart: Record<string, number> = {};

  beforeAll(async () => {
    ({ logStart } = await seededBrokerage({ seed: 11, ...SIZES }));
  }, 60_000);

  it("stages every page of every vendor before the linker has linked one, and says so in the status", async () => {
    const held = heldQueues();
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    runId = started.value.id;
    await readAll(held.env, held.sent);
    const reads = await listReads(env.DB, runId);
    expect(reads.map((r) => [r.phase, r.status]).sort()).toEqual([
      ["accounting.customers", "done"],
      ["crm.deals", "done"],
      ["crm.people", "done"],
      ["tms.transactions", "done"],
    ]);
    expect(Object.fromEntries(reads.map((r) => [r.phase, r.records]))).toEqual({
      "crm.people": SIZES.people,
      "crm.deals": SIZES.deals,
      "tms.transactions": SIZES.transactions,
      "accounting.customers": SIZES.customers,
    });
    expect(await stagedCount(runId)).toBe(reads.reduce((n, r) => n + r.seq, 0));
    expect((await getRun(env.DB, runId))?.page).toBe(0);
    const status = await backfillStatus(env.DB, runId, Date.now());
    expect(status?.reads["crm.people"]).toMatchObject({
      status: "done",
      pages: 3,
      startedAt: expect.any(Number),
      doneAt: expect.any(Number),
      bytesMax: expect.any(Number),
    });
    expect(status?.reads["crm.people"]?.bytesMax).toBeGreaterThan(1000);
  });

  it("reads Follow Up Boss deals at one call a page: the pipelines once per reader message", async () => {
    const fub = (await requestLog("followupboss")).slice(logStart.followupboss);
    expect(fub.filter((r) => r.path.startsWith("/followupboss/v1/deals")).length).toBe(3);
    expect(fub.filter((r) => r.path.startsWith("/followupboss/v1/pipelines")).length).toBe(1);
  });

  it("reads QuickBooks customers once each, several pages at a time, without a 429", async () => {
    const qbo = (await requestLog("quickbooks")).slice(logStart.quickbooks).filter((r) => /query/.test(r.path));
    // Four pages of customers and the count: nothing read twice, nothing refused.
    expect(qbo.length).toBe(5);
    expect(qbo.every((r) => r.status === 200)).toBe(true);
  });

  it("then links the staged pages in order, drops them, and ends with the same report", async () => {
    const held = heldQueues();
    held.sent.push({ v: 1, kind: "backfill", run: runId, page: 0 });
    const end = await drive(held.env, held.sent, runId);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    expect(await stagedCount(runId)).toBe(0);
    const status = await backfillStatus(env.DB, runId, Date.now());
    expect(status?.progress["crm.people"]).toMatchObject({ pages: 3, records: SIZES.people });
    expect(status?.progress["accounting.customers"]).toMatchObject({ pages: 4, records: SIZES.customers });
  });

  it("a failed reader fails the run, and a resumed run reads on from the page that failed", async () => {
    const { held, id, next } = await firstPageRead({ seed: 12, people: 120, deals: 10, transactions: 4, customers: 5 }, "crm.people");
    const before = (await requestLog("followupboss")).filter((r) => r.path.startsWith("/followupboss/v1/people")).length;
    // Follow Up Boss refuses the key outright: not worth retrying, the run fails and says why.
    await setSettings("followupboss", { errorRate: 1, errorStatuses: [403] });
    expect(await backfillMessage(next(), held.env, "r2")).toMatchObject({ ok: false, error: { retryable: false } });
    expect(await getRun(env.DB, id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^crm\.people: /) });
    await setSettings("followupboss", { errorRate: 0 });

    const resumed = heldQueues();
    const r = await resumeBackfill(resumed.env, id, Date.now());
    expect(r.ok).toBe(true);
    expect(resumed.sent).toEqual(expect.arrayContaining([expect.objectContaining({ read: "crm.people", page: 1 })]));
    const end = await drive(resumed.env, resumed.sent, id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    const pages = (await requestLog("followupboss")).filter((r) => r.path.startsWith("/followupboss/v1/people"));
    // Page one was never read again: after the refusal, only the second page, once.
    expect(pages.slice(before).map((p) => [p.status, p.path.includes("next=")])).toEqual([
      [403, true],
      [200, true],
    ]);
  });

  it("a reader whose retries run out fails the run, its linker stops waiting, and the resumed run reads on", async () => {
    const { held, id, next } = await firstPageRead({ seed: 14, people: 120, deals: 0, transactions: 0, customers: 0 }, "crm.people");
    await setSettings("followupboss", { errorRate: 1, errorStatuses: [503] });
    // The queue's last attempt of the reader's message: the outage outlasted its retries.
    const batch = createMessageBatch("dealwire-crm", [{ id: "reader-last-try", timestamp: new Date(), attempts: 100, body: next() }]);
    await worker.queue(batch, held.env);
    const run = await eventually(async () => {
      const r = await getRun(env.DB, id);
      return r?.status === "failed" ? r : null;
    }, 10_000);
    expect(run.error).toMatch(/crm\.people/);
    const letter = await env.DB.prepare("SELECT status FROM dead_letters WHERE message_id = 'reader-last-try'").first();
    expect(letter).toMatchObject({ status: "open" });
    // The linker, waiting for the page that reader never staged, stops instead of asking forever.
    const linker = held.sent.find((m) => !isRead(m));
    expect(await backfillMessage(linker, held.env, "linker")).toEqual({ ok: true, value: "run_failed" });

    await setSettings("followupboss", { errorRate: 0 });
    const resumed = heldQueues();
    expect((await resumeBackfill(resumed.env, id, Date.now())).ok).toBe(true);
    const end = await drive(resumed.env, resumed.sent, id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    expect(await getRead(env.DB, id, "crm.people")).toMatchObject({ status: "done", records: 120 });
  });

  it("a grant lost after some of a vendor's pages were read fails the run while the linker works, and the resumed run reads the rest", async () => {
    const { held, id, next } = await firstPageRead({ seed: 13, people: 5, deals: 5, transactions: 12, customers: 5 }, "tms.transactions");
    // The linker is at work on the CRM's pages, and Dotloop stops honouring the grant.
    await env.DB.prepare("UPDATE backfill_runs SET lease_holder = 'linker', lease_until = ?2 WHERE id = ?1")
      .bind(id, Date.now() + 60_000)
      .run();
    await setSettings("dotloop", { broken: ["credentials", "refresh"] });
    expect(await backfillMessage(next(), held.env, "r2")).toMatchObject({ ok: false, error: { code: "not_connected" } });
    expect(await getRun(env.DB, id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^tms\.transactions: not_connected/) });
    expect(await getRead(env.DB, id, "tms.transactions")).not.toMatchObject({ status: "skipped" });

    await setSettings("dotloop", { broken: [] });
    await connect("dotloop");
    const resumed = heldQueues();
    expect((await resumeBackfill(resumed.env, id, Date.now())).ok).toBe(true);
    // The first run's messages still in line are delivered too, as a queue would.
    resumed.sent.unshift(...held.sent);
    const end = await drive(resumed.env, resumed.sent, id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    expect(await getRead(env.DB, id, "tms.transactions")).toMatchObject({ status: "done", records: 12 });
  });

  it("a run whose first messages cannot be queued is answered 503 and failed, and its resume runs it to the end", async () => {
    await resetSandbox();
    await connect("dotloop");
    await connect("quickbooks");
    await seedBrokerage({ seed: 13, people: 40, deals: 5, transactions: 3, customers: 4 });
    const tmsDown = withQueuesDown(env, "TMS");
    const started = await startBackfill(tmsDown, Date.now());
    expect(started).toMatchObject({ ok: false, code: "queue_unavailable" });
    const run = await env.DB.prepare("SELECT id, status, error FROM backfill_runs ORDER BY started_at DESC LIMIT 1").first<{
      id: string;
      status: string;
      error: string;
    }>();
    expect(run).toMatchObject({ status: "failed", error: expect.stringMatching(/could not be queued/) });
    if (!run) throw new Error("no run");

    const resumed = heldQueues();
    expect((await resumeBackfill(resumed.env, run.id, Date.now())).ok).toBe(true);
    const end = await drive(resumed.env, resumed.sent, run.id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
  });

  it("a linker copy that lost its lease leaves the staged page to the copy that holds it", async () => {
    const id = `bf_lease_${crypto.randomUUID().slice(0, 8)}`;
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO backfill_runs (id, status, phase, page, lease_holder, lease_until, started_at, updated_at) VALUES (?1, 'running', 'crm.people', 0, 'copy-b', ?2, ?3, ?3)",
      ).bind(id, now + 90_000, now),
      env.DB.prepare("INSERT INTO backfill_pages (run_id, phase, seq, body, last) VALUES (?1, 'crm.people', 0, '{}', 0)").bind(id),
    ]);
    // The linker's commit: the run's advance, then the staged page dropped.
    const commit = (holder: string) =>
      env.DB.batch([
        advanceStatement(env.DB, id, { page: 0, holder }, { phase: "crm.people", cursor: "1", progress: {}, done: false }, now),
        dropStagedStatement(env.DB, id, "crm.people", 0),
      ]);
    try {
      // Copy A's lease ran out and copy B took the page over: A's commit changes nothing.
      await commit("copy-a");
      expect(await stagedPage(env.DB, id, "crm.people", 0)).not.toBeNull();
      await commit("copy-b");
      expect(await stagedPage(env.DB, id, "crm.people", 0)).toBeNull();
    } finally {
      // Not a run anyone started: it must not hold back the next test's.
      await env.DB.prepare("DELETE FROM backfill_runs WHERE id = ?1").bind(id).run();
    }
  });

  it("estimates the time left by the slowest reader still reading, at its own pace so far", () => {
    const now = 1_000_000;
    const rows = [
      { status: "done" as const, records: 20_000, total: 20_000, started_at: now - 20_000 },
      // Dotloop: 100 loops in the last minute, 1,900 to go at that pace.
      { status: "reading" as const, records: 100, total: 2_000, started_at: now - 60_000 },
      { status: "reading" as const, records: 500, total: 1_000, started_at: now - 1_000 },
    ];
    expect(readersSeconds(rows, now)).toBe(1_140);
    expect(readersSeconds(rows.slice(0, 1), now)).toBeNull();
  });

  it("waits for a permit a few seconds away instead of giving back a page it has half read", async () => {
    await resetSandbox();
    await connect("dotloop");
    await seedBrokerage({ seed: 13, people: 3, deals: 0, transactions: 3, customers: 0 });
    const held = heldQueues();
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    // Other work has Dotloop's budget booked for the next few seconds (slots are spaced once half of its window is spent).
    const gate = env.VENDOR_GATE.getByName("dotloop:main");
    const limits = { windows: [{ limit: 100, windowMs: 60_000 }] };
    let booked = 0;
    for (let i = 0; i < 100 && booked <= 4_000; i++) {
      const p = await gate.acquire(limits, "default", 30_000);
      if (p.granted) booked = Math.max(booked, p.delayMs);
    }
    expect(booked).toBeGreaterThan(4_000);
    expect(booked).toBeLessThan(10_000);
    const reader = held.sent.find((m) => (m as Sent).read === "tms.transactions");
    const read = await backfillMessage(reader, held.env, "dotloop-reader");
    expect(read.ok ? "read" : `${read.error.code}: ${read.error.message}`).toBe("read");
    // One page, read once: the list and each loop's details and participants.
    expect(await getRead(env.DB, started.value.id, "tms.transactions")).toMatchObject({ status: "done", seq: 1, records: 3, calls: 7 });
  }, 60_000);
});
