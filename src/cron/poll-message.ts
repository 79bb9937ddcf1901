import { z } from "zod";

/** A backup-poll job, enqueued by the cron on the queue of the connection's system. */
export const PollMessage = z.object({ v: z.literal(1), kind: z.literal("poll"), connection: z.string().min(1), at: z.number().int() });
export type PollMessage = z.infer<typeof PollMessage>;

export function isPollMessage(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "poll";
}
