/** A property (listing) as it appears in leads and deals. */
import * as z from "zod";
import { Cents, ListingStatus, PostalAddress } from "./primitives";

export const Property = z
  .object({
    mlsId: z.string().min(1).max(255).optional(),
    address: PostalAddress.optional(),
    /** List price in cents. */
    price: Cents.optional(),
    beds: z.int().nonnegative().optional(),
    /** Total bathrooms as the source states it; halves as .5 (RESO 2.0 only has integer totals). */
    baths: z.number().nonnegative().optional(),
    areaSqft: z.number().nonnegative().optional(),
    /** The source's own type label ("Single-Family Home"); RESO `PropertyType` is a coarser enum. */
    propertyType: z.string().min(1).max(100).optional(),
    listingStatus: ListingStatus.optional(),
    url: z.url().max(8000).optional(),
  })
  .refine((p) => p.mlsId !== undefined || p.address !== undefined, {
    message: "a property needs an MLS id or an address",
    path: ["address"],
  });
export type Property = z.infer<typeof Property>;

/** Property field → RESO Data Dictionary 2.0 `Property` field it corresponds to. */
export const RESO_PROPERTY_FIELDS = {
  mlsId: "ListingId",
  price: "ListPrice",
  beds: "BedroomsTotal",
  areaSqft: "LivingArea",
  listingStatus: "StandardStatus",
  url: "ListingURL",
} as const satisfies Partial<Record<keyof Property, string>>;
