import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { closedTransaction } from "../helpers/deal-events";
import { connect } from "../helpers/people";
import { records, resetSandbox, setSettings } from "../helpers/sandbox";

interface QboRecords {
  "qbo:Invoice"?: Array<{ Id: string; TotalAmt: number; PrivateNote?: string }>;
}

const goldenWith = (ratePercent: number) => {
  const at = new Date().toISOString();
  return JSON.stringify({
    stage: { value: "closed", system: "dotloop", at },
    price: { value: 45_000_000, system: "dotloop", at },
    commission: { value: { ratePercent, splits: [], fees: [] }, system: "dotloop", at },
  });
};

/** A close of 3% of $450,000, its golden deal saying the same. */
async function closedAt3Percent() {
  const closed = closedTransaction();
  await env.DB.prepare(
    "INSERT INTO deals (id, name, stage, fields, created_at, updated_at) VALUES (?1, '18 Bill St', 'closed', ?2, ?3, ?3)",
  )
    .bind(closed.dealId, goldenWith(3), Date.now())
    .run();
  return closed;
}

describe("an invoice whose answer was lost before the commission was corrected", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("records the figure the books hold, says so on the timeline and alerts, and never makes a second invoice", async () => {
    const { dealId, message } = await closedAt3Percent();

    // QuickBooks makes the invoice at 3% of $450,000; the answer never reaches the hub.
    await setSettings("quickbooks", { loseAnswers: { match: "^POST /quickbooks/v3/company/[^/]+/invoice" } });
    const first = await accountingMessage(message, env);
    await setSettings("quickbooks", { loseAnswers: null });
    expect(first).toMatchObject({ ok: false, error: { retryable: true } });
    const ours = async () =>
      ((await records<QboRecords>("quickbooks"))["qbo:Invoice"] ?? []).filter((i) => i.PrivateNote?.includes(dealId));
    expect((await ours()).map((i) => i.TotalAmt)).toEqual([13_500]);

    // Before the retry, the TC corrects the rate to 2.5% and the change reaches the golden deal.
    await env.DB.prepare("UPDATE deals SET fields = ?2, updated_at = ?3 WHERE id = ?1").bind(dealId, goldenWith(2.5), Date.now()).run();
    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "invoiced" });

    expect((await ours()).map((i) => i.TotalAmt)).toEqual([13_500]);
    const deal = await env.DB.prepare("SELECT gci_cents FROM deals WHERE id = ?1").bind(dealId).first<{ gci_cents: number }>();
    expect(deal?.gci_cents).toBe(1_350_000);
    const trace = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'INVOICED'")
      .bind(dealId)
      .first<{ detail: string }>();
    expect(trace?.detail).toContain("billed $13,500.00 by an earlier try, not $11,250.00");
    const alert = await env.DB.prepare("SELECT state, severity, detail FROM alerts WHERE key = ?1")
      .bind(`commission_changed_after_invoice:${dealId}`)
      .first<{ state: string; severity: string; detail: string }>();
    expect(alert).toMatchObject({ state: "firing", severity: "warning" });
    expect(alert?.detail).toContain("$11,250.00");
  });

  it("raises nothing when the lost answer's invoice holds the figure still owed", async () => {
    const { dealId, message } = await closedAt3Percent();
    await setSettings("quickbooks", { loseAnswers: { match: "^POST /quickbooks/v3/company/[^/]+/invoice" } });
    expect(await accountingMessage(message, env)).toMatchObject({ ok: false });
    await setSettings("quickbooks", { loseAnswers: null });

    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "invoiced" });
    const trace = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'INVOICED'")
      .bind(dealId)
      .first<{ detail: string }>();
    expect(trace?.detail).not.toContain("earlier try");
    const alert = await env.DB.prepare("SELECT 1 FROM alerts WHERE key = ?1").bind(`commission_changed_after_invoice:${dealId}`).first();
    expect(alert).toBeNull();
  });
});
