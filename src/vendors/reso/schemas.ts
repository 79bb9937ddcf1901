/**
 * The RESO Data Dictionary 2.0 `Property`, `Member` and `Office` fields the hub reads, by their DD names and with their
 * DD types (Edm.String, Edm.Decimal prices, Edm.Int64 counts, StandardStatus values); the rest of
 * a record passes through untouched. A unit test holds every name and type against the Data
 * Dictionary itself. Text is not held to the DD's lengths: they are suggestions, and a server may
 * declare and send longer values (RCP 40, String). Keys keep a bound: the hub quotes them in the
 * URLs of its own queries. Of the lookups, StandardStatus alone is held to the DD's values (RCP 40);
 * RESO certifies MemberStatus and OfficeStatus as enumerations only, so an MLS's own are kept.
 */
import * as z from "../../lib/zod";
import { ListingStatus } from "../../canonical/primitives";

const Str = z.nullish(z.string());
/**
 * A lookup value as the Lookup resource's display name ("Active Under Contract", RCP 40 §2.2) or
 * as the OData enum name ("ActiveUnderContract"): for StandardStatus the two differ only by spaces.
 */
const spaceless = z.pipe(
  z.string(),
  z.transform((s: string) => s.replaceAll(" ", "")),
);

export const RESO_PROPERTY_SCHEMA = {
  ListingKey: z.string().check(z.minLength(1), z.maxLength(255)),
  ListingId: Str,
  ModificationTimestamp: z.iso.datetime({ offset: true }),
  StandardStatus: z.nullish(z.pipe(spaceless, ListingStatus)),
  ListPrice: z.nullish(z.number().check(z.nonnegative())),
  ClosePrice: z.nullish(z.number().check(z.nonnegative())),
  StreetNumber: Str,
  StreetDirPrefix: Str,
  StreetName: Str,
  StreetSuffix: Str,
  StreetDirSuffix: Str,
  UnitNumber: Str,
  City: Str,
  StateOrProvince: Str,
  PostalCode: Str,
  UnparsedAddress: Str,
  BedroomsTotal: z.nullish(z.int().check(z.nonnegative())),
  BathroomsTotalInteger: z.nullish(z.int().check(z.nonnegative())),
  LivingArea: z.nullish(z.number().check(z.nonnegative())),
  PropertyType: Str,
  ListAgentKey: Str,
  ListAgentFullName: Str,
  ListOfficeKey: Str,
  ListOfficeName: Str,
  ListingURL: Str,
};

export const ResoProperty = z.looseObject(RESO_PROPERTY_SCHEMA);
export type ResoProperty = z.infer<typeof ResoProperty>;

/** The DD 2.0 `Member` fields the hub reads: who a listing's agent is and how to reach them. */
export const RESO_MEMBER_SCHEMA = {
  MemberKey: z.string().check(z.minLength(1), z.maxLength(255)),
  MemberMlsId: Str,
  MemberFullName: Str,
  MemberFirstName: Str,
  MemberLastName: Str,
  MemberEmail: Str,
  MemberPreferredPhone: Str,
  MemberStatus: Str,
  OfficeKey: Str,
  OfficeMlsId: Str,
  ModificationTimestamp: z.iso.datetime({ offset: true }),
};
export const ResoMember = z.looseObject(RESO_MEMBER_SCHEMA);
export type ResoMember = z.infer<typeof ResoMember>;

/** The DD 2.0 `Office` fields the hub reads. */
export const RESO_OFFICE_SCHEMA = {
  OfficeKey: z.string().check(z.minLength(1), z.maxLength(255)),
  OfficeMlsId: Str,
  OfficeName: Str,
  OfficePhone: Str,
  OfficeEmail: Str,
  OfficeStatus: Str,
  ModificationTimestamp: z.iso.datetime({ offset: true }),
};
export const ResoOffice = z.looseObject(RESO_OFFICE_SCHEMA);
export type ResoOffice = z.infer<typeof ResoOffice>;

/** One page of a collection: `value` and, when more records match, `@odata.nextLink`. */
export const ResoPage = z.looseObject({
  value: z.array(z.record(z.string(), z.unknown())),
  "@odata.nextLink": z.optional(z.string().check(z.minLength(1))),
});
export type ResoPage = z.infer<typeof ResoPage>;
