/** The `data` payload of each canonical event type. */
import * as z from "../lib/zod";
import { Deal } from "./deal";
import { Person } from "./person";
import { DealStage, Email, IsoDateTime, SystemName, Text } from "./primitives";
import { Property } from "./property";

/** A new lead from a lead source: who, about which property, saying what. */
export const LeadReceivedData = z.object({
  person: Person,
  property: z.optional(Property),
  message: z.optional(Text),
  /** The source's own lead type ("Property Inquiry", "buyer", ...). */
  leadType: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** The source's lead id, when it has one. */
  leadId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
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
  from: z.optional(DealStage),
  to: DealStage,
  deal: z.optional(Deal),
});

export const TransactionStatusChangedData = z.object({
  from: z.optional(DealStage),
  to: DealStage,
  /** The vendor's status text, kept for humans reading the trace. */
  rawStatus: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  transaction: z.optional(Deal),
});

export const Signer = z.object({
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  email: z.optional(Email),
  recipientId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  signedAt: z.optional(IsoDateTime),
});

/** A document was signed: by everyone (`scope: envelope`) or by one recipient. */
export const DocumentSignedData = z.object({
  envelopeId: z.string().check(z.minLength(1), z.maxLength(200)),
  scope: z.enum(["envelope", "recipient"]),
  /** For `scope: recipient`, who signed. */
  recipientId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  completedAt: z.optional(IsoDateTime),
  signers: z._default(z.array(Signer), []),
  /** Custom fields the sender attached (deal ids live here when a TMS sends the envelope). */
  customFields: z._default(z.record(z.string(), z.string()), {}),
});

export const ResourceAction = z.enum(["created", "updated", "deleted", "merged", "voided", "emailed", "other"]);
export type ResourceAction = z.infer<typeof ResourceAction>;

/**
 * A thin notification: "these records of `resource` changed in `system`". It carries no record
 * data; the consumer of the system's queue fetches the records and maps them.
 */
export const ResourceChangedData = z.object({
  system: SystemName,
  /** The vendor's resource name, lower-case singular: `person`, `deal`, `loop`, `invoice`, `customer`. */
  resource: z.string().check(z.minLength(1), z.maxLength(100)),
  ids: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1)),
  action: ResourceAction,
  /** The vendor's own event name (`peopleUpdated`, `LOOP_UPDATED`, `qbo.invoice.created.v1`). */
  vendorEvent: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  uri: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  /** A merge's records merged away into `ids` (QuickBooks' `deletedid`). */
  mergedIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200)))),
});
export type ResourceChangedData = z.infer<typeof ResourceChangedData>;
