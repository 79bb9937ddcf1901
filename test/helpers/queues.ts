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

/** A queue binding that takes every send and delivers nothing: the sender's own work is looked at, its jobs not run. */
const swallowing = { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue;

/** `base` whose queues take what is sent to them and deliver none of it. */
export function withJobsHeld(base: Env): Env {
  return overriding(base, { INBOUND: swallowing, CRM: swallowing, TMS: swallowing, ACCOUNTING: swallowing, MLS: swallowing });
}
