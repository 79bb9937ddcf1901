import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Deal } from "../../src/canonical";
import { SkySlopeTms } from "../../src/vendors/skyslope/tms";
import { onSkySlope } from "../helpers/brokerage";
import { open } from "../vendors/support";
import { runCli, type Io } from "../../scripts/cli/run";
import type { AuditReport } from "../../src/mapping/audit";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { brokerageConfig } from "../../src/config/load";
import { crmFor } from "../../src/vendors/systems";
import { agentDotloop, connect, fub } from "../helpers/people";
import { records, resetSandbox, sandbox, setSettings } from "../helpers/sandbox";
import { hub } from "./helpers";
import { overriding } from "../helpers/env";
import defaults from "../../config/brokerage.json";

const auth = () => ({ authorization: `Bearer ${env.OPS_TOKEN}` });

async function audit(appEnv: Env = env): Promise<AuditReport> {
  const r = await hub.request("http://hub.test/ops/api/mapping/audit", { headers: auth() }, appEnv);
  expect(r.status).toBe(200);
  return r.json<AuditReport>();
}

/** A sale as an agent opens it in SkySlope. */
function auditSale(street: string): Deal {
  return {
    stage: "under_contract",
    purchasePrice: 29_900_000,
    dates: { contract: "2026-11-02", estimatedClosing: "2026-12-18" },
    participants: [],
    property: { address: { number: street, street: "Audit", suffix: "Ave", city: "Austin", state: "TX", zip: "78701" } },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
  };
}

interface Pipeline {
  id: number;
  stages: Array<{ id: number; name: string }>;
}

// The seeded accounts: Follow Up Boss with the example's deal fields plus two the configuration
// does not map (one named like a mapped field), a loop with a label nobody maps, and a QuickBooks
// company whose sales custom fields lack the mapped "Earnest Money".
describe("the mapping audit against the sandbox", () => {
  let fubDealId = 0;

  beforeAll(async () => {
    await resetSandbox();
    await setSettings("followupboss", { autoWebhooks: false });
    await setSettings("quickbooks", { qboSalesCustomFields: ["Buyer Agent"] });
    await connect("dotloop");
    await connect("quickbooks");
    await fub("POST", "/v1/dealCustomFields", { label: "Lender Name", type: "text" });
    await fub("POST", "/v1/dealCustomFields", { label: "Inspection Day", type: "text" });
    const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "9 Audit Ave",
      stageId: pipelines[0]?.stages[0]?.id,
      customLenderName: "Pat Lender",
      customEarnestMoney: 7500,
      customInspectionDate: "next week",
    });
    fubDealId = deal.id;
    const dotloop = await agentDotloop();
    const loop = (await dotloop("POST", "/loop-it?profile_id=4711", {
      name: "9 Audit Ave",
      transactionType: "PURCHASE_OFFER",
      status: "PRE_OFFER",
    })) as { data: { id: number } };
    await dotloop("PATCH", `/profile/4711/loop/${loop.data.id}/detail`, {
      Referral: { "Referral Source": "Zillow Flex" },
      Financials: { "Earnest Money Amount": "2,500" },
    });
  });

  it("shows unmapped vendor fields (with look-alikes), mapped fields the account lacks, and type mismatches", async () => {
    const r = await audit();
    const find = (kind: string, system: string, field: string) =>
      r.findings.find((f) => f.kind === kind && f.system === system && f.field === field);
    expect(find("unmapped", "followupboss", "customLenderName")).toMatchObject({ detail: expect.stringContaining("deal field") });
    expect(find("unmapped", "followupboss", "customInspectionDay")?.suggestions).toEqual(["inspectionDate"]);
    expect(find("unmapped", "dotloop", "Referral / Referral Source")).toBeDefined();
    expect(find("unmapped", "quickbooks", "CustomField: Buyer Agent")).toBeDefined();
    expect(find("missing_in_account", "quickbooks", "earnestMoney")?.detail).toContain("CustomField: Earnest Money");
    expect(find("type_mismatch", "followupboss", "inspectionDate")?.detail).toContain(`deal ${fubDealId}`);
    // The hub's own transaction-id field is not a candidate for mapping.
    expect(r.findings.filter((f) => f.field === "customTransactionID")).toEqual([]);
    // Mapped and fitting: no finding.
    expect(r.findings.filter((f) => f.field === "earnestMoney" && f.system !== "quickbooks")).toEqual([]);
  });

  it("puts each sample beside its canonical record and what the real push code would write, with personal data masked", async () => {
    const r = await audit();
    const row = r.rows.find((x) => x.system === "followupboss" && x.id === String(fubDealId));
    expect(row?.fields).toContainEqual({ key: "customEarnestMoney", value: "7500", mappedTo: "earnestMoney" });
    expect(row?.fields).toContainEqual({ key: "customLenderName", value: "P***", mappedTo: null });
    expect(JSON.stringify(r)).not.toContain("Pat Lender");
    expect(row?.canonical).toEqual({ earnestMoney: "750000" });
    expect(row?.wouldWrite.dotloop).toEqual({ Financials: { "Earnest Money Amount": "7500" } });
    expect(row?.wouldWrite.quickbooks).toEqual({ customFields: [{ name: "Earnest Money", value: "7500" }] });
    const loopRow = r.rows.find((x) => x.system === "dotloop");
    expect(loopRow?.canonical).toEqual({ earnestMoney: "250000" });
    expect(loopRow?.wouldWrite.followupboss).toEqual({ customEarnestMoney: "2500" });
  });

  it("samples a Dotloop label the hub also writes when a brokerage field is mapped to it, rather than calling it empty", async () => {
    const doc = structuredClone(defaults) as unknown as { fields: Record<string, unknown> };
    doc.fields.closeDate = {
      label: "Close Date",
      type: "date",
      required: true,
      dotloop: { section: "Contract Dates", field: "Closing Date" },
    };
    const loop = ((await records<{ loop?: Array<{ id: number }> }>("dotloop")).loop ?? []).find((l) => l.id > 0);
    if (!loop) throw new Error("no loop");
    await (await agentDotloop())("PATCH", `/profile/4711/loop/${loop.id}/detail`, { "Contract Dates": { "Closing Date": "12/20/2026" } });
    const r = await audit(overriding(env, { BROKERAGE_CONFIG: JSON.stringify(doc) }));
    const loopRow = r.rows.find((x) => x.system === "dotloop" && x.id === String(loop.id));
    expect(loopRow?.fields).toContainEqual(expect.objectContaining({ key: "Contract Dates / Closing Date", mappedTo: "closeDate" }));
    expect(loopRow?.canonical).toMatchObject({ closeDate: "####-##-20" }); // dates are masked
    expect(r.findings.filter((f) => f.system === "dotloop" && f.field === "closeDate")).toEqual([]);
  });

  it("writes nothing to any vendor", async () => {
    const before = JSON.stringify(await Promise.all(["followupboss", "dotloop", "quickbooks"].map((v) => records(v))));
    await audit();
    expect(JSON.stringify(await Promise.all(["followupboss", "dotloop", "quickbooks"].map((v) => records(v))))).toBe(before);
  });

  it("exports Markdown and CSV, and the CLI prints the findings and fails while any remain", async () => {
    const md = await hub.request("http://hub.test/ops/api/mapping/audit?format=md", { headers: auth() }, env);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    const text = await md.text();
    expect(text).toMatch(/^# Mapping audit/);
    expect(text).toContain("| unmapped | followupboss | customInspectionDay |");
    const csv = await (await hub.request("http://hub.test/ops/api/mapping/audit?format=csv", { headers: auth() }, env)).text();
    expect(csv.split("\n")[0]).toBe("section,system,object,id,field,value,maps_to,kind,detail,suggestions");
    expect(csv).toContain("finding,quickbooks,,,earnestMoney,,,missing_in_account,");

    const out: string[] = [];
    const io: Io = {
      fetch: async (url, init) => hub.request(url, init, env),
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { DEALWIRE_URL: "http://hub.test", DEALWIRE_OPS_TOKEN: env.OPS_TOKEN },
    };
    expect(await runCli(["mapping", "audit"], io)).toBe(1);
    expect(out.join("\n")).toMatch(/unmapped\s+followupboss\s+customInspectionDay/);
  });

  it("a custom field that starts holding values on a CRM deal is drift, and the alert points at the audit", async () => {
    const config = brokerageConfig(env);
    const r = await handleCrmDeal(String(fubDealId), "audit-drift", env, config, crmFor(env, config));
    expect(r.ok).toBe(true);
    const drift = await env.DB.prepare(
      "SELECT field, kind, sample FROM drift WHERE source = 'followupboss' AND field = 'deal.customLenderName'",
    ).first();
    expect(drift).toEqual({ field: "deal.customLenderName", kind: "unknown_field", sample: "P***" });
    const alert = await env.DB.prepare("SELECT detail FROM alerts WHERE key = 'drift:followupboss:unknown_field'").first<{
      detail: string;
    }>();
    expect(alert?.detail).toContain("/ops/mapping");
  });
});

const advanceSkySlopeClock = (advanceMs: number) =>
  sandbox("/_sandbox/skyslope/clock", { method: "POST", body: JSON.stringify({ advanceMs }) });

describe("the mapping audit of a brokerage whose TMS is SkySlope", () => {
  const guids: string[] = [];

  beforeAll(async () => {
    const tms = new SkySlopeTms(open("skyslope:main"));
    for (const n of [1, 2, 3, 4]) {
      const created = await tms.createTransaction({ reference: `audit-${n}`, deal: auditSale(`${n}0`) });
      if (!created.ok) throw new Error(created.error.message);
      guids.push(created.value.externalId);
    }
    // Agents then work on the last three; the first stays as it was opened.
    const [, second, third, fourth] = guids;
    await tms.client.updateSale(fourth ?? "", { customFields: { serviceType: "Needs Attention" } });
    await tms.client.updateSale(third ?? "", { customFields: { serviceType: "Approved" } });
    await tms.client.updateSale(second ?? "", { customFields: { serviceType: "Approved", conciergeProjectNumber: "CP-7731" } });
  });

  it("samples the sales agents changed most recently, not the first SkySlope lists", async () => {
    const r = await audit(onSkySlope());
    const rows = r.rows.filter((x) => x.system === "skyslope");
    expect(new Set(rows.map((x) => x.id))).toEqual(new Set(guids.slice(1)));
  });

  it("maps the configured customFields key, and shows SkySlope's other keys as unmapped, masked", async () => {
    const r = await audit(onSkySlope());
    const row = r.rows.find((x) => x.system === "skyslope" && x.id === guids[1]);
    expect(row?.fields).toContainEqual(expect.objectContaining({ key: "customFields.serviceType", mappedTo: "complianceStatus" }));
    expect(row?.fields).toContainEqual(expect.objectContaining({ key: "customFields.conciergeProjectNumber", mappedTo: null }));
    expect(JSON.stringify(r)).not.toContain("CP-7731");
    // "Approved", a declared value, shown masked like every vendor value; the CRM would get it too.
    expect(row?.canonical).toEqual({ complianceStatus: "A***" });
    expect(row?.wouldWrite).toEqual({ followupboss: { customComplianceStatus: "A***" } });
    const skyslope = r.findings.filter((f) => f.system === "skyslope");
    expect(skyslope.map((f) => [f.kind, f.field])).toEqual([["unmapped", "customFields.conciergeProjectNumber"]]);
  });
});

describe("the mapping audit of a SkySlope account where no sale changed in the last 30 days", () => {
  const guids: string[] = [];

  beforeAll(async () => {
    await resetSandbox();
    const tms = new SkySlopeTms(open("skyslope:main"));
    expect((await tms.client.ping()).ok).toBe(true); // logged in at today's time
    const days40 = 40 * 86_400_000;
    await advanceSkySlopeClock(-days40);
    try {
      for (const n of [1, 2]) {
        const created = await tms.createTransaction({ reference: `quiet-${n}`, deal: auditSale(`${n}5`) });
        if (!created.ok) throw new Error(created.error.message);
        guids.push(created.value.externalId);
      }
    } finally {
      await advanceSkySlopeClock(days40);
    }
  });

  it("still samples the sales SkySlope lists first", async () => {
    const r = await audit(onSkySlope());
    expect(r.findings.filter((f) => f.kind === "unreachable")).toEqual([]);
    expect(r.rows.filter((x) => x.system === "skyslope").map((x) => x.id)).toEqual(guids);
  });
});
