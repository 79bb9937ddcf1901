/**
 * Pure mapping of a RESO `Property` record to the hub's listing golden record, and of a listing
 * to the canonical property a lead or deal carries. Prices become integer cents, the address the
 * hub's normalized USPS form (with a match key for leads that quote only an address).
 */
import type { Listing } from "../canonical/listing";
import type { Property } from "../canonical/property";
import type { PostalAddress } from "../canonical/primitives";
import { formatAddressLine, normalizeAddress, parseMoney } from "../normalize";
import { ResoProperty } from "../vendors/reso/schemas";

export type ListingMap = { ok: true; listing: Listing } | { ok: false; key: string | null; reason: string };

/** The trace subject of a listing, by its ListingKey. */
export const listingSubject = (key: string) => `listing:${key}`;

const cents = (n: number | null | undefined): number | null => {
  if (n === null || n === undefined) return null;
  const m = parseMoney(n);
  return m.ok ? m.value : null;
};

/**
 * The match key of an address: number, street, suffix, unit and ZIP in normalized form. Null
 * when the address lacks a number, street or ZIP (too little to match a listing by).
 */
export function addressKey(a: PostalAddress | undefined | null): string | null {
  if (!a?.number || !a.street || !a.zip) return null;
  return [a.number, a.predirectional, a.street, a.suffix, a.postdirectional, a.unitId, a.zip].map((p) => (p ?? "").toUpperCase()).join("|");
}

/** How every match key of an address at this house number starts (`addressKey`, `streetKey`). */
export function houseKeyPrefix(a: PostalAddress | undefined | null): string | undefined {
  return a?.number ? `${a.number.toUpperCase()}|` : undefined;
}

/**
 * The match key of an address without its ZIP (number, street, suffix, unit): deal names often
 * say only "4512 Oak Ln". Null without a number and a street.
 */
export function streetKey(a: PostalAddress | undefined | null): string | null {
  if (!a?.number || !a.street) return null;
  return `${[a.number, a.predirectional, a.street, a.suffix, a.postdirectional, a.unitId].map((p) => (p ?? "").toUpperCase()).join("|")}|`;
}

/** The MLS number a deal's name quotes ("MLS# 1234567", "MLS 1234567", "MLS #: A1234"); it has a digit. */
export function mlsNumberIn(name: string | undefined): string | undefined {
  const m = name ? /\bMLS\s*(?:#|No\.?|Number)?\s*:?\s*((?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,29})\b/i.exec(name) : null;
  return m?.[1];
}

function listingAddress(p: ResoProperty): PostalAddress | null {
  const street = [p.StreetDirPrefix, p.StreetName, p.StreetSuffix, p.StreetDirSuffix]
    .filter((s): s is string => typeof s === "string" && s !== "")
    .join(" ");
  const n = normalizeAddress({
    ...(p.StreetNumber ? { number: p.StreetNumber } : {}),
    ...(street ? { street } : {}),
    ...(p.UnitNumber ? { unit: p.UnitNumber } : {}),
    ...(p.City ? { city: p.City } : {}),
    ...(p.StateOrProvince ? { state: p.StateOrProvince } : {}),
    ...(p.PostalCode ? { zip: p.PostalCode } : {}),
  });
  return n.ok ? n.value : null;
}

/** A RESO Property record as a listing, or why it cannot be one (named by its key when it has one). */
export function toListing(raw: Record<string, unknown>, connection: string): ListingMap {
  const parsed = ResoProperty.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      key: typeof raw["ListingKey"] === "string" ? raw["ListingKey"] : null,
      reason: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    };
  }
  const p = parsed.data;
  const address = listingAddress(p);
  const listing: Listing = {
    listingKey: p.ListingKey,
    listingId: p.ListingId ?? null,
    status: p.StandardStatus ?? null,
    listPriceCents: cents(p.ListPrice),
    closePriceCents: cents(p.ClosePrice),
    address,
    addressKey: addressKey(address),
    beds: p.BedroomsTotal ?? null,
    baths: p.BathroomsTotalInteger ?? null,
    areaSqft: p.LivingArea ?? null,
    propertyType: p.PropertyType ?? null,
    listAgentKey: p.ListAgentKey ?? null,
    listAgentName: p.ListAgentFullName ?? null,
    listOfficeKey: p.ListOfficeKey ?? null,
    listOfficeName: p.ListOfficeName ?? null,
    modifiedAt: p.ModificationTimestamp,
    modifiedMs: Date.parse(p.ModificationTimestamp),
    data: p,
    provenance: {},
  };
  const src = { system: connection, at: p.ModificationTimestamp };
  for (const [field, value] of Object.entries(listing)) {
    if (value !== null && field !== "data" && field !== "provenance" && field !== "modifiedMs") listing.provenance[field] = src;
  }
  return { ok: true, listing };
}

/** A listing as the canonical property leads and deals carry. */
export function listingAsProperty(l: {
  listing_id: string | null;
  address: string | null;
  list_price_cents: number | null;
  beds: number | null;
  baths: number | null;
  area_sqft: number | null;
  property_type: string | null;
  standard_status: string | null;
}): Partial<Property> {
  const out: Record<string, unknown> = {};
  if (l.listing_id) out["mlsId"] = l.listing_id;
  if (l.address) out["address"] = JSON.parse(l.address) as PostalAddress;
  if (l.list_price_cents !== null) out["price"] = l.list_price_cents;
  if (l.beds !== null) out["beds"] = l.beds;
  if (l.baths !== null) out["baths"] = l.baths;
  if (l.area_sqft !== null) out["areaSqft"] = l.area_sqft;
  if (l.property_type) out["propertyType"] = l.property_type;
  if (l.standard_status) out["listingStatus"] = l.standard_status;
  return out as Partial<Property>;
}

/**
 * The lead's property with the listing's facts where the portal sent nothing: what the lead
 * itself says is kept (it is what the person saw), and every missing fact comes from the MLS.
 */
export function fillProperty(lead: Property | undefined, listing: Partial<Property>): Property {
  const merged: Record<string, unknown> = { ...listing };
  for (const [k, v] of Object.entries(lead ?? {})) if (v !== undefined) merged[k] = v;
  if (lead?.address && listing.address) merged["address"] = { ...listing.address, ...lead.address };
  return merged as Property;
}

/** What changed between two versions of a listing that people who asked about it care about. */
export function listingChanges(before: { standard_status: string | null; list_price_cents: number | null }, after: Listing): string[] {
  const out: string[] = [];
  if (before.standard_status !== after.status) out.push(`status ${before.standard_status ?? "unknown"} → ${after.status ?? "unknown"}`);
  if (before.list_price_cents !== after.listPriceCents)
    out.push(`price ${dollars(before.list_price_cents)} → ${dollars(after.listPriceCents)}`);
  return out;
}

const dollars = (c: number | null) => (c === null ? "none" : `$${(c / 100).toLocaleString("en-US")}`);

/** The one-line address of a listing, for notes and the dashboard. */
export function listingLine(address: PostalAddress | null): string {
  if (!address) return "";
  return [formatAddressLine(address), address.city, [address.state, address.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
}
