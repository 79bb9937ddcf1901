import type { CanonicalEvent } from "../canonical";
import { parseInboundMessage, type InboundMessage } from "../queues/messages";
import { fireAlert } from "../alerts";
import { driftAlerts } from "../alerts/drift";
import { log, errorDetail } from "../lib/log";
import { ok, permanent, transient, type Result } from "../lib/result";
import { mapDelivery, type DriftRecord } from "../mapping";
import { capDrift } from "../mapping/drift-cap";
import { deliveryStatusStatement, findDelivery, recordDelivery } from "../store/deliveries";
import { driftStatement } from "../store/drift";
import { insertEventStatement } from "../store/events";
import { forgetStatement } from "../store/journal";
import { rememberRecorded } from "../store/seen";
import { dropSpooledStatement, readSpooled } from "../store/spool";
import { traceStatement } from "../store/traces";
import { emit } from "../queues/emit";

/**
 * The delivery's body: inline in the message, or from the spool. The spool row goes in the batch
 * that ends the delivery, so a copy arriving after that (a retry, a replay of its dead letter, the
 * vendor's own redelivery) reads the body D1 recorded with the delivery instead.
 */
async function payloadOf(db: D1Database, m: InboundMessage): Promise<Result<string>> {
  if (!m.spoolId) return ok(JSON.stringify(m.body ?? null));
  const spooled = await readSpooled(db, m.spoolId);
  if (spooled !== null) return ok(spooled);
  const recorded = await findDelivery(db, m.source, m.deliveryKey);
  if (recorded && recorded.payload !== null) return ok(recorded.payload);
  // Ended and purged by retention: recording it again only finds the duplicate.
  if (recorded && recorded.status !== "received") return ok("null");
  return transient("spool_missing", "spooled body not readable yet");
}

/**
 * Ingest one delivery: record it once in D1 under its unique (source, delivery key) with a
 * RECEIVED trace; map it to canonical events (recording drift and rejections); store the events;
 * publish them to their subscribers; mark it NORMALIZED. A copy that slipped past KV changes
 * nothing; a copy of a delivery whose processing was interrupted resumes it, and because event
 * ids derive from the delivery, what it republishes is deduplicated downstream.
 */
export async function ingestMessage(body: unknown, env: Env): Promise<Result<{ deliveryId: string; outcome: string }>> {
  const parsed = parseInboundMessage(body);
  if (!parsed.ok) return permanent("message_invalid", parsed.message);
  const m = parsed.value;
  const db = env.DB;
  const read = await payloadOf(db, m);
  if (!read.ok) return read;
  const payload = read.value;
  const { inserted, row } = await recordDelivery(
    db,
    {
      id: m.deliveryId,
      source: m.source,
      deliveryKey: m.deliveryKey,
      receivedAt: m.receivedAt,
      payload,
      ...(m.eventHint ? { eventType: m.eventHint } : {}),
    },
    Date.now(),
  );
  const spools = m.spoolId ? [dropSpooledStatement(db, [...new Set([m.spoolId, row.id])])] : [];
  if (!inserted && row.status !== "received") {
    await db.batch([forgetStatement(db, m.deliveryId), ...spools]);
    return ok({ deliveryId: row.id, outcome: "duplicate" });
  }
  const done = await normalizeRecorded(env, m, row.id, payload, spools);
  if (done.ok) {
    // Only an ended delivery is "seen": until then a vendor's redelivery must still reach ingest,
    // where it resumes the work. Losing this write only costs a later copy a trip to D1.
    await rememberRecorded(env.IDEMPOTENCY, m.source, m.deliveryKey, row.id, env.IDEMPOTENCY_TTL_SECONDS).catch((err: unknown) => {
      log("warn", "seen_not_remembered", {
        source: m.source,
        deliveryId: row.id,
        error: errorDetail(err),
      });
    });
  }
  return done;
}

/**
 * One delivery's drift rows: at most DRIFT_RECORDS_PER_DELIVERY, plus one `truncated` row per
 * source whose sample says how many more this delivery carried (its count: how many deliveries).
 */
function driftStatements(
  db: D1Database,
  source: string,
  deliveryId: string,
  found: readonly DriftRecord[],
  now: number,
): D1PreparedStatement[] {
  const { kept, omitted } = capDrift(found);
  const rows = kept.map((d) => driftStatement(db, { source: d.source, field: d.field, kind: d.kind, sample: d.sample, seenAt: now }));
  if (omitted > 0)
    rows.push(
      driftStatement(db, { source, field: "*", kind: "truncated", sample: `${omitted} more in delivery ${deliveryId}`, seenAt: now }),
    );
  return rows;
}

function driftKinds(found: readonly DriftRecord[]): string {
  const n = new Map<string, number>();
  for (const d of found) n.set(d.kind, (n.get(d.kind) ?? 0) + 1);
  return [...n].map(([kind, count]) => `${kind}:${count}`).join(",");
}

/** Maps a recorded delivery to canonical events, stores and publishes them, and marks how it ended. */
async function normalizeRecorded(
  env: Env,
  m: InboundMessage,
  deliveryId: string,
  payload: string,
  ending: D1PreparedStatement[],
): Promise<Result<{ deliveryId: string; outcome: string }>> {
  const db = env.DB;
  const mapped = mapDelivery(m.source, m.spoolId ? JSON.parse(payload) : m.body, {
    deliveryId,
    receivedAt: m.receivedAt,
    headers: m.headers,
  });
  const now = Date.now();
  const drift = driftStatements(db, m.source, deliveryId, mapped.drift, now);
  for (const alert of driftAlerts(deliveryId, mapped.drift)) await fireAlert(env, alert);
  // Field names are the sender's choice (a key can be an email address): counts only.
  if (mapped.drift.length > 0)
    log("warn", "schema_drift", { source: m.source, deliveryId, records: mapped.drift.length, kinds: driftKinds(mapped.drift) });
  if (!mapped.ok) {
    const reason = `${mapped.code}: ${mapped.reason}`.slice(0, 500);
    // Acknowledged to the sender, then refused: the trace alone would let a broken source or a
    // mapping gap go unnoticed. One alert per source; its detail names our code, not the body.
    await fireAlert(env, {
      key: `delivery_rejected:${m.source}`,
      severity: "warning",
      title: `Deliveries from ${m.source} are being rejected`,
      detail: `${mapped.code} (latest: delivery ${deliveryId}); see /ops for the trace`,
    });
    await db.batch([
      ...drift,
      traceStatement(db, { subject: deliveryId, deliveryId, stage: "REJECTED", outcome: "error", detail: reason, at: now }),
      deliveryStatusStatement(db, deliveryId, "rejected", reason),
      forgetStatement(db, m.deliveryId),
      ...ending,
    ]);
    log("warn", "delivery_rejected", { source: m.source, deliveryId, code: mapped.code });
    return ok({ deliveryId, outcome: "rejected" });
  }
  const events: CanonicalEvent[] = mapped.events;
  const issues = mapped.issues
    .map((i) => i.message)
    .join("; ")
    .slice(0, 500);
  const writes = [
    ...drift,
    ...events.map((e) =>
      insertEventStatement(
        db,
        {
          id: e.id,
          type: e.type,
          deliveryId,
          sourceSystem: e.source.system,
          subjectKind: e.subject.kind,
          ...(e.subject.externalId ? { subjectExtId: e.subject.externalId } : {}),
          occurredAt: e.occurredAt,
          receivedAt: e.receivedAt,
          data: e.data,
        },
        now,
      ),
    ),
  ];
  // A delivery can carry nothing to act on (a DocuSign "sent", a vendor's test ping): D1 refuses
  // an empty batch, so only write when there is something to write.
  if (writes.length > 0) await db.batch(writes);
  await emit(env, events);
  const detail = `${events.map((e) => e.type).join(",") || "no events"}${issues ? ` | dropped: ${issues}` : ""}`;
  await db.batch([
    traceStatement(db, { subject: deliveryId, deliveryId, stage: "NORMALIZED", detail: detail.slice(0, 500), at: Date.now() }),
    deliveryStatusStatement(db, deliveryId, "normalized", issues || undefined),
    forgetStatement(db, m.deliveryId),
    ...ending,
  ]);
  return ok({ deliveryId, outcome: "normalized" });
}
