import type { Property } from "../canonical/property";
import { propertyFromDealName } from "../flows/under-contract";
import { dealListingStatement, findListing, findListingByStreet } from "../store/listings";
import { traceIfChangedStatement } from "../store/traces";
import { addressKey, fillProperty, houseKeyPrefix, listingAsProperty, mlsNumberIn, streetKey } from "./listing";

/**
 * The replicated listing a lead's property names (its MLS number at the property's house number,
 * else its normalized address), and the property with the listing's facts filled in where the
 * portal sent none. Null when the lead names no listing the hub holds.
 */
export async function listingForProperty(
  db: D1Database,
  property: Property | undefined,
): Promise<{ listingKey: string; property: Property } | null> {
  if (!property) return null;
  const row = await findListing(db, {
    mlsId: property.mlsId,
    addressKey: addressKey(property.address),
    house: houseKeyPrefix(property.address),
  });
  if (!row) return null;
  return { listingKey: row.listing_key, property: fillProperty(property, listingAsProperty(row)) };
}

/**
 * The replicated listing a CRM deal names, the way a lead names one: an MLS number in its name
 * ("MLS# 1234567"), else the address its name is (with ZIP, or without when one listing alone has
 * that street address). The property is the deal's own, with every fact it lacks from the MLS.
 */
export async function listingForDeal(
  db: D1Database,
  dealName: string | undefined,
): Promise<{ listingKey: string; property: Property } | null> {
  const named = propertyFromDealName(dealName);
  const mlsId = mlsNumberIn(dealName);
  const row =
    (await findListing(db, { mlsId, addressKey: addressKey(named?.address), house: houseKeyPrefix(named?.address) })) ??
    (named?.address && streetKey(named.address) ? await findListingByStreet(db, streetKey(named.address) ?? "") : null);
  if (!row) return null;
  return { listingKey: row.listing_key, property: fillProperty(named, listingAsProperty(row)) };
}

/**
 * Links a golden deal to the listing it names and returns the deal's property as the MLS knows
 * it (null when it names none). Traced once, when the link is new.
 */
export async function linkDealToListing(
  db: D1Database,
  dealId: string,
  dealName: string | undefined,
  deliveryId: string,
  now: number,
): Promise<Property | null> {
  const found = await listingForDeal(db, dealName);
  if (!found) return null;
  await db.batch([
    dealListingStatement(db, found.listingKey, dealId, now),
    traceIfChangedStatement(db, { subject: dealId, deliveryId, stage: "LISTING_LINKED", detail: `listing:${found.listingKey}`, at: now }),
  ]);
  return found.property;
}
