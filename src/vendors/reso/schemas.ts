/**
 * The RESO Data Dictionary 2.0 `Property`, `Member` and `Office` fields the hub reads, by their DD names and with their
 * DD types (Edm.String lengths, Edm.Decimal prices, Edm.Int64 counts, StandardStatus values); the
 * rest of a record passes through untouched. A unit test holds every name and type against the
 * Data Dictionary itself.
 */
import * as z from "../../lib/zod";
import { ListingStatus } from "../../canonical/primitives";

const Str = (max: number) => z.nullish(z.string().check(z.maxLength(max)));

export const RESO_PROPERTY_SCHEMA = {
  ListingKey: z.string().check(z.minLength(1)).check(z.maxLength(255)),
  ListingId: Str(255),
  ModificationTimestamp: z.iso.datetime({ offset: true }),
  StandardStatus: z.nullish(ListingStatus),
  ListPrice: z.nullish(z.number().check(z.nonnegative())),
  ClosePrice: z.nullish(z.number().check(z.nonnegative())),
  StreetNumber: Str(25),
  StreetDirPrefix: Str(50),
  StreetName: Str(50),
  StreetSuffix: Str(50),
  StreetDirSuffix: Str(50),
  UnitNumber: Str(25),
  City: Str(50),
  StateOrProvince: Str(50),
  PostalCode: Str(10),
  UnparsedAddress: Str(255),
  BedroomsTotal: z.nullish(z.int().check(z.nonnegative())),
  BathroomsTotalInteger: z.nullish(z.int().check(z.nonnegative())),
  LivingArea: z.nullish(z.number().check(z.nonnegative())),
  PropertyType: Str(50),
  ListAgentKey: Str(255),
  ListAgentFullName: Str(150),
  ListOfficeKey: Str(255),
  ListOfficeName: Str(255),
  ListingURL: Str(8000),
};

export const ResoProperty = z.looseObject(RESO_PROPERTY_SCHEMA);
export type ResoProperty = z.infer<typeof ResoProperty>;

/** The DD 2.0 `Member` fields the hub reads: who a listing's agent is and how to reach them. */
export const RESO_MEMBER_SCHEMA = {
  MemberKey: z.string().check(z.minLength(1)).check(z.maxLength(255)),
  MemberMlsId: Str(25),
  MemberFullName: Str(150),
  MemberFirstName: Str(50),
  MemberLastName: Str(50),
  MemberEmail: Str(80),
  MemberPreferredPhone: Str(16),
  MemberStatus: z.nullish(z.enum(["Active", "Inactive"])),
  OfficeKey: Str(255),
  OfficeMlsId: Str(25),
  ModificationTimestamp: z.iso.datetime({ offset: true }),
};
export const ResoMember = z.looseObject(RESO_MEMBER_SCHEMA);
export type ResoMember = z.infer<typeof ResoMember>;

/** The DD 2.0 `Office` fields the hub reads. */
export const RESO_OFFICE_SCHEMA = {
  OfficeKey: z.string().check(z.minLength(1)).check(z.maxLength(255)),
  OfficeMlsId: Str(25),
  OfficeName: Str(255),
  OfficePhone: Str(16),
  OfficeEmail: Str(80),
  OfficeStatus: z.nullish(z.enum(["Active", "Inactive"])),
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
