/** The `data` payload of each canonical event type. */
import * as z from "zod";
import { Deal } from "./deal";
import { Person } from "./person";
import { DealStage, Email, IsoDateTime, SystemName, Text } from "./primitives";
import { Property } from "./property";

/** A new lead from a lead source: who, about which property, saying what. */
export const LeadReceivedData = z.object({
  person: Person,
  property: Property.optional(),
  message: Text.optional(),
  /** The source's own lead type ("Property Inquiry", "buyer", ...). */
  leadType: z.string().min(1).max(100).optional(),
  /** The source's lead id, when it has one. */
  leadId: z.string().min(1).max(200).optional(),
});
/** The data of a `lead.received` event. */
export type LeadData = z.infer<typeof LeadReceivedData>;

/** The current state of a person as a system holds it (a snapshot, not a diff). */
export const PersonUpsertedData = z.object({ person: Person });

/** A deal as a CRM holds it. */
export const DealData = z.object({ deal: Deal });

/** A transaction (loop, file) as a TMS holds it. */
export const TransactionData = z.object({ transaction: Deal });

/** A lifecycle move; `from` is absent when the previous stage is not known. */
export const DealStageChangedData = z.object({
  from: DealStage.optional(),
  to: DealStage,
  deal: Deal.optional(),
});

export const TransactionStatusChangedData = z.object({
  from: DealStage.optional(),
  to: DealStage,
  /** The vendor's status text, kept for humans reading the trace. */
  rawStatus: z.string().min(1).max(100).optional(),
  transaction: Deal.optional(),
});

export const Signer = z.object({
  name: z.string().min(1).max(200).optional(),
  email: Email.optional(),
  recipientId: z.string().min(1).max(100).optional(),
  status: z.string().min(1).max(50).optional(),
  signedAt: IsoDateTime.optional(),
});

/** A document was signed: by everyone (`scope: envelope`) or by one recipient. */
export const DocumentSignedData = z.object({
  envelopeId: z.string().min(1).max(200),
  scope: z.enum(["envelope", "recipient"]),
  /** For `scope: recipient`, who signed. */
  recipientId: z.string().min(1).max(100).optional(),
  status: z.string().min(1).max(50).optional(),
  title: z.string().min(1).max(500).optional(),
  completedAt: IsoDateTime.optional(),
  signers: z.array(Signer).default([]),
  /** Custom fields the sender attached (deal ids live here when a TMS sends the envelope). */
  customFields: z.record(z.string(), z.string()).default({}),
});

export const ResourceAction = z.enum([
  "created",
  "updated",
  "deleted",
  "merged",
  "voided",
  "emailed",
  "other",
]);
export type ResourceAction = z.infer<typeof ResourceAction>;

/**
 * A thin notification: "these records of `resource` changed in `system`". It carries no record
 * data; the consumer of the system's queue fetches the records and maps them.
 */
export const ResourceChangedData = z.object({
  system: SystemName,
  /** The vendor's resource name, lower-case singular: `person`, `deal`, `loop`, `invoice`, `customer`. */
  resource: z.string().min(1).max(100),
  ids: z.array(z.string().min(1).max(200)).min(1),
  action: ResourceAction,
  /** The vendor's own event name (`peopleUpdated`, `LOOP_UPDATED`, `qbo.invoice.created.v1`). */
  vendorEvent: z.string().min(1).max(200).optional(),
  uri: z.string().min(1).max(2000).optional(),
});
export type ResourceChangedData = z.infer<typeof ResourceChangedData>;
