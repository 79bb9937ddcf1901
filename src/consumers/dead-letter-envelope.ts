import { z } from "zod";

/** What a consumer sends to the dead-letter queue: the original message plus why it failed. */
export const DeadLetterEnvelope = z.object({
  v: z.literal(1),
  kind: z.literal("dead_letter"),
  queue: z.string(),
  messageId: z.string(),
  attempts: z.number().int().min(0),
  reason: z.enum(["permanent", "exhausted"]),
  errorCode: z.string(),
  error: z.string(),
  status: z.number().int().optional(),
  vendor: z.string().optional(),
  /** The stuck subject the failure is about, if not the message (Failure.subject). */
  subject: z.string().optional(),
  payload: z.unknown(),
});
export type DeadLetterEnvelope = z.infer<typeof DeadLetterEnvelope>;
