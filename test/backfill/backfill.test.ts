import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { backfillReport, reportCsv, reportMarkdown } from "../../src/backfill/report";
import { backfillMessage, startBackfill } from "../../src/backfill/run";
import { getRun } from "../../src/store/backfill";
import { getRead } from "../../src/store/backfill-reads";
import { findCanonicalId } from "../../src/store/links";
import { parseFields } from "../../src/store/people";
import { setSettings } from "../helpers/sandbox";
import { fub } from "../helpers/people";
import { drive, heldQueues, requestLog, seededBrokerage, type Seeded } from "./helpers";

/** The golden id a vendor record (`system:kind:id`) is linked to. */
async function canonicalOf(ref: string): Promise<string | null> {
  const [system, kind, ...rest] = ref.split(":");
  return findCanonicalId(env.DB, system as string, kind as "person", rest.join(":"));
}

/** The CRM person of the same (seeded) client as `ref`. */
function crmPersonOf(seeded: Seeded, ref: string): string {
  const entity = seeded.truth[ref];
  const crm = Object.entries(seeded.truth).find(([r, e]) => e === entity && r.startsWith("followupboss:person:"));
  if (!crm) throw new Error(`no CRM person for ${ref}`);
  return crm[0];
}

const buyerOf = (tx: string) => `dotloop:person:${tx.split(":")[2]}:buyer`;
const WRITES = /^(POST|PUT|PATCH|DELETE)$/;
const TOKEN = /\/oauth2?\/(v1\/tokens\/bearer|token)/;

describe("the day-one backfill against the sandbox's CRM, TMS and accounting", () => {
  let seeded: Seeded;
  let runId = "";
  let logStart: Record<string, number> = {};
  let keyless = 0;

  beforeAll(async () => {
    ({ seeded, logStart } = await seededBrokerage({ seed: 3, people: 150, deals: 30, transactions: 16, customers: 12 }));
    // An agent's contact with a name alone, as Follow Up Boss allows.
    keyless = (await fub<{ id: number }>("POST", "/v1/people", { firstName: "Nora", lastName: "Nokeys" })).id;
    logStart.followupboss = (await requestLog("followupboss")).length;

    const held = heldQueues();
    // One page per reader message, so a failure can fall between two pages of one reader.
    const started = await startBackfill(held.env, Date.now(), { pagesPerMessage: 1 });
    if (!started.ok) throw new Error(started.message);
    runId = started.value.id;
    // Every reader starts at once, each on its vendor's queue, with the linker's first message.
    expect(held.sent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ read: "crm.people", page: 0 }),
        expect.objectContaining({ read: "crm.deals", page: 0 }),
        expect.objectContaining({ read: "tms.transactions", page: 0 }),
        expect.objectContaining({ read: "accounting.customers", page: 0 }),
        expect.not.objectContaining({ read: expect.anything() }),
      ]),
    );
    // The first CRM page is read and staged; the second meets a Follow Up Boss outage and is retried.
    const firstPeople = held.sent.findIndex((m) => (m as { read?: string }).read === "crm.people");
    const [first] = held.sent.splice(firstPeople, 1);
    expect(await backfillMessage(first, held.env, "reader-1")).toMatchObject({ ok: true });
    expect(await getRead(env.DB, runId, "crm.people")).toMatchObject({ status: "reading", seq: 1 });
    const secondPeople = held.sent.findIndex((m) => (m as { read?: string }).read === "crm.people");
    const [second] = held.sent.splice(secondPeople, 1);
    expect(second).toMatchObject({ page: 1 });
    await setSettings("followupboss", { errorRate: 1, errorStatuses: [500] });
    const failed = await backfillMessage(second, held.env, "reader-2");
    expect(failed.ok).toBe(false);
    expect(await getRead(env.DB, runId, "crm.people")).toMatchObject({ status: "reading", seq: 1, lease_holder: null });
    await setSettings("followupboss", { errorRate: 0 });
    held.sent.unshift(second); // the queue's retry
    const step = await drive(held.env, held.sent, runId);
    expect(step.failure).toBeNull();
    expect(step.run.status).toBe("done");
  }, 120_000);

  it("resumes an interrupted page from the cursor in D1 without reading a committed page again", async () => {
    const people = (await requestLog("followupboss"))
      .slice(logStart.followupboss)
      .filter((r) => r.path.startsWith("/followupboss/v1/people"));
    const first = people.filter((r) => !r.path.includes("next="));
    const second = people.filter((r) => r.path.includes("next="));
    expect(first.map((r) => r.status)).toEqual([200]);
    expect(second.map((r) => r.status)).toEqual([500, 200]);
    // A late copy of a committed page changes nothing and reads nothing.
    const before = (await requestLog("followupboss")).length;
    const held = heldQueues();
    expect(await backfillMessage({ v: 1, kind: "backfill", run: runId, page: 0 }, held.env, "late-copy")).toEqual({
      ok: true,
      value: "run_done",
    });
    expect(await backfillMessage({ v: 1, kind: "backfill", run: runId, page: 0, read: "crm.people" }, held.env, "late-reader")).toEqual({
      ok: true,
      value: "read:crm.people:run_done",
    });
    expect((await requestLog("followupboss")).length).toBe(before);
    const run = await getRun(env.DB, runId);
    expect(JSON.parse(run?.progress ?? "{}")["crm.people"]).toMatchObject({
      pages: 2,
      records: seeded.counts.followupboss ? expect.any(Number) : 0,
    });
  });

  it("links each client's CRM person, TMS buyer and accounting customer to one golden person", async () => {
    for (const kind of ["exact", "emailTypo", "nameTypo", "phoneOnly", "writtenBack", "priceConflict"]) {
      const cases = seeded.cases[kind] ?? [];
      expect(cases.length, kind).toBeGreaterThan(0);
      for (const tx of cases) {
        const golden = await canonicalOf(crmPersonOf(seeded, buyerOf(tx)));
        expect(golden, `${kind} ${tx}`).not.toBeNull();
        expect(await canonicalOf(buyerOf(tx)), `${kind} ${tx}`).toBe(golden);
      }
    }
    const customers = Object.keys(seeded.truth).filter(
      (r) => r.startsWith("quickbooks:") && !(seeded.cases.accountingOnly ?? []).includes(r),
    );
    expect(customers.length).toBeGreaterThan(0);
    for (const c of customers) expect(await canonicalOf(c), c).toBe(await canonicalOf(crmPersonOf(seeded, c)));
  });

  it("links each transaction to its client's CRM deal, by the id written back or by the client", async () => {
    for (const tx of [...(seeded.cases.exact ?? []), ...(seeded.cases.writtenBack ?? []), ...(seeded.cases.emailTypo ?? [])]) {
      const deal = await canonicalOf(tx);
      expect(deal, tx).not.toBeNull();
      const row = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM links WHERE canonical_id = ?1 AND system = 'followupboss' AND kind = 'deal'",
      )
        .bind(deal)
        .first<{ n: number }>();
      expect(row?.n, tx).toBe(1);
    }
  });

  it("keeps provenance and lists each field two systems disagree on with both values and sources", async () => {
    const report = await backfillReport(env.DB, runId);
    if (!report) throw new Error("no report");
    const typo = (seeded.cases.emailTypo ?? [])[0] as string;
    const person = await canonicalOf(buyerOf(typo));
    const emails = report.conflicts.find((c) => c.subject === person && c.field === "emails");
    expect(emails?.a?.system).toBe("followupboss");
    expect(emails?.b?.system).toBe("dotloop");
    expect(emails?.a?.value).not.toEqual(emails?.b?.value);

    const renamed = await canonicalOf(buyerOf((seeded.cases.nameTypo ?? [])[0] as string));
    expect(report.conflicts.find((c) => c.subject === renamed && c.field === "lastName")).toMatchObject({
      a: { system: "followupboss" },
      b: { system: "dotloop" },
    });
    const priced = await canonicalOf((seeded.cases.priceConflict ?? [])[0] as string);
    expect(report.conflicts.find((c) => c.subject === priced && c.field === "price")).toMatchObject({
      a: { system: "followupboss" },
      b: { system: "dotloop" },
    });

    const row = await env.DB.prepare("SELECT id, fields FROM people WHERE id = ?1").bind(person).first<{ id: string; fields: string }>();
    const fields = parseFields(row);
    expect(fields.firstName).toMatchObject({ system: "followupboss", at: expect.any(String) });
    const tmsOnly = await canonicalOf(buyerOf((seeded.cases.tmsOnly ?? [])[0] as string));
    const solo = parseFields(
      await env.DB.prepare("SELECT id, fields FROM people WHERE id = ?1").bind(tmsOnly).first<{ id: string; fields: string }>(),
    );
    expect(solo.lastName?.system).toBe("dotloop");
  });

  it("proposes a merge for a client the keys could not link, and lists records found in one system only", async () => {
    const report = await backfillReport(env.DB, runId, 1000);
    if (!report) throw new Error("no report");
    const fuzzy = (seeded.cases.fuzzyOnly ?? [])[0] as string;
    const [a, b] = [await canonicalOf(buyerOf(fuzzy)), await canonicalOf(crmPersonOf(seeded, buyerOf(fuzzy)))];
    expect(a).not.toBe(b);
    const [x, y] = [a, b].sort() as [string, string];
    const proposal = await env.DB.prepare("SELECT status, reasons FROM merge_proposals WHERE a = ?1 AND b = ?2")
      .bind(x, y)
      .first<{ status: string; reasons: string }>();
    expect(proposal?.status).toBe("proposed");
    expect(report.ambiguous.some((r) => r.subject === x && r.other === y)).toBe(true);

    const unmatched = new Set(report.unmatched.map((u) => u.id));
    for (const ref of [...(seeded.cases.accountingOnly ?? []), ...(seeded.cases.tmsOnly ?? []).map(buyerOf)]) {
      expect(unmatched.has((await canonicalOf(ref)) as string), ref).toBe(true);
    }
    expect(report.counts).toMatchObject({
      matched: expect.any(Number),
      ambiguous: expect.any(Number),
      conflicting: expect.any(Number),
      unmatched: expect.any(Number),
    });
    expect(report.counts.matched).toBeGreaterThan(0);
    expect(report.counts.conflicting).toBeGreaterThanOrEqual(3);
  });

  it("lists a CRM person with no email or phone among the unmatched, with no golden record, in JSON, Markdown and CSV", async () => {
    const report = await backfillReport(env.DB, runId, 1000);
    if (!report) throw new Error("no report");
    const ref = `followupboss:person:${keyless}`;
    expect(await canonicalOf(ref)).toBeNull();
    expect(report.unmatched).toContainEqual({ kind: "person", id: null, records: ref });
    expect(report.counts.people.unkeyed).toBe(1);
    expect(report.counts.unmatched).toBe(report.counts.people.unmatched + report.counts.deals.unmatched + 1);
    expect(reportMarkdown(report)).toContain(`| person |  | ${ref} |`);
    expect(reportMarkdown(report)).toContain(", 1 with no email or phone.");
    expect(reportCsv(report)).toContain(`unmatched,,person,${ref}`);
  });

  it("says which sections of the report were cut at its limit, in JSON, Markdown and CSV, and lists the links to write back", async () => {
    const full = await backfillReport(env.DB, runId, 1000);
    if (!full) throw new Error("no report");
    expect(full.truncated).toEqual({ conflicts: false, ambiguous: false, unmatched: false, writebacks: false });
    expect(full.conflicts.length).toBeGreaterThan(2);
    expect(full.writebacks.length).toBeGreaterThan(0);
    expect(reportMarkdown(full)).not.toMatch(/stops at its first/);
    expect(reportCsv(full)).not.toMatch(/^truncated,/m);
    const wb = full.writebacks[0] as { deal: string; system: string; externalId: string };
    expect(reportMarkdown(full)).toContain(`| ${wb.deal} | ${wb.system} | ${wb.externalId} |`);
    expect(reportCsv(full)).toContain(`writeback,${wb.deal},transactionId,${wb.externalId},${wb.system}`);

    const cut = await backfillReport(env.DB, runId, 2);
    if (!cut) throw new Error("no report");
    expect(cut.conflicts).toHaveLength(2);
    expect(cut.truncated.conflicts).toBe(true);
    expect(cut.truncated.unmatched).toBe(full.unmatched.filter((u) => u.kind === "person").length > 2);
    const md = reportMarkdown(cut);
    const conflicts = md.slice(md.indexOf("## Conflicts"), md.indexOf("## Ambiguous"));
    expect(conflicts).toContain("This list stops at its first 2 rows; there are more.");
    expect(reportCsv(cut)).toMatch(/^truncated,conflicts,,2,/m);

    const exact = await backfillReport(env.DB, runId, full.conflicts.length);
    expect(exact?.truncated.conflicts).toBe(false);
  });

  it("writes nothing to any vendor", async () => {
    for (const v of ["followupboss", "dotloop", "quickbooks"]) {
      const writes = (await requestLog(v)).slice(logStart[v]).filter((r) => WRITES.test(r.method) && !TOKEN.test(r.path));
      expect(writes, v).toEqual([]);
    }
  });
});
