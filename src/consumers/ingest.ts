import { z } from "zod";
import { ok, permanent, transient, type Result } from "../lib/result";
import { recordDelivery } from "../store/deliveries";
import { dropSpooled, readSpooled } from "../store/spool";

/** What the intake route puts on the `inbound` queue (v1). */
export const InboundMessage = z.object({
  v: z.literal(1),
  deliveryId: z.string().min(1),
  source: z.string().min(1),
  deliveryKey: z.string().min(1),
  receivedAt: z.number().int(),
  eventHint: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  spoolId: z.string().optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

/**
 * Ingest one delivery: record it once in D1 under its unique (source, delivery key) with a
 * RECEIVED trace. A copy that slipped past KV changes nothing; a copy of a delivery whose
 * processing was interrupted resumes it.
 */
export async function ingestMessage(body: unknown, env: Env): Promise<Result<{ deliveryId: string; duplicate: boolean }>> {
  const parsed = InboundMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", `inbound message: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const m = parsed.data;
  let payload: string;
  if (m.spoolId) {
    const spooled = await readSpooled(env.DB, m.spoolId);
    if (spooled === null) return transient("spool_missing", "spooled body not readable yet");
    payload = spooled;
  } else {
    payload = JSON.stringify(m.body ?? null);
  }
  const { inserted, row } = await recordDelivery(
    env.DB,
    { id: m.deliveryId, source: m.source, deliveryKey: m.deliveryKey, receivedAt: m.receivedAt, payload, ...(m.eventHint ? { eventType: m.eventHint } : {}) },
    Date.now(),
  );
  if (m.spoolId) await dropSpooled(env.DB, m.spoolId);
  return ok({ deliveryId: row.id, duplicate: !inserted && row.status !== "received" });
}
