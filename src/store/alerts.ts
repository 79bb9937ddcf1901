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
    db.prepare(`SELECT * FROM alert_log WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2`).bind(q.logCursor?.[0] ?? null, q.limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM alert_log`),
  ]);
  return {
    alerts: { ...pageBy((alerts?.results ?? []) as AlertRow[], q.limit, (a) => [a.last_at, a.key]), total: countOf(alertCount) },
    log: { ...pageBy((log?.results ?? []) as AlertLogRow[], q.limit, (e) => [e.id, String(e.id)]), total: countOf(logCount) },
  };
}
