import * as z from "../../lib/zod";

const text = z.nullish(z.string());
const amount = z.nullish(z.number());

export const SkySlopeProperty = z.looseObject({
  streetNumber: text,
  streetAddress: text,
  unit: text,
  direction: text,
  city: text,
  county: text,
  state: text,
  zip: z.nullish(z.pipe(z.union([z.string(), z.number()]), z.transform(String))),
});

export const SkySlopeContact = z.looseObject({
  contactGuid: text,
  firstName: text,
  lastName: text,
  email: text,
  phoneNumber: text,
  company: text,
});

/** A sale (transaction file) as the API returns it; fields the hub does not read pass through. */
export const SkySlopeSale = z.looseObject({
  saleGuid: z.string().check(z.minLength(1)),
  listingGuid: text,
  agentGuid: text,
  mlsNumber: text,
  status: text,
  escrowNumber: text,
  salePrice: amount,
  listingPrice: amount,
  contractAcceptanceDate: text,
  escrowClosingDate: text,
  actualClosingDate: text,
  createdOn: text,
  modifiedOn: text,
  property: z.nullish(SkySlopeProperty),
  buyers: z.nullish(z.array(SkySlopeContact)),
  sellers: z.nullish(z.array(SkySlopeContact)),
  customFields: z.nullish(z.record(z.string(), z.unknown())),
});
export type SkySlopeSale = z.infer<typeof SkySlopeSale>;

/** A bulk-export file: a sale or a listing, told apart by `objectType`. */
export const SkySlopeFile = z.looseObject({
  objectType: z.string(),
  saleGuid: text,
  listingGuid: text,
  agentGuid: text,
  mlsNumber: text,
  status: text,
  createdOn: text,
  modifiedOn: text,
  property: z.nullish(SkySlopeProperty),
  customFields: z.nullish(z.record(z.string(), z.unknown())),
});
export type SkySlopeFile = z.infer<typeof SkySlopeFile>;

export const SkySlopeOffice = z.looseObject({ officeGuid: z.string().check(z.minLength(1)), name: text });
export type SkySlopeOffice = z.infer<typeof SkySlopeOffice>;

export const SkySlopeUser = z.looseObject({
  userGuid: z.string().check(z.minLength(1)),
  officeGuid: text,
  firstName: text,
  lastName: text,
  email: text,
});
export type SkySlopeUser = z.infer<typeof SkySlopeUser>;

export const SkySlopeChecklistType = z.looseObject({ checklistTypeId: z.number(), name: text, transactionType: text });
export type SkySlopeChecklistType = z.infer<typeof SkySlopeChecklistType>;

/**
 * Links SkySlope adds to answers: API hrefs relative to its base (`api/files/...`), the file's
 * page in SkySlope's UI absolute under `rel: "SkySlope"` (with `method: null`); `rel: "next"`
 * pages a list.
 */
export const Links = z.nullish(z.array(z.looseObject({ rel: z.string(), href: z.string(), method: z.nullish(z.string()) })));

const FileList = z.array(SkySlopeFile);
/**
 * The bulk export's answer. SkySlope's own sample prints a bare array; a client library reads it
 * from a root `value`; both are accepted (and `value.files`, the shape of SkySlope's other lists).
 */
export const SkySlopeFilesAnswer = z.union([
  z.pipe(
    FileList,
    z.transform((files) => ({ files, links: null })),
  ),
  z.pipe(
    z.looseObject({
      value: z.union([
        FileList,
        z.pipe(
          z.looseObject({ files: FileList }),
          z.transform((v) => v.files),
        ),
      ]),
      links: Links,
    }),
    z.transform((o) => ({ files: o.value, links: o.links })),
  ),
]);

/**
 * `POST /api/files/sales` (or `listings`): `{value: {saleGuid}, warnings, links}`, the links at
 * the top level as SkySlope's sample shows them (inside `value` accepted too).
 */
export const skySlopeCreateAnswer = (key: "saleGuid" | "listingGuid") =>
  z.pipe(
    z.looseObject({
      value: z.looseObject({ [key]: z.string().check(z.minLength(1)), links: Links }),
      warnings: z.nullish(z.array(z.unknown())),
      links: Links,
    }),
    z.transform((o) => ({
      guid: o.value[key] as string,
      warnings: o.warnings ?? [],
      links: [...(o.links ?? []), ...((o.value as { links?: z.infer<typeof Links> }).links ?? [])],
    })),
  );

/** The body of `POST /api/files/sales` (and, partially, `PUT /api/files/sales/{guid}`). */
export const SaleBody = z.object({
  agentGuid: z.string().check(z.minLength(1)),
  checklistTypeId: z.int(),
  officeGuid: z.optional(z.string()),
  mlsNumber: z.optional(z.string()),
  sourceId: z.optional(z.int()),
  apn: z.optional(z.string()),
  escrowNumber: z.optional(z.string()),
  contractAcceptanceDate: z.optional(z.string()),
  escrowClosingDate: z.optional(z.string()),
  actualClosingDate: z.optional(z.string()),
  salePrice: z.optional(z.number().check(z.nonnegative())),
  listingPrice: z.optional(z.number().check(z.nonnegative())),
  property: z.object({
    streetNumber: z.optional(z.string()),
    direction: z.optional(z.string()),
    streetAddress: z.optional(z.string()),
    unit: z.optional(z.string()),
    city: z.optional(z.string()),
    state: z.optional(z.string()),
    zip: z.optional(z.string()),
    areasqft: z.optional(z.number()),
  }),
  commission: z.optional(z.object({ saleCommissionPercent: z.optional(z.number()), salesCommissionAmount: z.optional(z.number()) })),
  customFields: z.optional(z.record(z.string(), z.string())),
});
export type SaleBody = z.infer<typeof SaleBody>;

export const ContactBody = z.object({
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  email: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
  company: z.optional(z.string()),
  streetNumber: z.optional(z.string()),
  streetName: z.optional(z.string()),
  city: z.optional(z.string()),
  state: z.optional(z.string()),
  zip: z.optional(z.string()),
});
export type ContactBody = z.infer<typeof ContactBody>;
