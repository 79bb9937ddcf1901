/** A person as the hub knows them: a lead, a client, or any party to a deal. */
import * as z from "zod";
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

export const EmailEntry = z.object({ value: Email, type: ContactType.optional() });
export const PhoneEntry = z.object({
  value: E164,
  ext: z.string().regex(/^\d{1,10}$/).optional(),
  type: ContactType.optional(),
});

/** Where a lead came from: the system that delivered it and the marketing source it names. */
export const LeadSource = z.object({
  system: SystemName,
  name: z.string().min(1).max(200),
  url: z.url().optional(),
});

/** A reference to an agent (user) in some system; any one key identifies them. */
export const AgentRef = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  email: Email.optional(),
});
export type AgentRef = z.infer<typeof AgentRef>;

/** Marketing consent as the source stated it; absent means "not stated", never "yes". */
export const Consent = z.object({
  email: z.boolean().optional(),
  sms: z.boolean().optional(),
  call: z.boolean().optional(),
});

/**
 * A person. A person always has identity: at least one valid email or phone, because without
 * one no system can match or deduplicate them (the mapper rejects such records as `no_identity`).
 */
export const Person = z
  .object({
    id: z.string().min(1).optional(),
    firstName: z.string().min(1).max(200).optional(),
    middleName: z.string().min(1).max(200).optional(),
    lastName: z.string().min(1).max(200).optional(),
    suffix: z.string().min(1).max(20).optional(),
    emails: z.array(EmailEntry).default([]),
    phones: z.array(PhoneEntry).default([]),
    address: PostalAddress.optional(),
    roles: z.array(PersonRole).default([]),
    leadSource: LeadSource.optional(),
    assignedAgent: AgentRef.optional(),
    tags: z.array(z.string().min(1).max(100)).default([]),
    consent: Consent.optional(),
  })
  .refine((p) => p.emails.length + p.phones.length > 0, {
    message: "a person needs at least one email or phone",
    path: ["emails"],
  });
export type Person = z.infer<typeof Person>;

/** A pointer to a person held by another system, when the record itself is not inline. */
export const PersonRef = z.object({ system: SystemName, externalId: z.string().min(1) });
export type PersonRef = z.infer<typeof PersonRef>;
