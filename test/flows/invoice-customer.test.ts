import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { accountingMessage } from "../../src/consumers/accounting";
import { withBrokerage } from "../helpers/brokerage";
import { closedTransaction } from "../helpers/deal-events";
import { QuickBooksClient } from "../../src/vendors/quickbooks/client";
import { customerBody } from "../../src/vendors/quickbooks/to-vendor";
import { connect } from "../helpers/people";
import { open } from "../vendors/support";
import { records, resetSandbox } from "../helpers/sandbox";

type QboRecords = Record<
  string,
  Array<{ Id: string; DisplayName?: string; CustomerRef?: { value: string }; PrivateNote?: string }> | undefined
>;

/** A golden person and their closed deal, as the hub holds them when the loop closes. */
async function clientClosing(first: string, last: string, email: string) {
  const personId = `per_${crypto.randomUUID()}`;
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO people (id, first_name, last_name, email, fields, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, '{}', ?5, ?5)",
  )
    .bind(personId, first, last, email, now)
    .run();
  const closed = closedTransaction();
  await env.DB.prepare(
    "INSERT INTO deals (id, person_id, name, stage, fields, created_at, updated_at) VALUES (?1, ?2, '18 Bill St', 'closed', '{}', ?3, ?3)",
  )
    .bind(closed.dealId, personId, now)
    .run();
  return { personId, ...closed };
}

/** The QuickBooks customer billed on the deal's invoice. */
async function billedCustomer(dealId: string) {
  const qbo = await records<QboRecords>("quickbooks");
  const invoice = (qbo["qbo:Invoice"] ?? []).find((d) => d.PrivateNote?.startsWith(`dealwire ${dealId}`));
  return (qbo["qbo:Customer"] ?? []).find((c) => c.Id === invoice?.CustomerRef?.value);
}

describe("the QuickBooks customer a closed deal is invoiced to", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("quickbooks");
  });

  it("is the client's own: another client of the same name gets a customer of their own, and each is billed on their next deal", async () => {
    const ana = await clientClosing("Ana", "Ruiz", "ana.ruiz@example.com");
    expect(await accountingMessage(ana.message, env)).toEqual({ ok: true, value: "invoiced" });
    const anasCustomer = await billedCustomer(ana.dealId);
    expect(anasCustomer?.DisplayName).toBe("Ana Ruiz");

    // Another Ana Ruiz buys through the brokerage.
    const other = await clientClosing("Ana", "Ruiz", "a.ruiz@example.net");
    expect(await accountingMessage(other.message, env)).toEqual({ ok: true, value: "invoiced" });
    const othersCustomer = await billedCustomer(other.dealId);
    expect(othersCustomer?.Id).toBeDefined();
    expect(othersCustomer?.Id).not.toBe(anasCustomer?.Id);

    // The first Ana's next deal is billed to her customer, the second's to theirs.
    for (const [client, customer] of [
      [ana, anasCustomer],
      [other, othersCustomer],
    ] as const) {
      const next = closedTransaction();
      await env.DB.prepare(
        "INSERT INTO deals (id, person_id, name, stage, fields, created_at, updated_at) VALUES (?1, ?2, '9 Oak Ln', 'closed', '{}', ?3, ?3)",
      )
        .bind(next.dealId, client.personId, Date.now())
        .run();
      expect(await accountingMessage(next.message, env)).toEqual({ ok: true, value: "invoiced" });
      expect((await billedCustomer(next.dealId))?.Id).toBe(customer?.Id);
    }
  });

  it("is the customer the accountant merged the client's into: the client's next deal is billed to it", async () => {
    const mara = await clientClosing("Mara", "Lind", "mara.lind@example.com");
    expect(await accountingMessage(mara.message, env)).toEqual({ ok: true, value: "invoiced" });
    const before = await billedCustomer(mara.dealId);
    // The accountant merges Mara's customer into another record of her in QuickBooks, which says so.
    const kept = await new QuickBooksClient(open("quickbooks:main")).createCustomer(
      customerBody({ name: "Mara Lind-Ortega" }),
      crypto.randomUUID(),
    );
    if (!kept.ok || !before) throw new Error("no customers");
    const at = new Date().toISOString();
    const merged = {
      v: 1,
      event: {
        id: `qbo-merge-${crypto.randomUUID()}`,
        type: "vendor.resource_changed",
        schemaVersion: 1,
        occurredAt: at,
        receivedAt: at,
        source: { system: "quickbooks", deliveryId: `dlv_${crypto.randomUUID()}` },
        subject: { kind: "other" },
        data: { system: "quickbooks", resource: "customer", ids: [kept.value.Id], action: "merged", mergedIds: [before.Id] },
      },
    };
    expect(await accountingMessage(merged, env)).toMatchObject({ ok: true });

    const next = closedTransaction();
    await env.DB.prepare(
      "INSERT INTO deals (id, person_id, name, stage, fields, created_at, updated_at) VALUES (?1, ?2, '4 Elm Ct', 'closed', '{}', ?3, ?3)",
    )
      .bind(next.dealId, mara.personId, Date.now())
      .run();
    expect(await accountingMessage(next.message, env)).toEqual({ ok: true, value: "invoiced" });
    expect((await billedCustomer(next.dealId))?.Id).toBe(kept.value.Id);
  });

  it("is named apart from an agent of the same name: an agent buying a home is invoiced as a customer of their own", async () => {
    // Maya Chen has been paid as an agent: QuickBooks holds her name as a vendor's.
    const paid = closedTransaction([{ agent: { name: "Maya Chen" }, percent: 50 }]);
    const agentBills = withBrokerage((doc) => ({ ...doc, accountingDocument: { ...doc.accountingDocument, agentBills: true } }));
    expect(await accountingMessage(paid.message, agentBills)).toEqual({ ok: true, value: "invoiced" });

    const maya = await clientClosing("Maya", "Chen", "maya.chen@example.com");
    expect(await accountingMessage(maya.message, env)).toEqual({ ok: true, value: "invoiced" });
    expect((await billedCustomer(maya.dealId))?.DisplayName).toBe("Maya Chen (maya.chen@example.com)");
  });
});
