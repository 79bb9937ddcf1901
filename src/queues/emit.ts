import type { CanonicalEvent } from "../canonical";
import { subscribersFor } from "./routing";
import type { CanonicalMessage } from "./messages";
import { queueOf, type SubscriberQueue } from "./names";


/** Publishes canonical events to the queues of their subscribers, one batch per queue. */
export async function publishEvents(env: Env, events: CanonicalEvent[]): Promise<number> {
  const byQueue = new Map<SubscriberQueue, CanonicalMessage[]>();
  for (const event of events) {
    for (const q of subscribersFor(event)) {
      const list = byQueue.get(q) ?? [];
      list.push({ v: 1, event });
      byQueue.set(q, list);
    }
  }
  let sent = 0;
  for (const [q, messages] of byQueue) {
    await queueOf(env, q).sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
    sent += messages.length;
  }
  return sent;
}
