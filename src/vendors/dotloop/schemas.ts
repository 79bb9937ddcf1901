import * as z from "../../lib/zod";

/** Dotloop ids are numbers in the API and strings in webhooks; the hub keeps them as strings. */
const Id = z.pipe(z.union([z.number(), z.string().check(z.minLength(1))]), z.transform(String));

export const DotloopProfile = z.looseObject({
  id: Id,
  name: z.nullish(z.string()),
  type: z.nullish(z.string()),
  default: z.nullish(z.boolean()),
});
export type DotloopProfile = z.infer<typeof DotloopProfile>;

export const DotloopLoop = z.looseObject({
  id: Id,
  profileId: z.optional(Id),
  name: z.string(),
  status: z.nullish(z.string()),
  transactionType: z.nullish(z.string()),
  created: z.nullish(z.string()),
  updated: z.nullish(z.string()),
  loopUrl: z.nullish(z.string()),
});
export type DotloopLoop = z.infer<typeof DotloopLoop>;

/** Loop details: label-keyed sections of string values ("Financials" → "Purchase/Sale Price"). */
export const DotloopDetails = z.record(z.string(), z.record(z.string(), z.pipe(z.union([z.string(), z.number()]), z.transform(String))));
export type DotloopDetails = z.infer<typeof DotloopDetails>;

export const DotloopParticipant = z.looseObject({
  id: Id,
  fullName: z.nullish(z.string()),
  email: z.nullish(z.string()),
  role: z.nullish(z.string()),
  phone: z.nullish(z.string()),
});
export type DotloopParticipant = z.infer<typeof DotloopParticipant>;

/** The participant roles of the official sample. */
export const DotloopRole = z.enum([
  "ADMIN",
  "APPRAISER",
  "BUYER_ATTORNEY",
  "BUYER",
  "BUYING_AGENT",
  "BUYING_BROKER",
  "ESCROW_TITLE_REP",
  "HOME_IMPROVEMENT_SPECIALIST",
  "HOME_INSPECTOR",
  "HOME_SECURITY_PROVIDER",
  "HOME_WARRANTY_REP",
  "INSPECTOR",
  "INSURANCE_REP",
  "LANDLORD",
  "LISTING_AGENT",
  "LISTING_BROKER",
  "LOAN_OFFICER",
  "LOAN_PROCESSOR",
  "MANAGING_BROKER",
  "MOVING_STORAGE",
  "OTHER",
  "PROPERTY_MANAGER",
  "SELLER_ATTORNEY",
  "SELLER",
  "TENANT_AGENT",
  "TENANT",
  "TRANSACTION_COORDINATOR",
  "UTILITIES_PROVIDER",
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
  fullName: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  role: DotloopRole,
  phone: z.optional(z.string()),
});
export type ParticipantInput = z.infer<typeof ParticipantInput>;

/** The body of `POST /loop-it`: a loop, its property and its participants in one call. */
export const LoopItBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  transactionType: TransactionType,
  status: z.string().check(z.minLength(1)),
  streetNumber: z.optional(z.string()),
  streetName: z.optional(z.string()),
  unit: z.optional(z.string()),
  city: z.optional(z.string()),
  state: z.optional(z.string()),
  zipCode: z.optional(z.string()),
  county: z.optional(z.string()),
  country: z.optional(z.string()),
  mlsPropertyId: z.optional(z.string()),
  templateId: z.optional(z.int()),
  participants: z._default(z.array(ParticipantInput), []),
});
export type LoopItBody = z.infer<typeof LoopItBody>;

/** `{data: T}`, Dotloop's envelope for one resource. */
export const one = <T extends z.ZodMiniType>(item: T) => z.looseObject({ data: item });
/** `{meta: {total}, data: T[]}`, the envelope of a list. */
export const many = <T extends z.ZodMiniType>(item: T) =>
  z.looseObject({ meta: z.nullish(z.looseObject({ total: z.nullish(z.number()) })), data: z._default(z.array(item), []) });
