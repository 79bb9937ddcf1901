/**
 * Queue message schemas. Each carries `v` so a consumer deployed before a producer (or after)
 * recognises a shape it does not know instead of misreading it.
 */
import * as z from "zod";
import { CanonicalEvent } from "./events";
import { SourceName } from "./primitives";
import { parseWith, type Result } from "./result";

/** Header names that must never ride on a queue message (they are secrets or signatures). */
const SECRET_HEADER = /(signature|authorization|secret|token|cookie|api-?key|system-key)/i;

/** A verified webhook delivery, as the intake route enqueues it on the `inbound` queue. */
export const InboundMessage = z
  .object({
    v: z.literal(1),
    /** The hub's id for this delivery; it becomes the prefix of every event id it yields. */
    deliveryId: z.string().min(1).max(200),
    source: SourceName,
    /** The idempotency key derived from the delivery (vendor event id or body hash). */
    deliveryKey: z.string().min(1).max(500),
    /** Epoch milliseconds when the route accepted the delivery. */
    receivedAt: z.int().positive(),
    /** The source's event name when it arrives outside the body (a header or the path). */
    eventHint: z.string().min(1).max(200).optional(),
    /** Only the non-secret headers the mapper needs (e.g. `intuit-notification-schema-version`). */
    headers: z
      .record(z.string(), z.string().max(2000))
      .default({})
      .refine((h) => Object.keys(h).every((k) => !SECRET_HEADER.test(k)), {
        message: "secret or signature headers must not be enqueued",
      }),
    /** The parsed JSON body, when it fits in a queue message. */
    body: z.unknown().optional(),
    /** Where the body was spooled when it was too large for a queue message. */
    spoolId: z.string().min(1).max(200).optional(),
  })
  .refine((m) => m.body !== undefined || m.spoolId !== undefined, {
    message: "a message carries a body or a spoolId",
    path: ["body"],
  });
export type InboundMessage = z.infer<typeof InboundMessage>;

/** A canonical event on its way to a subscriber queue (`crm`, `tms`, `accounting`). */
export const CanonicalMessage = z.object({
  v: z.literal(1),
  event: CanonicalEvent,
  /** How many times a consumer already tried this message (for logs and backoff). */
  attempt: z.int().nonnegative().optional(),
});
export type CanonicalMessage = z.infer<typeof CanonicalMessage>;

/** Parses an `inbound` queue message body; never throws. */
export function parseInboundMessage(input: unknown): Result<InboundMessage, "message_invalid"> {
  return parseWith(InboundMessage, input, "message_invalid");
}

/** Parses a subscriber queue message body; never throws. */
export function parseCanonicalMessage(input: unknown): Result<CanonicalMessage, "message_invalid"> {
  return parseWith(CanonicalMessage, input, "message_invalid");
}

/** Parses one canonical event (e.g. a row read back from D1); never throws. */
export function parseCanonicalEvent(input: unknown): Result<CanonicalEvent, "event_invalid"> {
  return parseWith(CanonicalEvent, input, "event_invalid");
}
