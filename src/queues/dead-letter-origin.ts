import { SystemName } from "../canonical";
import { CanonicalMessage, HealthMessage, InboundMessage, MergeMessage, MlsMessage, PollMessage } from "./messages";
import type { QueueName } from "./names";
import { mlsJobQueue, pollQueueOf, subscribersFor } from "./routing";

/**
 * Where a message the platform moved to the dead-letter queue came from. The platform moves the
 * raw body, with no word of its queue (a consumer crashed outright, or max_retries ran out), so
 * the queue is read off the message itself: each of the hub's message kinds travels on known
 * queues only.
 */
export type DeadLetterOrigin = { known: true; queues: QueueName[]; basis: string } | { known: false; reason: string };

/** What the inference may consult besides the body; all optional, all plain data. */
export interface OriginHints {
  /** The configured connections, to find a poll's vendor (and so its queue). */
  connections?: ReadonlyArray<{ id: string; vendor: string }>;
  /** Queues that recorded failed attempts of this message id, if any: narrows a shared event. */
  attemptedOn?: readonly string[];
}

/**
 * Infers the queue(s) a raw dead-lettered body belongs to: an inbound delivery to `inbound`, a
 * canonical event to the queues its type is routed to, a poll or a health check to its
 * connection's vendor queue, an auto-merge or an MLS note to `crm`, another MLS job to `mls`.
 * An event routed to several queues came from one of them, which the body does not tell; unless
 * the attempt history narrows it, all of them are returned (the consumers are idempotent, so a
 * replay to a queue that already applied it changes nothing). Anything else is unknown.
 */
export function inferDeadLetterOrigin(body: unknown, hints: OriginHints = {}): DeadLetterOrigin {
  const poll = PollMessage.safeParse(body);
  const health = HealthMessage.safeParse(body);
  const job = poll.success ? { what: "a poll", ...poll.data } : health.success ? { what: "a health check", ...health.data } : null;
  if (job) {
    const { connection } = job;
    // Connection ids are `<vendor>:<name>` (config schema), so a connection since removed from
    // the configuration still names its vendor.
    const vendor = SystemName.safeParse(hints.connections?.find((c) => c.id === connection)?.vendor ?? connection.split(":")[0]);
    if (!vendor.success) return { known: false, reason: `${job.what} of connection '${connection}', whose vendor is not known` };
    return { known: true, queues: [pollQueueOf(vendor.data)], basis: `${job.what} of connection ${connection}` };
  }
  if (MergeMessage.safeParse(body).success) return { known: true, queues: ["crm"], basis: "an auto-merge" };
  const mls = MlsMessage.safeParse(body);
  if (mls.success) return { known: true, queues: [mlsJobQueue(mls.data.job)], basis: `an MLS ${mls.data.job} job` };
  if (InboundMessage.safeParse(body).success) return { known: true, queues: ["inbound"], basis: "an inbound delivery" };
  const canonical = CanonicalMessage.safeParse(body);
  if (canonical.success) {
    const { event } = canonical.data;
    const routed: QueueName[] = subscribersFor(event);
    if (routed.length === 0) return { known: false, reason: `a canonical ${event.type} event that no queue subscribes to` };
    const narrowed = routed.filter((q) => hints.attemptedOn?.includes(q));
    const queues = narrowed.length === 1 ? narrowed : routed;
    return { known: true, queues, basis: `a canonical ${event.type} event` };
  }
  return { known: false, reason: "its body is none of the hub's queue messages (inbound delivery, canonical event or poll)" };
}
