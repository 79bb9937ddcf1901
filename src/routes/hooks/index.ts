import type { SourceName } from "../../canonical/primitives";
import { isSourceName, SECRET_NAMES, schemeTable, sourceSecrets, webhookConfigAlertKey } from "../../config/sources";
import { AppError, type ErrorCode } from "../../lib/errors";
import { log } from "../../lib/log";
import { journalDelivery } from "../../store/journal";
import { recordedId } from "../../store/seen";
import { spoolPayload } from "../../store/spool";
import type { InboundMessage } from "../../queues/messages";
import { enqueueInbound } from "../../queues/send";
import { verifyWebhook } from "../../verify";
import { type App, requestId, subApp, timed } from "../app";
import type { Context } from "hono";
import { fireAlertAnyway } from "../../alerts";
import { deliveryKey } from "./delivery-key";
import { checkEnvelope } from "./envelopes";
import { isJsonContentType, nestsDeeperThan, readCapped } from "./read-body";
import { refusalStatus } from "./response-policy";

/** Webhook bodies above this are refused (413). */
export const MAX_BODY_BYTES = 256 * 1024;
/**
 * JSON nesting deeper than this is refused: far beyond any vendor's payload, and well below the
 * depth the queue's serializer gives up at (a 10,000-deep body could be parsed but not queued).
 */
const MAX_DEPTH = 1024;
/** Queue messages are limited to 128 KB; bodies above this travel through the D1 spool. */
const INLINE_BODY_BYTES = 96 * 1024;
/**
 * The headers of each source's vendor that describe a delivery (when it was sent, which payload
 * schema), kept with it for the ingest consumer; signatures and credentials are never forwarded.
 * Per source, as every lookup is a call into the runtime on the acknowledgement's path.
 */
const STANDARD_WEBHOOKS = ["webhook-timestamp"] as const;
const FORWARDED_HEADERS: Record<SourceName, readonly string[]> = {
  standard: STANDARD_WEBHOOKS,
  zillow: STANDARD_WEBHOOKS,
  realtor: STANDARD_WEBHOOKS,
  idx: STANDARD_WEBHOOKS,
  reso: STANDARD_WEBHOOKS,
  followupboss: [],
  dotloop: ["x-dotloop-timestamp"],
  quickbooks: ["intuit-notification-schema-version", "intuit-created-time"],
  docusign: [],
};

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** When this isolate last raised the alert of each unverifiable source and cause. */
const alertedAt = new Map<string, number>();

/**
 * A source the hub cannot verify for lack of configuration. The caller is not yet authenticated,
 * so it learns nothing about the configuration (which variable, which scheme field): the detail
 * goes to the operator's log and an alert, and the caller gets a generic 500, which
 * vendors retry for a while. A lead portal has no backup poll: its leads are lost once it stops.
 */
function misconfigured(c: Context<App>, source: SourceName, code: "config_invalid" | "secret_missing", detail: string): AppError {
  log("error", "webhook_misconfigured", { requestId: requestId(c), source, code, detail: detail.slice(0, 500) });
  // Once a minute per isolate, source and cause: anyone may post to a source, and each firing writes D1.
  const key = `${source}:${code}`;
  const now = Date.now();
  if ((alertedAt.get(key) ?? 0) < now - 60_000) {
    alertedAt.set(key, now);
    c.executionCtx.waitUntil(
      fireAlertAnyway(c.env, {
        key: webhookConfigAlertKey(source),
        // A broken scheme table refuses every source; a missing secret may be a source not set up.
        severity: code === "config_invalid" ? "critical" : "warning",
        title: `Webhooks from ${source} cannot be verified`,
        detail: `${code}: ${detail}`.slice(0, 500),
      }),
    );
  }
  return new AppError("internal", "The delivery could not be accepted right now; retry later.");
}

/**
 * POST /hooks/:source — verify on the raw bytes, dedupe, queue, answer 202. The response never
 * waits for processing: the delivery is acknowledged once it is durably in the `inbound` queue.
 */
async function acknowledge(c: Context<App, "/:source">): Promise<Response> {
  const source = c.req.param("source");
  if (!isSourceName(source)) throw new AppError("source_unknown", `No webhook source named '${source.slice(0, 40)}'.`);
  c.set("source", source);
  /** A refusal answered with the status this source's vendor publishes for it. */
  const refuse = (code: ErrorCode, message: string) => new AppError(code, message, undefined, refusalStatus(source, code));

  // Read in place: each `c.req.header()` of Hono goes through the request's `headers` getter again.
  const requestHeaders = c.req.raw.headers;
  const declared = Number(requestHeaders.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    throw refuse("payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  }
  if (!isJsonContentType(requestHeaders.get("content-type") ?? undefined)) {
    throw refuse("unsupported_media_type", "Send the body as application/json.");
  }
  const raw = await readCapped(c.req.raw, MAX_BODY_BYTES, declared);
  if (raw === "too_large") throw refuse("payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);

  const table = schemeTable(c.env.WEBHOOK_SCHEMES);
  if (!table.ok) throw misconfigured(c, source, "config_invalid", table.detail);
  const secrets = sourceSecrets(c.env, source);
  if (secrets.length === 0) throw misconfigured(c, source, "secret_missing", `${SECRET_NAMES[source]} is not set.`);
  const verified = await verifyWebhook({
    scheme: table.schemes[source],
    secret: secrets,
    headers: requestHeaders,
    body: raw,
    now: Math.floor(Date.now() / 1000),
  });
  if (!verified.ok && verified.code === "secret_missing") throw misconfigured(c, source, verified.code, verified.message);
  if (!verified.ok) throw refuse(verified.code, verified.message);

  let text: string;
  let body: unknown;
  try {
    text = decoder.decode(raw);
    body = JSON.parse(text);
  } catch {
    throw refuse("malformed_json", "The body is not valid UTF-8 JSON.");
  }
  if (nestsDeeperThan(text, MAX_DEPTH)) throw refuse("envelope_invalid", `The body nests deeper than ${MAX_DEPTH} levels.`);
  const envelope = checkEnvelope(source, body);
  if (!envelope.ok) throw refuse("envelope_invalid", `The body is not a ${source} delivery: ${envelope.detail}`);

  const key = await deliveryKey(source, verified.id, body, raw);
  const seen = await recordedId(c.env.IDEMPOTENCY, source, key);
  if (seen !== null) return c.json({ status: "duplicate", id: seen }, 200);

  const deliveryId = crypto.randomUUID();
  const receivedAt = Date.now();
  const headers: Record<string, string> = {};
  for (const h of FORWARDED_HEADERS[source]) {
    const value = requestHeaders.get(h);
    if (value) headers[h] = value.slice(0, 200);
  }
  const inline = raw.byteLength <= INLINE_BODY_BYTES;
  if (!inline) await spoolPayload(c.env.DB, deliveryId, text, receivedAt);
  const message: InboundMessage = {
    v: 1,
    deliveryId,
    source,
    deliveryKey: key,
    receivedAt,
    eventHint: envelope.eventType.slice(0, 100),
    headers,
    ...(inline ? { body } : { spoolId: deliveryId }),
  };
  try {
    if (c.env.INTAKE_JOURNAL === "on") await journalDelivery(c.env.DB, deliveryId, message, receivedAt);
    await enqueueInbound(c.env, message);
  } catch {
    throw new AppError("queue_unavailable", "The delivery could not be queued; retry later.");
  }
  // KV learns of it from the ingest consumer, once D1 has recorded it (src/store/seen.ts).
  return c.json({ status: "queued", id: deliveryId }, 202);
}

export const hooks = subApp().post("/:source", timed(acknowledge));
