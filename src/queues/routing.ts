/**
 * Which subscriber queues each canonical event goes to. The table is data so the ingest
 * consumer, the docs and the tests read the same thing; `subscribersFor` applies the two rules
 * that depend on where an event came from.
 */
import type { CanonicalEvent, EventType, SystemName } from "../canonical";
import type { MlsMessage } from "./messages";
import type { SubscriberQueue } from "./names";

/** The queue whose adapter talks to each vendor system (and so fetches its resources). */
export const SYSTEM_QUEUE: Readonly<Partial<Record<SystemName, SubscriberQueue>>> = {
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
export const SUBSCRIBERS: Readonly<Record<EventType, readonly SubscriberQueue[]>> = {
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
export function subscribersFor(event: CanonicalEvent): SubscriberQueue[] {
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

/** The queue an MLS job rides: a note to an inquirer writes to the CRM, so the CRM's; the others, the MLS's. */
export const mlsJobQueue = (job: MlsMessage["job"]): SubscriberQueue => (job === "note" ? "crm" : "mls");

/** The queue a connection's jobs (backup polls) run on: the one whose adapter talks to its vendor. */
export function pollQueueOf(vendor: SystemName): SubscriberQueue {
  return SYSTEM_QUEUE[vendor] ?? "tms";
}
