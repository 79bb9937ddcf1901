import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { closedTransaction } from "../helpers/deal-events";
import { connect } from "../helpers/people";
import { resetSandbox } from "../helpers/sandbox";

describe("a deal that closed before its commission was entered", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("is refused as commission_missing, and invoiced on replay once the TMS's commission reached the golden deal", async () => {
    const { dealId, message } = closedTransaction();
    const { commission: _, ...withoutCommission } = message.event.data.transaction;
    const closedBare = { ...message, event: { ...message.event, data: { transaction: withoutCommission } } };
    const at = new Date().toISOString();
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO deals (id, name, stage, fields, created_at, updated_at) VALUES (?1, '18 Bill St', 'closed', ?2, ?3, ?3)",
    )
      .bind(dealId, JSON.stringify({ stage: { value: "closed", system: "dotloop", at } }), now)
      .run();

    const first = await accountingMessage(closedBare, env);
    expect(first).toMatchObject({ ok: false, error: { code: "commission_missing", retryable: false } });

    // The agent enters the commission in the TMS after closing; its change merges into the deal.
    const fields = {
      stage: { value: "closed", system: "dotloop", at },
      price: { value: 45_000_000, system: "dotloop", at },
      commission: { value: { ratePercent: 3, splits: [], fees: [] }, system: "dotloop", at },
    };
    await env.DB.prepare("UPDATE deals SET fields = ?2, updated_at = ?3 WHERE id = ?1")
      .bind(dealId, JSON.stringify(fields), now + 1)
      .run();

    // The dead letter's replay carries the same close event as before.
    expect(await accountingMessage(closedBare, env)).toEqual({ ok: true, value: "invoiced" });
    const invoiced = await env.DB.prepare("SELECT gci_cents FROM deals WHERE id = ?1").bind(dealId).first<{ gci_cents: number }>();
    // 3% of $450,000.
    expect(invoiced?.gci_cents).toBe(1_350_000);
  });

  it("bills the commission the golden deal holds when its close is retried, not the copy the close event carried", async () => {
    const { dealId, message } = closedTransaction(); // the close carried 3% of $450,000
    const at = new Date().toISOString();
    // QuickBooks was not reachable for the close's first tries; meanwhile the TC corrected the
    // loop's rate to 2.5%, and that change merged into the golden deal (it closes nothing twice).
    const fields = {
      stage: { value: "closed", system: "dotloop", at },
      price: { value: 45_000_000, system: "dotloop", at },
      commission: { value: { ratePercent: 2.5, splits: [], fees: [] }, system: "dotloop", at },
    };
    await env.DB.prepare(
      "INSERT INTO deals (id, name, stage, fields, created_at, updated_at) VALUES (?1, '18 Bill St', 'closed', ?2, ?3, ?3)",
    )
      .bind(dealId, JSON.stringify(fields), Date.now())
      .run();

    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "invoiced" });
    const invoiced = await env.DB.prepare("SELECT gci_cents FROM deals WHERE id = ?1").bind(dealId).first<{ gci_cents: number }>();
    expect(invoiced?.gci_cents).toBe(1_125_000); // 2.5% of $450,000
  });
});
