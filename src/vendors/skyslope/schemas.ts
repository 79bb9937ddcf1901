import * as z from "zod";

const text = z.string().nullish();
const amount = z.number().nullish();

export const SkySlopeProperty = z.looseObject({
  streetNumber: text,
  streetAddress: text,
  unit: text,
  direction: text,
  city: text,
  county: text,
  state: text,
  zip: z.union([z.string(), z.number()]).transform(String).nullish(),
});

export const SkySlopeContact = z.looseObject({ contactGuid: text, firstName: text, lastName: text, email: text, phoneNumber: text, company: text });

/** A sale (transaction file) as the API returns it; fields the hub does not read pass through. */
export const SkySlopeSale = z.looseObject({
  saleGuid: z.string().min(1),
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
  property: SkySlopeProperty.nullish(),
  buyers: z.array(SkySlopeContact).nullish(),
  sellers: z.array(SkySlopeContact).nullish(),
  customFields: z.record(z.string(), z.unknown()).nullish(),
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
  property: SkySlopeProperty.nullish(),
  customFields: z.record(z.string(), z.unknown()).nullish(),
});
export type SkySlopeFile = z.infer<typeof SkySlopeFile>;

export const SkySlopeOffice = z.looseObject({ officeGuid: z.string().min(1), name: text });
export type SkySlopeOffice = z.infer<typeof SkySlopeOffice>;

export const SkySlopeUser = z.looseObject({ userGuid: z.string().min(1), officeGuid: text, firstName: text, lastName: text, email: text });
export type SkySlopeUser = z.infer<typeof SkySlopeUser>;

export const SkySlopeChecklistType = z.looseObject({ checklistTypeId: z.number(), name: text, transactionType: text });
export type SkySlopeChecklistType = z.infer<typeof SkySlopeChecklistType>;

/**
 * Links SkySlope adds to answers: API hrefs relative to its base (`api/files/...`), the file's
 * page in SkySlope's UI absolute under `rel: "SkySlope"` (with `method: null`); `rel: "next"`
 * pages a list.
 */
export const Links = z.array(z.looseObject({ rel: z.string(), href: z.string(), method: z.string().nullish() })).nullish();

const FileList = z.array(SkySlopeFile);
/**
 * The bulk export's answer. SkySlope's own sample prints a bare array; a client library reads it
 * from a root `value`; both are accepted (and `value.files`, the shape of SkySlope's other lists).
 */
export const SkySlopeFilesAnswer = z.union([
  FileList.transform((files) => ({ files, links: null })),
  z
    .looseObject({ value: z.union([FileList, z.looseObject({ files: FileList }).transform((v) => v.files)]), links: Links })
    .transform((o) => ({ files: o.value, links: o.links })),
]);

/**
 * `POST /api/files/sales` (or `listings`): `{value: {saleGuid}, warnings, links}`, the links at
 * the top level as SkySlope's sample shows them (inside `value` accepted too).
 */
export const skySlopeCreateAnswer = (key: "saleGuid" | "listingGuid") =>
  z
    .looseObject({ value: z.looseObject({ [key]: z.string().min(1), links: Links }), warnings: z.array(z.unknown()).nullish(), links: Links })
    .transform((o) => ({
      guid: o.value[key] as string,
      warnings: o.warnings ?? [],
      links: [...(o.links ?? []), ...(((o.value as { links?: z.infer<typeof Links> }).links) ?? [])],
    }));

/** The body of `POST /api/files/sales` (and, partially, `PUT /api/files/sales/{guid}`). */
export const SaleBody = z.object({
  agentGuid: z.string().min(1),
  checklistTypeId: z.number().int(),
  officeGuid: z.string().optional(),
  mlsNumber: z.string().optional(),
  sourceId: z.number().int().optional(),
  apn: z.string().optional(),
  escrowNumber: z.string().optional(),
  contractAcceptanceDate: z.string().optional(),
  escrowClosingDate: z.string().optional(),
  actualClosingDate: z.string().optional(),
  salePrice: z.number().nonnegative().optional(),
  listingPrice: z.number().nonnegative().optional(),
  property: z.object({
    streetNumber: z.string().optional(),
    direction: z.string().optional(),
    streetAddress: z.string().optional(),
    unit: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    zip: z.string().optional(),
    areasqft: z.number().optional(),
  }),
  commission: z.object({ saleCommissionPercent: z.number().optional(), salesCommissionAmount: z.number().optional() }).optional(),
  customFields: z.record(z.string(), z.string()).optional(),
});
export type SaleBody = z.infer<typeof SaleBody>;

export const ContactBody = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  company: z.string().optional(),
  streetNumber: z.string().optional(),
  streetName: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
});
export type ContactBody = z.infer<typeof ContactBody>;
