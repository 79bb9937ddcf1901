import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { combineRoi, type RoiReport } from "../../src/ops/roi";
import { insertDealStatement, updateDealStatement } from "../../src/store/deals";
import { eventually } from "../helpers/deliveries";
import { api, apiJson, phone, sendLead, tag } from "./helpers";

describe("combineRoi", () => {
  it("folds the measures per source and period, totals per source, best GCI first", () => {
    const r = combineRoi([
      [
        "leads",
        [
          { source: "Zillow", period: "2026-10", n: 4 },
          { source: "Website", period: "2026-11", n: 2 },
          { source: null, period: "2026-11", n: 1 },
        ],
      ],
      ["contacts", [{ source: "Zillow", period: "2026-10", n: 3 }]],
      ["deals", [{ source: "Zillow", period: "2026-11", n: 1 }]],
      ["closed", [{ source: "Website", period: "2026-11", n: 1, volume: 50_000_000, gci: 1_500_000 }]],
    ]);
    expect(r.rows.map((x) => `${x.period} ${x.leadSource}`)).toEqual([
      "2026-10 Zillow",
      "2026-11 Website",
      "2026-11 Zillow",
      "2026-11 unknown",
    ]);
    expect(r.bySource.map((x) => x.leadSource)).toEqual(["Website", "Zillow", "unknown"]);
    expect(r.bySource[1]).toMatchObject({ leads: 4, contacts: 3, deals: 1, closedDeals: 0 });
    expect(r.total).toMatchObject({ leads: 7, contacts: 3, deals: 1, closedDeals: 1, closedVolumeCents: 50_000_000, gciCents: 1_500_000 });
  });
});

describe("GET /ops/api/reports/roi", async () => {
  const t = tag();
  const zillow = [1, 2, 3].map((i) => ({ email: `z${i}${t}@example.com`, name: `Zed Roi${i}${t}`, phone: phone() }));
  const people = [];
  for (const l of zillow) people.push(await sendLead(l));
  await sendLead({ email: `r${t}@example.com`, name: `Rae Roi${t}`, phone: phone() }, "realtor");
  // A repeat lead from a known person: a lead, not a new contact.
  await sendLead(zillow[0] ?? { email: "", name: "", phone: "" });
  await eventually(async () => {
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM applied_actions WHERE action = 'crm.lead'`).first<{ n: number }>();
    return (n?.n ?? 0) >= 5;
  }, 10_000);
  // Deals arrive from the CRM and close through the TMS; here they are written with the store
  // functions those consumers use, since this report only reads what they write.
  const now = Date.now();
  await env.DB.batch([
    insertDealStatement(
      env.DB,
      { id: `deal_a${t}`, personId: people[0]?.personId ?? null, name: "12 Oak Ln", priceCents: 45_000_000, fields: {} },
      now,
    ),
    insertDealStatement(
      env.DB,
      { id: `deal_b${t}`, personId: people[1]?.personId ?? null, name: "9 Elm St", priceCents: 30_000_000, fields: {} },
      now,
    ),
  ]);
  await updateDealStatement(env.DB, `deal_a${t}`, { stage: "closed", gciCents: 1_350_000, closedAt: now, fields: {} }, now).run();

  it("counts leads, new contacts, deals, closed deals, volume and GCI per lead source", async () => {
    const r = await apiJson<RoiReport>("/reports/roi");
    const by = Object.fromEntries(r.bySource.map((s) => [s.leadSource, s]));
    expect(by.Zillow).toMatchObject({
      leads: 4,
      contacts: 3,
      deals: 2,
      closedDeals: 1,
      closedVolumeCents: 45_000_000,
      gciCents: 1_350_000,
    });
    expect(by["Realtor.com"]).toMatchObject({ leads: 1, contacts: 1, deals: 0, closedDeals: 0 });
    expect(r.total).toMatchObject({ leads: 5, contacts: 4, deals: 2, closedDeals: 1 });
    expect(r.rows.every((c) => c.period === new Date(now).toISOString().slice(0, 7))).toBe(true);
  });

  it("a window that excludes today reports nothing; a day period buckets by date", async () => {
    const future = await apiJson<RoiReport>(`/reports/roi?from=${now + 86_400_000}`);
    expect(future.total).toMatchObject({ leads: 0, contacts: 0, deals: 0 });
    const days = await apiJson<RoiReport>(
      `/reports/roi?period=day&from=${new Date(now).toISOString().slice(0, 10)}&to=${new Date(now).toISOString().slice(0, 10)}`,
    );
    expect(days.rows.map((c) => c.period)).toContain(new Date(now).toISOString().slice(0, 10));
    expect(days.total.leads).toBe(5);
  });

  it("bad windows are 422", async () => {
    for (const qs of ["from=2026-05-01&to=2026-01-01", "period=year", "from=soon"]) {
      const res = await api(`/reports/roi?${qs}`);
      expect(res.status, qs).toBe(422);
    }
  });
});
