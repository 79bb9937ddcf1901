import * as z from "zod";
import { SYSTEM_QUEUE, type QueueName } from "../canonical/routing";
import type { SystemName } from "../canonical/primitives";

/** A backup-poll job, enqueued by the cron on the queue of the connection's system. */
export const PollMessage = z.object({ v: z.literal(1), kind: z.literal("poll"), connection: z.string().min(1), at: z.number().int() });
export type PollMessage = z.infer<typeof PollMessage>;

export function isPollMessage(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "poll";
}

/** The queue a connection's polls run on: the one whose adapter talks to its vendor. */
export function pollQueueOf(vendor: SystemName): QueueName {
  return SYSTEM_QUEUE[vendor] ?? "tms";
}
