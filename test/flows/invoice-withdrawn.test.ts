import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { pollMessage } from "../../src/consumers/poll";
import { closedTransaction } from "../helpers/deal-events";
import { eventually } from "../helpers/deliveries";
import { accountantQuickBooks, connect, stagesOf } from "../helpers/people";
import { deliverOutbox, records, resetSandbox, setSettings } from "../helpers/sandbox";

type Invoice = { Id: string; SyncToken: string; PrivateNote?: string };

/** A closed deal the hub invoiced in QuickBooks, and that invoice as QuickBooks holds it. */
async function invoicedDeal() {
  const { dealId, message } = closedTransaction();
  expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "invoiced" });
  const qbo = await records<Record<string, Invoice[] | undefined>>("quickbooks");
  const invoice = (qbo["qbo:Invoice"] ?? []).find((d) => d.PrivateNote?.startsWith(`dealwire ${dealId}`));
  if (!invoice) throw new Error(`no invoice for ${dealId}`);
  return { dealId, invoice, message };
}

const alertState = (key: string) =>
  env.DB.prepare("SELECT state, title FROM alerts WHERE key = ?1").bind(key).first<{ state: string; title: string }>();

describe("a commission invoice the accountant voids or deletes in QuickBooks", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("is said on the deal's timeline and alerted, and the deal is not invoiced again", async () => {
    const { dealId, invoice, message } = await invoicedDeal();
    const accountant = await accountantQuickBooks();
    await accountant("invoice?operation=void", { Id: invoice.Id, SyncToken: invoice.SyncToken });
    for (const r of await deliverOutbox({ source: "quickbooks" })) expect(r.status).toBe(202);
    await eventually(async () => (await stagesOf(dealId)).includes("INVOICE_WITHDRAWN"), 15_000);
    const alert = await alertState(`invoice_voided:quickbooks:${invoice.Id}`);
    expect(alert).toMatchObject({ state: "firing", title: `quickbooks invoice ${invoice.Id} of deal ${dealId} was voided` });
    // A replay of the close finds the deal invoiced: the accountant decides what is still owed.
    expect(await accountingMessage(message, env)).toEqual({ ok: true, value: "already_invoiced" });
  });

  it("deleted, heard as CloudEvents, is alerted as deleted", async () => {
    await setSettings("quickbooks", { webhookFormat: "cloudevents" });
    const { dealId, invoice } = await invoicedDeal();
    const accountant = await accountantQuickBooks();
    await accountant("invoice?operation=delete", { Id: invoice.Id, SyncToken: invoice.SyncToken });
    for (const r of await deliverOutbox({ source: "quickbooks" })) expect(r.status).toBe(202);
    await eventually(() => alertState(`invoice_deleted:quickbooks:${invoice.Id}`), 15_000);
    expect(await stagesOf(dealId)).toContain("INVOICE_WITHDRAWN");
    await setSettings("quickbooks", { webhookFormat: "legacy" });
  });

  it("deleted while its webhook never comes, is found by the backup poll and alerted", async () => {
    await setSettings("quickbooks", { autoWebhooks: false });
    const { dealId, invoice } = await invoicedDeal();
    const accountant = await accountantQuickBooks();
    await accountant("invoice?operation=delete", { Id: invoice.Id, SyncToken: invoice.SyncToken });
    expect(await pollMessage({ v: 1, kind: "poll", connection: "quickbooks:main", at: Date.now() }, env, "accounting")).toMatchObject({
      ok: true,
    });
    await eventually(() => alertState(`invoice_deleted:quickbooks:${invoice.Id}`), 15_000);
    expect(await stagesOf(dealId)).toContain("INVOICE_WITHDRAWN");
    await setSettings("quickbooks", { autoWebhooks: true });
  });

  it("one the hub did not make is left alone", async () => {
    const at = new Date().toISOString();
    const notice = {
      v: 1,
      event: {
        id: `qbo-${crypto.randomUUID()}:0`,
        type: "invoice.changed",
        schemaVersion: 1,
        occurredAt: at,
        receivedAt: at,
        source: { system: "quickbooks", deliveryId: `dlv_${crypto.randomUUID()}` },
        subject: { kind: "other" },
        data: { system: "quickbooks", resource: "invoice", ids: ["990001"], action: "voided" },
      },
    };
    expect(await accountingMessage(notice, env)).toEqual({ ok: true, value: "voided:0" });
    expect(await alertState("invoice_voided:quickbooks:990001")).toBeNull();
  });
});
