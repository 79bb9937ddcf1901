/** Canonical deal events as the queues carry them, for tests that hand them to a consumer. */
import { type CanonicalEvent, type Commission, type Deal, type DealStage, type EventOf, Person } from "../../src/canonical";
import type { CanonicalMessage } from "../../src/queues/messages";

export type CommissionSplit = Commission["splits"][number];

/** A closed transaction of $450,000 at a 3% commission, with the agent splits it names. */
export function closedTransaction(splits: CommissionSplit[] = [], buyer?: { firstName: string; lastName: string; email: string }) {
  const dealId = `deal_${crypto.randomUUID()}`;
  const deliveryId = `dlv_${crypto.randomUUID()}`;
  const at = new Date().toISOString();
  const event: CanonicalEvent = {
    id: `${deliveryId}:0`,
    type: "transaction.closed",
    schemaVersion: 1,
    occurredAt: at,
    receivedAt: at,
    source: { system: "dotloop", deliveryId },
    subject: { kind: "other" },
    data: {
      transaction: {
        id: dealId,
        purchasePrice: 45_000_000,
        commission: { ratePercent: 3, splits, fees: [] },
        dates: { actualClosing: "2026-11-30" },
        participants: buyer ? [{ role: "buyer", person: Person.parse({ ...buyer, emails: [{ value: buyer.email }] }) }] : [],
        property: { address: { number: "18", street: "Bill", suffix: "St", city: "Austin", state: "TX", zip: "78701" } },
      },
    },
  };
  return { dealId, message: { v: 1, event } };
}

/** The CRM deal under contract, the trigger of the TMS create flow. */
export function underContract(d: Deal): EventOf<"deal.stage_changed"> {
  const now = new Date().toISOString();
  const deliveryId = `dlv_${crypto.randomUUID()}`;
  return {
    id: `${d.id}:stage`,
    type: "deal.stage_changed",
    schemaVersion: 1,
    occurredAt: now,
    receivedAt: now,
    source: { system: "followupboss", deliveryId },
    subject: { kind: "deal", externalId: d.id ?? "" },
    data: { to: "under_contract", deal: d },
  };
}

/**
 * The crm-queue message the TMS sync sends when a transaction's status changes, carrying the
 * version of the golden deal it replaced. Its id is an opaque key: the order is the version's.
 */
export function statusChanged(dealId: string, from: DealStage, to: DealStage, version: number): CanonicalMessage {
  const at = new Date().toISOString();
  return {
    v: 1,
    event: {
      id: `status-${crypto.randomUUID()}`,
      recordVersion: version,
      type: "transaction.status_changed",
      schemaVersion: 1,
      occurredAt: at,
      receivedAt: at,
      source: { system: "dotloop", externalId: "loop-1", deliveryId: `dlv_${crypto.randomUUID()}` },
      subject: { kind: "transaction", externalId: "loop-1" },
      data: { from, to, transaction: { id: dealId, dates: {}, participants: [] } },
    },
  };
}
