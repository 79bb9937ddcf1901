import type { CustomValue, Deal, EventOf, Person, Property, SystemName } from "../canonical";
import { parseAddress } from "../normalize";

export type TransactionPlan = { ok: true; deal: Deal } | { ok: false; reason: string; missing: string[] };

/**
 * A CRM deal's name is often its property address (a common Follow Up Boss habit): use it when it
 * parses as one with a number and a street.
 */
export function propertyFromDealName(name: string | undefined): Property | undefined {
  if (!name) return undefined;
  const parsed = parseAddress(name);
  if (!parsed.ok || !parsed.value.number || !parsed.value.street) return undefined;
  return { address: parsed.value };
}

/**
 * Flow 2: what the TMS transaction for a deal that reached the trigger stage contains. The
 * property is the MLS listing the deal names when there is one, else the deal's name when it is
 * an address, else the buyer's latest property inquiry. Without a buyer or a property address it
 * halts with the reason: no partial transaction is ever created.
 */
export function planTransaction(input: {
  dealId: string;
  dealName?: string;
  purchasePrice?: number;
  buyer: Person | null;
  lastInquiry?: Property;
  /** The deal's property as the MLS listing it names knows it: preferred over name and inquiry. */
  property?: Property;
  agent?: { name?: string; email?: string };
  /** The brokerage's own fields the transaction carries (the deal's values, else the defaults). */
  custom?: Record<string, CustomValue>;
  /** Required fields of the brokerage's that have neither a value nor a default, by label. */
  missingFields?: readonly string[];
}): TransactionPlan {
  const property =
    input.property ?? propertyFromDealName(input.dealName) ?? (input.lastInquiry?.address?.street ? input.lastInquiry : undefined);
  const missing: string[] = [];
  if (!input.buyer) missing.push("buyer");
  if (!property?.address?.street || !property.address.number) missing.push("property address");
  missing.push(...(input.missingFields ?? []));
  if (!input.buyer || !property || missing.length > 0) {
    return { ok: false, reason: `cannot create the transaction: missing ${missing.join(" and ")}`, missing };
  }
  const price = input.purchasePrice ?? property.price;
  return {
    ok: true,
    deal: {
      id: input.dealId,
      ...(input.dealName ? { name: input.dealName } : {}),
      stage: "under_contract",
      ...(price !== undefined ? { purchasePrice: price } : {}),
      dates: {},
      participants: [{ role: "buyer", person: input.buyer }],
      property,
      ...(input.custom && Object.keys(input.custom).length > 0 ? { custom: input.custom } : {}),
      ...(input.agent?.name || input.agent?.email
        ? { agent: { ...(input.agent.name ? { name: input.agent.name } : {}), ...(input.agent.email ? { email: input.agent.email } : {}) } }
        : {}),
    },
  };
}

/**
 * Flow 2's request that the CRM deal record its TMS transaction's id. One id per deal, whichever
 * step asks (the transaction's creation, or a later notice of the deal finding the id missing),
 * so the CRM write is applied once however often it is asked for.
 */
export function transactionCreated(input: {
  dealId: string;
  tmsSystem: SystemName;
  transactionId: string;
  deliveryId: string;
  now: number;
  /** The deal as the transaction was created from it; a later request carries the id only. */
  deal?: Deal;
}): EventOf<"transaction.created"> {
  const at = new Date(input.now).toISOString();
  return {
    id: `${input.dealId}:transaction_created`,
    type: "transaction.created",
    schemaVersion: 1,
    occurredAt: at,
    receivedAt: at,
    source: { system: input.tmsSystem, externalId: input.transactionId, deliveryId: input.deliveryId },
    subject: { kind: "transaction", externalId: input.transactionId },
    data: { transaction: { dates: {}, participants: [], ...input.deal, id: input.dealId } },
  };
}
