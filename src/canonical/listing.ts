/**
 * An MLS listing as the hub keeps it: the facts leads and deals borrow (prices in integer cents,
 * the address in normalized USPS form with its match key), the RESO record as the MLS sent it,
 * and where each fact came from. `src/mls/` maps RESO records to it; `src/store/` writes it.
 */
import * as z from "../lib/zod";
import { Provenance } from "./golden";
import { Cents, IsoDateTime, ListingStatus, PostalAddress } from "./primitives";

/** A RESO record as the MLS sent it: the fields the hub reads checked, the rest passed through. */
export const ResoRecord = z.record(z.string(), z.unknown());

/** Where a record's field came from: the MLS connection and the record's change time. */
export const FieldSource = z.pick(Provenance, { system: true, at: true });

export const Listing = z.object({
  listingKey: z.string().check(z.minLength(1)),
  listingId: z.nullable(z.string()),
  status: z.nullable(ListingStatus),
  listPriceCents: z.nullable(Cents),
  closePriceCents: z.nullable(Cents),
  address: z.nullable(PostalAddress),
  /** Number, street, suffix, unit and ZIP in normalized form: what a lead quoting only an address matches. */
  addressKey: z.nullable(z.string()),
  beds: z.nullable(z.int().check(z.nonnegative())),
  baths: z.nullable(z.int().check(z.nonnegative())),
  areaSqft: z.nullable(z.number().check(z.nonnegative())),
  propertyType: z.nullable(z.string()),
  listAgentKey: z.nullable(z.string()),
  listAgentName: z.nullable(z.string()),
  listOfficeKey: z.nullable(z.string()),
  listOfficeName: z.nullable(z.string()),
  modifiedAt: IsoDateTime,
  modifiedMs: z.number(),
  data: ResoRecord,
  /** Field → where its value came from. */
  provenance: z.record(z.string(), FieldSource),
});
export type Listing = z.infer<typeof Listing>;
