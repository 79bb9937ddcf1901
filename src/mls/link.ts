import type { Property } from "../canonical/property";
import { findListing } from "../store/listings";
import { addressKey, fillProperty, listingAsProperty } from "./listing";

/**
 * The replicated listing a lead's property names (its MLS number, else its normalized address),
 * and the property with the listing's facts filled in where the portal sent none. Null when the
 * lead names no listing the hub holds.
 */
export async function listingForProperty(db: D1Database, property: Property | undefined): Promise<{ listingKey: string; property: Property } | null> {
  if (!property) return null;
  const row = await findListing(db, { mlsId: property.mlsId, addressKey: addressKey(property.address) });
  if (!row) return null;
  return { listingKey: row.listing_key, property: fillProperty(property, listingAsProperty(row)) };
}
