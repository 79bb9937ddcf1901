/** A person as the hub knows them: a lead, a client, or any party to a deal. */
import * as z from "../lib/zod";
import { E164, Email, PostalAddress, SystemName } from "./primitives";

export const PersonRole = z.enum([
  "buyer",
  "seller",
  "listing_agent",
  "buying_agent",
  "co_op_agent",
  "lender",
  "attorney",
  "escrow",
  "tenant",
  "landlord",
  "other",
]);
export type PersonRole = z.infer<typeof PersonRole>;

export const ContactType = z.enum(["home", "work", "mobile", "fax", "other"]);

export const EmailEntry = z.object({ value: Email, type: z.optional(ContactType) });
export const PhoneEntry = z.object({
  value: E164,
  ext: z.optional(z.string().check(z.regex(/^\d{1,10}$/))),
  type: z.optional(ContactType),
});

/** Where a lead came from: the system that delivered it and the marketing source it names. */
export const LeadSource = z.object({
  system: SystemName,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  url: z.optional(z.url()),
});

/** A reference to an agent (user) in some system; any one key identifies them. */
export const AgentRef = z.object({
  id: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.string().check(z.minLength(1))),
  email: z.optional(Email),
});
export type AgentRef = z.infer<typeof AgentRef>;

/** Marketing consent as the source stated it; absent means "not stated", never "yes". */
export const Consent = z.object({
  email: z.optional(z.boolean()),
  sms: z.optional(z.boolean()),
  call: z.optional(z.boolean()),
});

/**
 * A person. A person always has identity: at least one valid email or phone, because without
 * one no system can match or deduplicate them (the mapper rejects such records as `no_identity`).
 */
export const Person = z
  .object({
    id: z.optional(z.string().check(z.minLength(1))),
    firstName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    middleName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    lastName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    suffix: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
    emails: z._default(z.array(EmailEntry), []),
    phones: z._default(z.array(PhoneEntry), []),
    address: z.optional(PostalAddress),
    roles: z._default(z.array(PersonRole), []),
    leadSource: z.optional(LeadSource),
    assignedAgent: z.optional(AgentRef),
    tags: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(100))), []),
    consent: z.optional(Consent),
  })
  .check(
    z.refine((p) => p.emails.length + p.phones.length > 0, {
      message: "a person needs at least one email or phone",
      path: ["emails"],
    }),
  );
export type Person = z.infer<typeof Person>;

/** A pointer to a person held by another system, when the record itself is not inline. */
export const PersonRef = z.object({ system: SystemName, externalId: z.string().check(z.minLength(1)) });
export type PersonRef = z.infer<typeof PersonRef>;
