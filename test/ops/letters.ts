/** Dead letters made the way the consumers make them: the original message in our envelope on the DLQ. */
import { env } from "cloudflare:workers";
import type { CanonicalMessage, InboundMessage } from "../../src/queues/messages";
import type { DeadLetterEnvelope } from "../../src/queues/messages";
import { mapDelivery } from "../../src/mapping";
import { recordAttempt, upsertDeadLetter } from "../../src/store/dead-letters";
import { eventually } from "../helpers/deliveries";
import { zillowLead, type Lead } from "./helpers";

/** The inbound message the /hooks route enqueues for a Zillow lead. */
export function inboundLead(lead: Lead, deliveryId = `dlv_${crypto.randomUUID()}`): InboundMessage {
  return {
    v: 1,
    deliveryId,
    source: "zillow",
    deliveryKey: `id:msg_${crypto.randomUUID()}`,
    receivedAt: Date.now(),
    headers: {},
    body: zillowLead(lead),
  };
}

/** The crm-queue message the ingest consumer publishes for a Zillow lead (mapped by the real mapper). */
export function crmLead(lead: Lead): CanonicalMessage {
  const deliveryId = `dlv_${crypto.randomUUID()}`;
  const mapped = mapDelivery("zillow", zillowLead(lead), { deliveryId, receivedAt: Date.now(), headers: {} });
  if (!mapped.ok) throw new Error(mapped.reason);
  const event = mapped.events.find((e) => e.type === "lead.received");
  if (!event) throw new Error("no lead.received event");
  return { v: 1, event };
}

/**
 * Dead-letters `payload` as runBatch does after a permanent vendor failure: the attempt goes to
 * message_attempts, the envelope to the DLQ, whose consumer stores it. Returns the letter id.
 */
export async function deadLetter(
  payload: unknown,
  opts: { queue: string; code: string; vendor?: string; status?: number; messageId?: string },
): Promise<string> {
  const messageId = opts.messageId ?? `msg-${crypto.randomUUID()}`;
  const status = opts.status ?? 422;
  await recordAttempt(env.DB, {
    queue: opts.queue,
    messageId,
    attempt: 1,
    status,
    code: opts.code,
    error: `HTTP ${status}`,
    at: Date.now(),
  });
  const envelope: DeadLetterEnvelope = {
    v: 1,
    kind: "dead_letter",
    queue: opts.queue,
    messageId,
    attempts: 1,
    reason: "permanent",
    errorCode: opts.code,
    error: `HTTP ${status} from the vendor`,
    status,
    ...(opts.vendor ? { vendor: opts.vendor } : {}),
    payload,
  };
  await env.DEAD_LETTER.send(envelope);
  const row = await eventually(
    () =>
      env.DB.prepare(`SELECT id FROM dead_letters WHERE queue = ?1 AND message_id = ?2`)
        .bind(opts.queue, messageId)
        .first<{ id: string }>(),
    10_000,
  );
  return row.id;
}

export async function letterStatus(id: string): Promise<string | undefined> {
  const row = await env.DB.prepare(`SELECT status FROM dead_letters WHERE id = ?1`).bind(id).first<{ status: string }>();
  return row?.status;
}

export async function personByEmail(email: string): Promise<string | undefined> {
  const row = await env.DB.prepare(`SELECT person_id FROM person_keys WHERE kind = 'email' AND value = ?1`)
    .bind(email.toLowerCase())
    .first<{ person_id: string }>();
  return row?.person_id;
}

/**
 * Sends `body` raw to the dead-letter queue, as the platform does when a consumer crashed
 * outright or max_retries ran out, and waits for its consumer to store it. `marker` is a string
 * unique to the body, to find its letter. Returns the letter id.
 */
export async function rawDeadLetter(body: unknown, marker: string): Promise<string> {
  await env.DEAD_LETTER.send(body, { contentType: "json" });
  const row = await eventually(
    () =>
      env.DB.prepare(`SELECT id FROM dead_letters WHERE payload LIKE '%' || ?1 || '%' AND replay_of IS NULL`)
        .bind(marker)
        .first<{ id: string }>(),
    10_000,
  );
  return row.id;
}

/**
 * Stores `count` open letters on `queue` under error code `code` the way the dead-letter consumer
 * stores them (`upsertDeadLetter`), each holding a CRM lead message. Letters come in groups of
 * ten sharing one creation time, so ordering and paging must break ties by id. Returns the ids.
 */
export async function storeLetters(
  count: number,
  opts: { code: string; queue?: string; at?: number; subject?: string },
): Promise<string[]> {
  const at = opts.at ?? Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `dl_${opts.code}_${String(i).padStart(4, "0")}_${crypto.randomUUID().slice(0, 6)}`;
    const payload = JSON.stringify(crmLead({ email: `many${i}.${opts.code}@example.com`, name: `Mo Many${i}`, phone: "(512) 555-0142" }));
    await upsertDeadLetter(env.DB, {
      id,
      queue: opts.queue ?? "crm",
      messageId: `msg-${id}`,
      vendor: "followupboss",
      errorCode: opts.code,
      error: "HTTP 422 from the vendor",
      attempts: 1,
      payload,
      ...(opts.subject ? { subject: opts.subject } : {}),
      now: at + Math.floor(i / 10),
    });
    ids.push(id);
  }
  return ids;
}
