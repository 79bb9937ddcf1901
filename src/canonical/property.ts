/** A property (listing) as it appears in leads and deals; RESO Data Dictionary names in comments. */
import { z } from "zod";
import { Cents, ListingStatus, PostalAddress } from "./primitives";

export const Property = z
  .object({
    /** RESO `ListingId`: the MLS number shown to agents. */
    mlsId: z.string().min(1).max(255).optional(),
    address: PostalAddress.optional(),
    /** RESO `ListPrice`, in cents. */
    price: Cents.optional(),
    /** RESO `BedroomsTotal`. */
    beds: z.int().nonnegative().optional(),
    /** RESO `BathroomsTotalDecimal` (2.5 baths exist). */
    baths: z.number().nonnegative().optional(),
    /** RESO `LivingArea` in square feet. */
    areaSqft: z.number().nonnegative().optional(),
    /** The source's own type label ("Single-Family Home"); RESO `PropertyType` is coarser. */
    propertyType: z.string().min(1).max(100).optional(),
    /** RESO `StandardStatus`. */
    listingStatus: ListingStatus.optional(),
    url: z.url().optional(),
  })
  .refine((p) => p.mlsId !== undefined || p.address !== undefined, {
    message: "a property needs an MLS id or an address",
    path: ["address"],
  });
export type Property = z.infer<typeof Property>;
