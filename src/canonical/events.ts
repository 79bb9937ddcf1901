/**
 * Canonical events: one envelope, a `type` from a closed list, and a `data` payload typed per
 * type (a zod discriminated union on `type`). `schemaVersion` is a literal so a breaking change
 * becomes a new version, never a silent reinterpretation.
 */
import * as z from "../lib/zod";
import {
  DealData,
  DealStageChangedData,
  DocumentSignedData,
  LeadReceivedData,
  PersonUpsertedData,
  ResourceChangedData,
  TransactionData,
  TransactionStatusChangedData,
} from "./event-data";
import { IsoDateTime, SystemName } from "./primitives";
import { parseWith, type Result as ParseResult } from "./result";

export const SubjectKind = z.enum(["person", "deal", "transaction", "document", "invoice", "other"]);
export type SubjectKind = z.infer<typeof SubjectKind>;

export const EventSource = z.object({
  system: SystemName,
  /** The vendor account the event belongs to (QuickBooks realm, Dotloop profile, ...). */
  account: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** The vendor's own id for the event or record, when it has one. */
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** The hub's id of the webhook delivery (or poll) that produced this event. */
  deliveryId: z.string().check(z.minLength(1), z.maxLength(200)),
});

export const EventSubject = z.object({
  kind: SubjectKind,
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

export const Envelope = z.object({
  /** Deterministic per delivery, so a replayed delivery yields the same ids (D1 dedupes on it). */
  id: z.string().check(z.minLength(1), z.maxLength(300)),
  schemaVersion: z.literal(1),
  occurredAt: IsoDateTime,
  receivedAt: IsoDateTime,
  source: EventSource,
  subject: EventSubject,
  /**
   * On the changes the hub derives from its own golden records (a person's contact change, a
   * deal's status change): the record's version the change carries (its `updated_at`), larger for
   * every later change of the record. Consumers order a late or replayed copy by it; the id is an
   * idempotency key only and says nothing about order. Absent on events mapped from a vendor.
   */
  recordVersion: z.optional(z.int().check(z.nonnegative())),
});

/** Every canonical event type and the schema of its `data`. */
const DATA = {
  "lead.received": LeadReceivedData,
  "person.upserted": PersonUpsertedData,
  "deal.created": DealData,
  "deal.upserted": DealData,
  "deal.stage_changed": DealStageChangedData,
  "transaction.created": TransactionData,
  "transaction.upserted": TransactionData,
  "transaction.status_changed": TransactionStatusChangedData,
  "transaction.closed": TransactionData,
  "document.signed": DocumentSignedData,
  "invoice.changed": ResourceChangedData,
  "vendor.resource_changed": ResourceChangedData,
} as const;

function member<T extends keyof typeof DATA>(type: T) {
  return z.extend(Envelope, { type: z.literal(type), data: DATA[type] });
}

/** One schema per event type, keyed by type; used for JSON Schema export. */
export const EVENT_SCHEMAS = {
  "lead.received": member("lead.received"),
  "person.upserted": member("person.upserted"),
  "deal.created": member("deal.created"),
  "deal.upserted": member("deal.upserted"),
  "deal.stage_changed": member("deal.stage_changed"),
  "transaction.created": member("transaction.created"),
  "transaction.upserted": member("transaction.upserted"),
  "transaction.status_changed": member("transaction.status_changed"),
  "transaction.closed": member("transaction.closed"),
  "document.signed": member("document.signed"),
  "invoice.changed": member("invoice.changed"),
  "vendor.resource_changed": member("vendor.resource_changed"),
} as const;

export const EventType = z.enum(Object.keys(DATA) as [keyof typeof DATA, ...(keyof typeof DATA)[]]);
export type EventType = z.infer<typeof EventType>;

export const CanonicalEvent = z.discriminatedUnion("type", [
  EVENT_SCHEMAS["lead.received"],
  EVENT_SCHEMAS["person.upserted"],
  EVENT_SCHEMAS["deal.created"],
  EVENT_SCHEMAS["deal.upserted"],
  EVENT_SCHEMAS["deal.stage_changed"],
  EVENT_SCHEMAS["transaction.created"],
  EVENT_SCHEMAS["transaction.upserted"],
  EVENT_SCHEMAS["transaction.status_changed"],
  EVENT_SCHEMAS["transaction.closed"],
  EVENT_SCHEMAS["document.signed"],
  EVENT_SCHEMAS["invoice.changed"],
  EVENT_SCHEMAS["vendor.resource_changed"],
]);
export type CanonicalEvent = z.infer<typeof CanonicalEvent>;

/** The event of one type, e.g. `EventOf<"lead.received">`. */
export type EventOf<T extends EventType> = Extract<CanonicalEvent, { type: T }>;

/** The `data` of one event type, as a producer builds it (defaults not yet applied). */
export type EventDataInput<T extends EventType> = z.input<(typeof DATA)[T]>;

/** Parses one canonical event (e.g. a row read back from D1); never throws. */
export function parseCanonicalEvent(input: unknown): ParseResult<CanonicalEvent, "event_invalid"> {
  return parseWith(CanonicalEvent, input, "event_invalid");
}
