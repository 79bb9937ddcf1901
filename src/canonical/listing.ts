/**
 * An MLS listing as the hub keeps it: the facts leads and deals borrow (prices in integer cents,
 * the address in normalized USPS form with its match key), the RESO record as the MLS sent it,
 * and where each fact came from. `src/mls/` maps RESO records to it; `src/store/` writes it.
 */
import * as z from "zod";
import { Provenance } from "./golden";
import { Cents, IsoDateTime, ListingStatus, PostalAddress } from "./primitives";

/** A RESO record as the MLS sent it: the fields the hub reads checked, the rest passed through. */
export const ResoRecord = z.record(z.string(), z.unknown());

/** Where a record's field came from: the MLS connection and the record's change time. */
export const FieldSource = Provenance.pick({ system: true, at: true });

export const Listing = z.object({
  listingKey: z.string().min(1),
  listingId: z.string().nullable(),
  status: ListingStatus.nullable(),
  listPriceCents: Cents.nullable(),
  closePriceCents: Cents.nullable(),
  address: PostalAddress.nullable(),
  /** Number, street, suffix, unit and ZIP in normalized form: what a lead quoting only an address matches. */
  addressKey: z.string().nullable(),
  beds: z.int().nonnegative().nullable(),
  baths: z.int().nonnegative().nullable(),
  areaSqft: z.number().nonnegative().nullable(),
  propertyType: z.string().nullable(),
  listAgentKey: z.string().nullable(),
  listAgentName: z.string().nullable(),
  listOfficeKey: z.string().nullable(),
  listOfficeName: z.string().nullable(),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
  /** Field → where its value came from. */
  provenance: z.record(z.string(), FieldSource),
});
export type Listing = z.infer<typeof Listing>;
