/**
 * Which subscriber queues each canonical event goes to. The table is data so the ingest
 * consumer, the docs and the tests read the same thing; `subscribersFor` applies the two rules
 * that depend on where an event came from.
 */
import * as z from "zod";
import type { CanonicalEvent, EventType } from "./events";
import type { SystemName } from "./primitives";

export const QueueName = z.enum(["crm", "tms", "accounting", "mls"]);
export type QueueName = z.infer<typeof QueueName>;

/** The queue whose adapter talks to each vendor system (and so fetches its resources). */
export const SYSTEM_QUEUE: Readonly<Partial<Record<SystemName, QueueName>>> = {
  followupboss: "crm",
  liondesk: "crm",
  dotloop: "tms",
  skyslope: "tms",
  quickbooks: "accounting",
  reso: "mls",
};

/**
 * The static routing table. Two entries are refined per event by `subscribersFor`:
 * `deal.stage_changed` also goes to `crm` when a TMS reported it, and `vendor.resource_changed`
 * goes only to the queue of the system that must fetch the resource (the table lists every
 * queue that can own a fetch).
 */
export const SUBSCRIBERS: Readonly<Record<EventType, readonly QueueName[]>> = {
  "lead.received": ["crm"],
  "person.upserted": ["crm", "tms"],
  "deal.created": ["tms"],
  "deal.upserted": ["tms"],
  "deal.stage_changed": ["tms"],
  "transaction.created": ["crm"],
  "transaction.upserted": ["crm"],
  "transaction.status_changed": ["crm"],
  "transaction.closed": ["accounting", "crm"],
  "document.signed": ["crm"],
  "invoice.changed": ["accounting"],
  "vendor.resource_changed": ["crm", "tms", "accounting", "mls"],
};

/** The queues one event must be published to; empty means "record only" (nobody subscribes). */
export function subscribersFor(event: CanonicalEvent): QueueName[] {
  if (event.type === "vendor.resource_changed") {
    const q = SYSTEM_QUEUE[event.data.system];
    return q ? [q] : [];
  }
  const base = [...SUBSCRIBERS[event.type]];
  if (event.type === "deal.stage_changed" && SYSTEM_QUEUE[event.source.system] === "tms") {
    if (!base.includes("crm")) base.push("crm");
  }
  return base;
}
