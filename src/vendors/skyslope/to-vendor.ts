import type { Deal, Person, PostalAddress } from "../../canonical";
import type { ContactBody, SaleBody } from "./schemas";

/** Dollars as SkySlope takes them (numbers) from integer cents. */
export function dollars(cents: number): number {
  return cents / 100;
}

function streetAddress(a: PostalAddress): string | undefined {
  const parts = [a.street, a.suffix, a.postdirectional].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}

/** SkySlope's property block from a canonical address (its `direction` is the predirectional). */
export function propertyOf(a: PostalAddress | undefined, areaSqft?: number): SaleBody["property"] {
  if (!a) return {};
  const street = streetAddress(a);
  return {
    ...(a.number ? { streetNumber: a.number } : {}),
    ...(a.predirectional ? { direction: a.predirectional } : {}),
    ...(street ? { streetAddress: street } : {}),
    ...(a.unitId ? { unit: a.unitId } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.state ? { state: a.state } : {}),
    ...(a.zip ? { zip: a.zip } : {}),
    ...(areaSqft !== undefined ? { areasqft: areaSqft } : {}),
  };
}

/** The calendar date of an ISO date or instant, as SkySlope's date fields take it. */
function day(iso: string | undefined): string | undefined {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

/**
 * The body of `POST /api/files/sales` for a canonical deal. It carries no reference of the hub's:
 * `customFields` is an object SkySlope defines, so a key of ours may not survive (see
 * `SkySlopeClient.findSales` for how a retry finds the sale instead).
 */
export function dealToSale(deal: Deal, opts: { agentGuid: string; checklistTypeId: number; officeGuid?: string }): SaleBody {
  const p = deal.property;
  const c = deal.commission;
  const contract = day(deal.dates.contract);
  const closing = day(deal.dates.estimatedClosing);
  const closed = day(deal.dates.actualClosing);
  const commission = {
    ...(c?.ratePercent !== undefined ? { saleCommissionPercent: c.ratePercent } : {}),
    ...(c?.grossCents !== undefined ? { salesCommissionAmount: dollars(c.grossCents) } : {}),
  };
  return {
    agentGuid: opts.agentGuid,
    checklistTypeId: opts.checklistTypeId,
    ...(opts.officeGuid ? { officeGuid: opts.officeGuid } : {}),
    ...(p?.mlsId ? { mlsNumber: p.mlsId } : {}),
    ...(contract ? { contractAcceptanceDate: contract } : {}),
    ...(closing ? { escrowClosingDate: closing } : {}),
    ...(closed ? { actualClosingDate: closed } : {}),
    ...(deal.purchasePrice !== undefined ? { salePrice: dollars(deal.purchasePrice) } : {}),
    ...(p?.price !== undefined ? { listingPrice: dollars(p.price) } : {}),
    property: propertyOf(p?.address, p?.areaSqft),
    ...(Object.keys(commission).length ? { commission } : {}),
  };
}

/** A buyer or seller contact from a canonical person. */
export function personToContact(person: Person): ContactBody {
  const a = person.address;
  const email = person.emails[0]?.value;
  const phone = person.phones[0]?.value;
  const street = a ? [a.predirectional, a.street, a.suffix, a.postdirectional].filter(Boolean).join(" ") : "";
  return {
    ...(person.firstName ? { firstName: person.firstName } : {}),
    ...(person.lastName ? { lastName: person.lastName } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phoneNumber: phone } : {}),
    ...(a?.number ? { streetNumber: a.number } : {}),
    ...(street ? { streetName: street } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.state ? { state: a.state } : {}),
    ...(a?.zip ? { zip: a.zip } : {}),
  };
}

/**
 * A comparable key for a property: street number, street words and ZIP, case and punctuation
 * folded. Null without a street number and street, which are what tell two files apart.
 */
export function addressKey(
  p: { streetNumber?: string | null; streetAddress?: string | null; zip?: string | null } | null | undefined,
): string | null {
  const fold = (s: string | null | undefined) =>
    (s ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  const number = fold(p?.streetNumber);
  const street = fold(p?.streetAddress);
  return number && street ? `${number}|${street}|${fold(p?.zip).slice(0, 5)}` : null;
}
