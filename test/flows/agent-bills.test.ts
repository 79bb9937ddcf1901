import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { withBrokerage } from "../helpers/brokerage";
import { closedTransaction as closed } from "../helpers/deal-events";
import { connect } from "../helpers/people";
import { records, resetSandbox, setSettings } from "../helpers/sandbox";

/** The hub of a brokerage that pays its agents' shares as QuickBooks bills. */
function withAgentBills(): Env {
  return withBrokerage((doc) => ({ ...doc, accountingDocument: { ...doc.accountingDocument, agentBills: true } }));
}

const invoicedDetail = async (dealId: string) =>
  (await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'INVOICED'").bind(dealId).first<{ detail: string }>())
    ?.detail;

interface QboRecords {
  "qbo:Bill"?: Array<{ TotalAmt: number; VendorRef?: { value: string } }>;
  "qbo:Invoice"?: Array<{ Id: string; PrivateNote?: string }>;
  "qbo:Vendor"?: Array<{ Id: string; DisplayName: string }>;
}

describe("agent bills for a closed transaction", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("bill each agent's share, by percent of the gross or by amount, beside the invoice for the gross", async () => {
    const { dealId, message } = closed([
      { agent: { name: "Alex Kim" }, percent: 60 },
      { agent: { email: "jordan@example-brokerage.test" }, amountCents: 270_000 },
      { agent: { name: "Nobody Paid" }, amountCents: 0 },
    ]);
    expect(await accountingMessage(message, withAgentBills())).toEqual({ ok: true, value: "invoiced" });
    expect(await invoicedDetail(dealId)).toMatch(/, 2 agent bills$/);

    const qbo = await records<QboRecords>("quickbooks");
    const vendors = new Map((qbo["qbo:Vendor"] ?? []).map((v) => [v.Id, v.DisplayName]));
    const bills = (qbo["qbo:Bill"] ?? []).map((b) => ({ payee: vendors.get(b.VendorRef?.value ?? ""), total: b.TotalAmt }));
    // 3% of $450,000 is $13,500: 60% of it is $8,100.
    expect(bills).toEqual(
      expect.arrayContaining([
        { payee: "Alex Kim", total: 8_100 },
        { payee: "jordan@example-brokerage.test", total: 2_700 },
      ]),
    );
    expect(bills).toHaveLength(2);
  });

  it("pay an agent whose name a client holds as a customer under a vendor named apart, the same vendor deal after deal", async () => {
    // Sam Patel bought a home through the brokerage before joining it: QuickBooks display names
    // are unique across customers and vendors.
    const home = closed([], { firstName: "Sam", lastName: "Patel", email: "sam.patel@example.com" });
    expect(await accountingMessage(home.message, env)).toEqual({ ok: true, value: "invoiced" });
    for (const _ of [1, 2]) {
      const { message } = closed([{ agent: { name: "Sam Patel" }, percent: 50 }]);
      expect(await accountingMessage(message, withAgentBills())).toEqual({ ok: true, value: "invoiced" });
    }
    const qbo = await records<QboRecords>("quickbooks");
    const sams = (qbo["qbo:Vendor"] ?? []).filter((v) => v.DisplayName.startsWith("Sam Patel"));
    expect(sams.map((v) => v.DisplayName)).toEqual(["Sam Patel (agent)"]);
    expect((qbo["qbo:Bill"] ?? []).filter((b) => b.VendorRef?.value === sams[0]?.Id)).toHaveLength(2);
  });

  it("two deals of a new agent closing at once both pay the agent's one vendor", async () => {
    const deals = [1, 2].map(() => closed([{ agent: { name: "Rio Vance" }, percent: 50 }]));
    const results = await Promise.all(deals.map((d) => accountingMessage(d.message, withAgentBills())));
    expect(results).toEqual([
      { ok: true, value: "invoiced" },
      { ok: true, value: "invoiced" },
    ]);
    const qbo = await records<QboRecords>("quickbooks");
    const rios = (qbo["qbo:Vendor"] ?? []).filter((v) => v.DisplayName.startsWith("Rio Vance"));
    expect(rios.map((v) => v.DisplayName)).toEqual(["Rio Vance"]);
    expect((qbo["qbo:Bill"] ?? []).filter((b) => b.VendorRef?.value === rios[0]?.Id)).toHaveLength(2);
  });

  it("with no agent splits on the transaction, the invoice is made and its trace says no agent was billed", async () => {
    const { dealId, message } = closed([]);
    expect(await accountingMessage(message, withAgentBills())).toEqual({ ok: true, value: "invoiced" });
    expect(await invoicedDetail(dealId)).toContain("no agent bills: the transaction names no agent splits");
  });

  it("with agent bills off, the trace says nothing of them", async () => {
    const { dealId, message } = closed([{ agent: { name: "Alex Kim" }, percent: 60 }]);
    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "invoiced" });
    expect(await invoicedDetail(dealId)).not.toContain("agent");
  });

  it("an agent named on two splits is paid both in one bill", async () => {
    const { message } = closed([
      { agent: { name: "Dana Twice" }, percent: 30 },
      { agent: { name: "Dana Twice" }, percent: 20 },
    ]);
    expect(await accountingMessage(message, withAgentBills())).toEqual({ ok: true, value: "invoiced" });
    const qbo = await records<QboRecords>("quickbooks");
    const dana = (qbo["qbo:Vendor"] ?? []).find((v) => v.DisplayName === "Dana Twice");
    // Half of $13,500.
    expect((qbo["qbo:Bill"] ?? []).filter((b) => b.VendorRef?.value === dana?.Id).map((b) => b.TotalAmt)).toEqual([6_750]);
  });

  it("a bill QuickBooks refuses leaves the invoice linked to its deal; the retry makes the bill and no second invoice", async () => {
    const { dealId, message } = closed([{ agent: { name: "Lee Refused" }, percent: 40 }]);
    const invoiceLink = () =>
      env.DB.prepare("SELECT external_id FROM links WHERE canonical_id = ?1 AND kind = 'invoice'")
        .bind(dealId)
        .first<{ external_id: string }>();
    await setSettings("quickbooks", { rejectWrites: { match: "^POST \\S*/bill\\b", status: 400 } });
    try {
      expect(await accountingMessage(message, withAgentBills())).toMatchObject({ ok: false, error: { status: 400 } });
      // The invoice exists: the deal says so, and the accountant's void of it would be heard as the hub's.
      expect(await invoiceLink()).not.toBeNull();
    } finally {
      await setSettings("quickbooks", { rejectWrites: null });
    }
    expect(await accountingMessage(message, withAgentBills())).toMatchObject({ ok: true });
    const qbo = await records<QboRecords>("quickbooks");
    const invoices = (qbo["qbo:Invoice"] ?? []).filter((i) => i.PrivateNote?.startsWith(`dealwire ${dealId}`));
    expect(invoices.map((i) => i.Id)).toEqual([(await invoiceLink())?.external_id]);
    const lee = (qbo["qbo:Vendor"] ?? []).find((v) => v.DisplayName === "Lee Refused");
    // 40% of $13,500.
    expect((qbo["qbo:Bill"] ?? []).filter((b) => b.VendorRef?.value === lee?.Id).map((b) => b.TotalAmt)).toEqual([5_400]);
    const billed = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'BILLED'")
      .bind(dealId)
      .all<{ detail: string }>();
    expect(billed.results.map((r) => r.detail)).toEqual(["quickbooks: 1 agent bill"]);
  });
});
