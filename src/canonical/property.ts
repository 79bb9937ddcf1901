/** A property (listing) as it appears in leads and deals. */
import * as z from "../lib/zod";
import { Cents, ListingStatus, PostalAddress } from "./primitives";

export const Property = z
  .object({
    mlsId: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
    address: z.optional(PostalAddress),
    /** List price in cents. */
    price: z.optional(Cents),
    beds: z.optional(z.int().check(z.nonnegative())),
    /** Total bathrooms as the source states it; halves as .5 (RESO 2.0 only has integer totals). */
    baths: z.optional(z.number().check(z.nonnegative())),
    areaSqft: z.optional(z.number().check(z.nonnegative())),
    /** The source's own type label ("Single-Family Home"); RESO `PropertyType` is a coarser enum. */
    propertyType: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    listingStatus: z.optional(ListingStatus),
    url: z.optional(z.url().check(z.maxLength(8000))),
  })
  .check(
    z.refine((p) => p.mlsId !== undefined || p.address !== undefined, {
      message: "a property needs an MLS id or an address",
      path: ["address"],
    }),
  );
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
