import * as z from "zod";

/** Dotloop ids are numbers in the API and strings in webhooks; the hub keeps them as strings. */
const Id = z.union([z.number(), z.string().min(1)]).transform(String);

export const DotloopProfile = z.looseObject({
  id: Id,
  name: z.string().nullish(),
  type: z.string().nullish(),
  default: z.boolean().nullish(),
});
export type DotloopProfile = z.infer<typeof DotloopProfile>;

export const DotloopLoop = z.looseObject({
  id: Id,
  profileId: Id.optional(),
  name: z.string(),
  status: z.string().nullish(),
  transactionType: z.string().nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  loopUrl: z.string().nullish(),
});
export type DotloopLoop = z.infer<typeof DotloopLoop>;

/** Loop details: label-keyed sections of string values ("Financials" → "Purchase/Sale Price"). */
export const DotloopDetails = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]).transform(String)));
export type DotloopDetails = z.infer<typeof DotloopDetails>;

export const DotloopParticipant = z.looseObject({
  id: Id,
  fullName: z.string().nullish(),
  email: z.string().nullish(),
  role: z.string().nullish(),
  phone: z.string().nullish(),
});
export type DotloopParticipant = z.infer<typeof DotloopParticipant>;

/** The participant roles of the official sample. */
export const DotloopRole = z.enum([
  "ADMIN", "APPRAISER", "BUYER_ATTORNEY", "BUYER", "BUYING_AGENT", "BUYING_BROKER", "ESCROW_TITLE_REP",
  "HOME_IMPROVEMENT_SPECIALIST", "HOME_INSPECTOR", "HOME_SECURITY_PROVIDER", "HOME_WARRANTY_REP", "INSPECTOR",
  "INSURANCE_REP", "LANDLORD", "LISTING_AGENT", "LISTING_BROKER", "LOAN_OFFICER", "LOAN_PROCESSOR",
  "MANAGING_BROKER", "MOVING_STORAGE", "OTHER", "PROPERTY_MANAGER", "SELLER_ATTORNEY", "SELLER", "TENANT_AGENT",
  "TENANT", "TRANSACTION_COORDINATOR", "UTILITIES_PROVIDER",
]);
export type DotloopRole = z.infer<typeof DotloopRole>;

/** Transaction types and the statuses each allows (a PATCH outside the list is refused). */
export const LOOP_STATUSES = {
  PURCHASE_OFFER: ["PRE_OFFER", "UNDER_CONTRACT", "SOLD", "ARCHIVED"],
  LISTING_FOR_SALE: ["PRE_LISTING", "PRIVATE_LISTING", "ACTIVE_LISTING", "UNDER_CONTRACT", "SOLD", "ARCHIVED"],
  LISTING_FOR_LEASE: ["PRE_LISTING", "PRIVATE_LISTING", "ACTIVE_LISTING", "UNDER_CONTRACT", "LEASED", "ARCHIVED"],
  LEASE_OFFER: ["PRE_OFFER", "UNDER_CONTRACT", "LEASED", "ARCHIVED"],
  REAL_ESTATE_OTHER: ["NEW", "IN_PROGRESS", "DONE", "ARCHIVED"],
  OTHER: ["NEW", "IN_PROGRESS", "DONE", "ARCHIVED"],
} as const;
export const TransactionType = z.enum(Object.keys(LOOP_STATUSES) as [keyof typeof LOOP_STATUSES, ...Array<keyof typeof LOOP_STATUSES>]);
export type TransactionType = z.infer<typeof TransactionType>;

export const ParticipantInput = z.object({
  fullName: z.string().min(1),
  email: z.string().optional(),
  role: DotloopRole,
  phone: z.string().optional(),
});
export type ParticipantInput = z.infer<typeof ParticipantInput>;

/** The body of `POST /loop-it`: a loop, its property and its participants in one call. */
export const LoopItBody = z.object({
  name: z.string().min(1).max(200),
  transactionType: TransactionType,
  status: z.string().min(1),
  streetNumber: z.string().optional(),
  streetName: z.string().optional(),
  unit: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  zipCode: z.string().optional(),
  county: z.string().optional(),
  country: z.string().optional(),
  mlsPropertyId: z.string().optional(),
  templateId: z.number().int().optional(),
  participants: z.array(ParticipantInput).default([]),
});
export type LoopItBody = z.infer<typeof LoopItBody>;

export const LoopPatch = z.object({
  name: z.string().min(1).max(200).optional(),
  status: z.string().min(1).optional(),
  transactionType: TransactionType.optional(),
});
export type LoopPatch = z.infer<typeof LoopPatch>;

/** `{data: T}`, Dotloop's envelope for one resource. */
export const one = <T extends z.ZodType>(item: T) => z.looseObject({ data: item });
/** `{meta: {total}, data: T[]}`, the envelope of a list. */
export const many = <T extends z.ZodType>(item: T) =>
  z.looseObject({ meta: z.looseObject({ total: z.number().nullish() }).nullish(), data: z.array(item).default([]) });
