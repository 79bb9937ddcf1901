/**
 * The scalar building blocks of the canonical model. Every value that crosses the hub is in one
 * form only: money in integer cents, dates ISO 8601, phones E.164, emails lowercase, US states as
 * two-letter codes. Normalizers produce these forms; these schemas only check them.
 */
import * as z from "../lib/zod";

/** Integer cents (never floats: 0.1 + 0.2 must not reach an invoice). */
export const Cents = z.int().check(z.nonnegative());

/** ISO 8601 instant with an explicit offset, e.g. `2024-05-01T17:00:00Z`. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** ISO 8601 calendar date (`2017-11-01`) or instant; vendor dates are often date-only. */
export const IsoDate = z.union([z.iso.date(), IsoDateTime]);

/** E.164 phone number: `+` then up to 15 digits, no leading zero. */
export const E164 = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, "phone must be E.164"));

/** An email address already lowercased; the pattern is lenient on purpose (RFC 5321 local parts vary). */
export const Email = z.email({ pattern: /^[^\s@A-Z]+@[^\s@A-Z]+\.[^\s@A-Z]+$/ }).check(z.maxLength(254));

/** Two-letter upper-case state or province code. */
export const StateCode = z.string().check(z.regex(/^[A-Z]{2}$/, "state must be a two-letter code"));

/**
 * A USPS-style address split into its Publication 28 parts; every part optional. Lengths follow
 * the RESO Data Dictionary fields they map to (see `RESO_ADDRESS_FIELDS`).
 */
/** USPS directionals (Publication 28 abbreviations). */
export const Directional = z.enum(["N", "S", "E", "W", "NE", "NW", "SE", "SW"]);

export const PostalAddress = z.object({
  number: z.optional(z.string().check(z.minLength(1), z.maxLength(25))),
  predirectional: z.optional(Directional),
  street: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  suffix: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
  postdirectional: z.optional(Directional),
  unitType: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
  unitId: z.optional(z.string().check(z.minLength(1), z.maxLength(25))),
  city: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  state: z.optional(StateCode),
  zip: z.optional(z.string().check(z.length(5), z.regex(/^\d{5}$/))),
  zip4: z.optional(z.string().check(z.length(4), z.regex(/^\d{4}$/))),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

/** PostalAddress part → RESO Data Dictionary 2.0 `Property` field. */
export const RESO_ADDRESS_FIELDS = {
  number: "StreetNumber",
  predirectional: "StreetDirPrefix",
  street: "StreetName",
  suffix: "StreetSuffix",
  postdirectional: "StreetDirSuffix",
  unitId: "UnitNumber",
  city: "City",
  state: "StateOrProvince",
  zip: "PostalCode",
  zip4: "PostalCodePlus4",
} as const satisfies Partial<Record<keyof PostalAddress, string>>;

/** The hub's own deal lifecycle; every vendor status maps onto one of these. */
export const DealStage = z.enum(["lead", "active", "showing", "offer", "under_contract", "closed", "cancelled", "archived"]);
export type DealStage = z.infer<typeof DealStage>;

/** RESO Data Dictionary 2.0 `StandardStatus` (all 11 values). */
export const ListingStatus = z.enum([
  "Active",
  "ActiveUnderContract",
  "Canceled",
  "Closed",
  "ComingSoon",
  "Delete",
  "Expired",
  "Hold",
  "Incomplete",
  "Pending",
  "Withdrawn",
]);
export type ListingStatus = z.infer<typeof ListingStatus>;

/** Webhook sources the intake route accepts (`POST /hooks/:source`); the one list of them. */
export const SourceName = z.enum(["standard", "zillow", "realtor", "idx", "followupboss", "dotloop", "quickbooks", "docusign", "reso"]);
export type SourceName = z.infer<typeof SourceName>;

/** Every system an event can come from: the webhook sources, polled vendors, and the hub itself. */
export const SystemName = z.enum([...SourceName.options, "skyslope", "liondesk", "hub"]);
export type SystemName = z.infer<typeof SystemName>;

/** A non-empty trimmed-looking string with a sane cap, for free text coming from vendors. */
export const Text = z.string().check(z.minLength(1), z.maxLength(10_000));
