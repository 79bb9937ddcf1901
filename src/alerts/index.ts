import { log, errorDetail } from "../lib/log";
import {
  countAlertAttempt,
  findAlertState,
  insertAlertNotice,
  listUnsentAlertNotices,
  markAlertNoticeSent,
  markAlertResolved,
  markAllAlertNoticesSent,
  upsertFiringAlert,
} from "../store/alerts";
import { alertPayload, onFire, onResolve, type AlertDecision } from "./policy";

export interface AlertInput {
  key: string; // stable identity, e.g. "vendor_down:followupboss:main"
  severity: "info" | "warning" | "critical";
  title: string;
  detail?: string;
}

/**
 * POSTs one notification to the alert webhook. True when the receiver answered 2xx; false while it
 * fails (5xx, unreachable, or refusing every notice: 403, 404, 410); null when it refused this one
 * notice (400, as Slack answers a payload it cannot post), which must not hold back the ones after it.
 */
async function post(url: string, key: string, payload: string): Promise<boolean | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: payload,
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel();
    if (res.ok) return true;
    log("warn", "alert_delivery_failed", { key, status: res.status });
    if (res.status === 400) return null;
  } catch (err) {
    log("warn", "alert_delivery_failed", { key, error: err instanceof Error ? err.name : "unknown" });
  }
  return false;
}

/**
 * Records the outcome of one delivery attempt of notification `id`. Only a 2xx (or having no
 * webhook to send to) marks it sent and moves the key's `notified_at`; otherwise it waits for
 * the next cron run.
 */
async function settleDelivery(db: D1Database, id: number, key: string, sent: boolean, now: number): Promise<void> {
  if (!sent) {
    await countAlertAttempt(db, id);
    return;
  }
  await markAlertNoticeSent(db, id, key, now);
}

async function notify(env: Env, a: AlertInput, d: AlertDecision, now: number, pending = 0): Promise<void> {
  if (!d.notify || d.kind === "none") return;
  const payload = JSON.stringify(alertPayload({ ...a, kind: d.kind }));
  const id = await insertAlertNotice(env.DB, { key: a.key, kind: d.kind, at: now, payload });
  log(a.severity === "critical" ? "error" : "warn", "alert", { key: a.key, kind: d.kind, severity: a.severity });
  const url = env.ALERT_WEBHOOK_URL;
  // An older notice of this key still waits for the webhook: this one follows it from the cron, so
  // the receiver never hears of a recovery before the alert it ends.
  if (id === null || (url && pending)) return;
  // With no webhook configured, the log line and the stored row are the whole delivery.
  await settleDelivery(env.DB, id, a.key, url ? (await post(url, a.key, payload)) === true : true, now);
}

/**
 * Retries the notifications the alert webhook has not taken yet, oldest first, stopping at the
 * first that fails again (the receiver is still down; the next cron run tries again, in order);
 * one the receiver refuses for its own content is passed over and tried again next run.
 */
export async function deliverPendingAlerts(env: Env, now = Date.now(), limit = 50): Promise<number> {
  const url = env.ALERT_WEBHOOK_URL;
  if (!url) {
    // The webhook was taken out of the configuration: the log lines were the delivery.
    await markAllAlertNoticesSent(env.DB, now);
    return 0;
  }
  let sent = 0;
  for (const r of await listUnsentAlertNotices(env.DB, limit)) {
    const ok = await post(url, r.key, r.payload);
    await settleDelivery(env.DB, r.id, r.key, ok === true, now);
    if (ok === false) break;
    if (ok) sent++;
  }
  return sent;
}

/** Raises (or keeps raising) an alert; notifies per the de-duplication policy. */
export async function fireAlert(env: Env, a: AlertInput, minIntervalSeconds = 900, now = Date.now()): Promise<void> {
  const existing = await findAlertState(env.DB, a.key);
  const d = onFire(existing, now, minIntervalSeconds * 1000);
  await upsertFiringAlert(env.DB, { key: a.key, severity: a.severity, title: a.title, detail: a.detail ?? null }, now);
  await notify(env, a, d, now, existing?.pending);
}

/**
 * Resolves an alert if it is firing and notifies the recovery, once: of two resolving it at once,
 * only the one whose update found it firing. Whether this call resolved it.
 */
export async function resolveAlert(env: Env, key: string, title: string, now = Date.now()): Promise<boolean> {
  const existing = await findAlertState(env.DB, key);
  const d = onResolve(existing);
  if (d.kind === "none" || !(await markAlertResolved(env.DB, key, now))) return false;
  await notify(env, { key, severity: "info", title }, d, now, existing?.pending);
  return true;
}

/**
 * Raises an alert even while D1, where alerts are kept, is failing: the webhook is then told
 * directly, at most once per `minIntervalSeconds` per key (a KV marker stands in for the alerts
 * row), and the alert is also logged. Used when the hub falls back to its last resort.
 */
export async function fireAlertAnyway(env: Env, a: AlertInput, minIntervalSeconds = 900): Promise<void> {
  try {
    await fireAlert(env, a, minIntervalSeconds);
    return;
  } catch (err) {
    log("error", "alert", {
      key: a.key,
      kind: "fired",
      severity: a.severity,
      stored: false,
      error: errorDetail(err),
    });
  }
  const url = env.ALERT_WEBHOOK_URL;
  if (!url) return;
  const marker = `alert-sent:${a.key}`;
  try {
    if ((await env.IDEMPOTENCY.get(marker)) !== null) return;
    await env.IDEMPOTENCY.put(marker, String(Date.now()), { expirationTtl: Math.max(60, minIntervalSeconds) });
  } catch {
    // KV unreadable too: tell the webhook rather than stay silent.
  }
  await post(url, a.key, JSON.stringify(alertPayload({ ...a, kind: "fired" })));
}

/** A deal invoiced at another commission than it has now: the hub bills a deal once, so someone adjusts the invoice. */
export function commissionChanged(env: Env, dealId: string, what: string): Promise<void> {
  return fireAlertAnyway(env, {
    key: `commission_changed_after_invoice:${dealId}`,
    severity: "warning",
    title: "An invoiced commission changed",
    detail: `${what}; the hub bills a deal once: adjust the invoice if the new figure is owed.`,
  });
}
