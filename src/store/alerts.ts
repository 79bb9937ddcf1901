/** D1 access for alerts (one row per alert key, its current state) and their notification log. */

import { afterPosition, countOf, pageBy, type Page, type Position } from "./page";

export interface AlertRow {
  key: string;
  severity: string;
  title: string;
  detail: string | null;
  state: string;
  count: number;
  first_at: number;
  last_at: number;
  notified_at: number | null;
  resolved_at: number | null;
}

export interface AlertLogRow {
  id: number;
  key: string;
  kind: string;
  at: number;
  payload: string;
}

/**
 * Alerts, most recently fired first, and the notification log, newest first: each one page at a
 * time with its total and the cursor of its next page.
 */
export async function listAlerts(
  db: D1Database,
  q: { limit: number; cursor?: Position | undefined; logCursor?: Position | undefined },
): Promise<{ alerts: Page<AlertRow>; log: Page<AlertLogRow> }> {
  const [alerts, alertCount, log, logCount] = await db.batch([
    db
      .prepare(`SELECT * FROM alerts WHERE ${afterPosition(1, "key", "last_at")} ORDER BY last_at DESC, key DESC LIMIT ?3`)
      .bind(q.cursor?.[0] ?? null, q.cursor?.[1] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM alerts`),
    // The log's id is its order; the cursor's key repeats it as text.
    db
      .prepare(`SELECT * FROM alert_log WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2`)
      .bind(q.logCursor?.[0] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM alert_log`),
  ]);
  return {
    alerts: { ...pageBy((alerts?.results ?? []) as AlertRow[], q.limit, (a) => [a.last_at, a.key]), total: countOf(alertCount) },
    log: { ...pageBy((log?.results ?? []) as AlertLogRow[], q.limit, (e) => [e.id, String(e.id)]), total: countOf(logCount) },
  };
}

/** An alert key's state as the de-duplication policy reads it. */
export interface AlertStateRow {
  state: "firing" | "resolved";
  notified_at: number | null;
  /** Notifications of this key the webhook has not taken yet. */
  pending: number;
}

/** The current state of alert `key`, or null when it never fired. */
export function findAlertState(db: D1Database, key: string): Promise<AlertStateRow | null> {
  return db
    .prepare(
      `SELECT state, notified_at, (SELECT COUNT(*) FROM alert_log l WHERE l.key = alerts.key AND l.sent_at IS NULL) AS pending FROM alerts WHERE key = ?1`,
    )
    .bind(key)
    .first<AlertStateRow>();
}

/** Marks alert `key` firing (again), counting the firings since it last resolved. */
export async function upsertFiringAlert(
  db: D1Database,
  a: { key: string; severity: string; title: string; detail: string | null },
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO alerts (key, severity, title, detail, state, count, first_at, last_at) VALUES (?1, ?2, ?3, ?4, 'firing', 1, ?5, ?5)` +
        ` ON CONFLICT (key) DO UPDATE SET severity = excluded.severity, title = excluded.title, detail = excluded.detail,` +
        ` count = CASE WHEN state = 'resolved' THEN 1 ELSE count + 1 END,` +
        ` first_at = CASE WHEN state = 'resolved' THEN excluded.first_at ELSE first_at END,` +
        ` state = 'firing', last_at = excluded.last_at, resolved_at = NULL`,
    )
    .bind(a.key, a.severity, a.title, a.detail, now)
    .run();
}

/** Marks alert `key` resolved at `now` if it is firing; whether this call resolved it. */
export async function markAlertResolved(db: D1Database, key: string, now: number): Promise<boolean> {
  const r = await db
    .prepare(`UPDATE alerts SET state = 'resolved', resolved_at = ?2, last_at = ?2 WHERE key = ?1 AND state = 'firing'`)
    .bind(key, now)
    .run();
  return r.meta.changes > 0;
}

/** Logs one notification of alert `key`, not sent yet; its id, or null if nothing was written. */
export async function insertAlertNotice(
  db: D1Database,
  n: { key: string; kind: string; at: number; payload: string },
): Promise<number | null> {
  const row = await db
    .prepare(`INSERT INTO alert_log (key, kind, at, payload) VALUES (?1, ?2, ?3, ?4) RETURNING id`)
    .bind(n.key, n.kind, n.at, n.payload)
    .first<{ id: number }>();
  return row?.id ?? null;
}

/** Counts one more failed delivery attempt of notification `id`. */
export async function countAlertAttempt(db: D1Database, id: number): Promise<void> {
  await db.prepare(`UPDATE alert_log SET attempts = attempts + 1 WHERE id = ?1`).bind(id).run();
}

/** Marks notification `id` sent at `now` and moves its key's `notified_at`, together. */
export async function markAlertNoticeSent(db: D1Database, id: number, key: string, now: number): Promise<void> {
  await db.batch([
    db.prepare(`UPDATE alert_log SET sent_at = ?2, attempts = attempts + 1 WHERE id = ?1`).bind(id, now),
    db.prepare(`UPDATE alerts SET notified_at = ?2 WHERE key = ?1`).bind(key, now),
  ]);
}

/** Marks every unsent notification sent at `now` (there is no webhook to send them to). */
export async function markAllAlertNoticesSent(db: D1Database, now: number): Promise<void> {
  await db.prepare(`UPDATE alert_log SET sent_at = ?1 WHERE sent_at IS NULL`).bind(now).run();
}

/** Up to `limit` notifications not sent yet, oldest first. */
export async function listUnsentAlertNotices(db: D1Database, limit: number): Promise<{ id: number; key: string; payload: string }[]> {
  const { results } = await db
    .prepare(`SELECT id, key, payload FROM alert_log WHERE sent_at IS NULL ORDER BY id LIMIT ?1`)
    .bind(limit)
    .all<{ id: number; key: string; payload: string }>();
  return results;
}
