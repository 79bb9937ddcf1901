import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getRun } from "../../src/store/backfill";
import { updateDealStatement, type DealRow } from "../../src/store/deals";
import { findCanonicalId } from "../../src/store/links";
import { parseFields, updatePersonStatement, type PersonRow } from "../../src/store/people";
import { driveThrough, seededBrokerage } from "./helpers";

const LIVE = { value: "Sam Rivera", system: "followupboss", at: "2026-12-06T12:00:00.000Z" };
const SPOUSE = "custom.spouse";
const LENDER = "custom.lender";

/** Every golden person and deal, as stored now. */
async function everything(): Promise<{ people: PersonRow[]; deals: DealRow[] }> {
  const [people, deals] = await Promise.all([
    env.DB.prepare("SELECT * FROM people WHERE merged_into IS NULL").all<PersonRow>(),
    env.DB.prepare("SELECT * FROM deals").all<DealRow>(),
  ]);
  return { people: people.results, deals: deals.results };
}

/**
 * `base`'s D1, where live traffic changes every golden deal (in the TMS phase) and then every golden
 * person (in the accounting phase) once: right before the linker's first batch that updates only
 * records of that kind, after it read them and before it wrote. Returns the ids changed.
 */
function liveChangeMidLink(base: Env, runId: () => string): { db: D1Database; changed: Set<string>; phases: Set<string> } {
  // What the statements prepared since the last batch update: only deals, only people, or both.
  let updating: "people" | "deals" | "both" | null = null;
  const landsOn: Record<string, "people" | "deals"> = { "tms.transactions": "deals", "accounting.customers": "people" };
  const changed = new Set<string>();
  const phases = new Set<string>();
  const change = async (kind: "people" | "deals", target: D1Database) => {
    const now = Date.now();
    const rows = await everything();
    const writes =
      kind === "people"
        ? rows.people.map((p) =>
            updatePersonStatement(target, p.id, { fields: { ...parseFields(p), [SPOUSE]: LIVE }, expectedUpdatedAt: p.updated_at }, now),
          )
        : rows.deals.map((d) =>
            updateDealStatement(target, d.id, { fields: { ...parseFields(d), [LENDER]: LIVE }, expectedUpdatedAt: d.updated_at }, now),
          );
    await target.batch(writes);
    for (const r of rows[kind]) changed.add(r.id);
  };
  const db = new Proxy(base.DB, {
    get(target, key) {
      if (key === "prepare")
        return (sql: string) => {
          const kind = /^UPDATE people SET first_name/.test(sql)
            ? "people"
            : /^UPDATE deals SET name = COALESCE/.test(sql)
              ? "deals"
              : null;
          if (kind) updating = updating && updating !== kind ? "both" : kind;
          return target.prepare(sql);
        };
      if (key === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const kind = updating;
          updating = null;
          const phase = kind ? ((await getRun(target, runId()))?.phase ?? "") : "";
          if (kind && landsOn[phase] === kind && !phases.has(phase)) {
            phases.add(phase);
            await change(kind, target);
          }
          return target.batch(statements);
        };
      return Reflect.get(target, key, target) as unknown;
    },
  });
  return { db, changed, phases };
}

describe("golden people and deals changed by live traffic while the backfill links a page of them", () => {
  it("keeps the live change and the backfill's, the page linked again on the fresh record", async () => {
    const { seeded } = await seededBrokerage({ seed: 5, people: 30, deals: 8, transactions: 6, customers: 6 });
    let live: ReturnType<typeof liveChangeMidLink> | undefined;
    const { run, failure } = await driveThrough((base, runId) => {
      live = liveChangeMidLink(base, runId);
      return live.db;
    });
    expect(failure).toBeNull();
    expect(run.status).toBe("done");
    if (!live) throw new Error("no run");
    const { changed, phases } = live;
    expect([...phases]).toEqual(["tms.transactions", "accounting.customers"]);

    const after = await everything();
    for (const p of after.people.filter((r) => changed.has(r.id))) expect(parseFields(p)[SPOUSE], p.id).toEqual(LIVE);
    for (const d of after.deals.filter((r) => changed.has(r.id))) expect(parseFields(d)[LENDER], d.id).toEqual(LIVE);
    // Transactions joined the CRM's deals they belong to, whose live change they were linked beside.
    const linked = await env.DB.prepare(
      "SELECT DISTINCT canonical_id AS id FROM links WHERE system = 'dotloop' AND kind = 'transaction'",
    ).all<{ id: string }>();
    expect(linked.results.some((r) => changed.has(r.id))).toBe(true);
    // The backfill's own links landed too: each accounting customer of a CRM client joined that client.
    const customers = Object.keys(seeded.truth).filter(
      (r) => r.startsWith("quickbooks:") && !(seeded.cases.accountingOnly ?? []).includes(r),
    );
    expect(customers.length).toBeGreaterThan(0);
    for (const c of customers) {
      const golden = await findCanonicalId(env.DB, "quickbooks", "customer", c.split(":")[2] as string);
      expect(golden, c).not.toBeNull();
      expect(changed.has(golden as string), c).toBe(true);
    }
  }, 120_000);
});
