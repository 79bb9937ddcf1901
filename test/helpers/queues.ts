import { overriding } from "./env";

type QueueBinding = "INBOUND" | "CRM" | "TMS" | "ACCOUNTING" | "MLS";

/** A queue binding that refuses every send, as a queue does while it is unavailable. */
const refusing = {
  send: async () => {
    throw new Error("Queue send failed: queue unavailable");
  },
  sendBatch: async () => {
    throw new Error("Queue send failed: queue unavailable");
  },
} as unknown as Queue;

/** `base` with the named queues refusing every send; every other binding as it is. */
export function withQueuesDown(base: Env, ...queues: QueueBinding[]): Env {
  return overriding(base, Object.fromEntries(queues.map((q) => [q, refusing])));
}
