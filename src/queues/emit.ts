import type { CanonicalEvent } from "../canonical";
import type { CanonicalMessage } from "./messages";
import { queueOf, type SubscriberQueue } from "./names";
import { subscribersFor } from "./routing";
import { sendAll } from "./send";
import { sentStatement } from "../store/outbox";

/**
 * The only way a canonical event leaves: each event goes to exactly the queues the routing table
 * names for it (`subscribersFor`), none if nobody subscribes. Several events to one queue go in
 * batches, in the order given. Returns how many messages were sent.
 */
export async function emit(env: Env, events: CanonicalEvent | readonly CanonicalEvent[]): Promise<number> {
  const list: readonly CanonicalEvent[] = "type" in events ? [events] : events;
  const byQueue = new Map<SubscriberQueue, CanonicalMessage[]>();
  for (const event of list) {
    for (const q of subscribersFor(event)) {
      const messages = byQueue.get(q) ?? [];
      messages.push({ v: 1, event });
      byQueue.set(q, messages);
    }
  }
  let sent = 0;
  for (const [q, messages] of byQueue) {
    await sendAll(
      queueOf(env, q),
      messages.map((body) => ({ body })),
    );
    sent += messages.length;
  }
  return sent;
}

/**
 * Sends events that were recorded in the outbox with the change they follow (`outboxIfChangedStatements`),
 * then forgets them. A failure leaves them recorded for the scheduled run to send; consumers apply
 * an event id once, so a copy sent twice changes nothing.
 */
export async function emitRecorded(env: Env, events: readonly CanonicalEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const sent = await emit(env, events);
  await sentStatement(
    env.DB,
    events.map((e) => e.id),
  ).run();
  return sent;
}
