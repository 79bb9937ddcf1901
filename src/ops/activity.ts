import { parseJsonOr } from "../lib/json";
import type { DriftRow } from "../store/drift";
import { listDrift } from "../store/drift";
import { listAlerts } from "../store/alerts";
import { listLinks } from "../store/links";
import { overviewCounts } from "../store/overview";
import type { Position } from "../store/page";
import type { LinksQuery } from "./schemas";
import { linkView } from "./views";

/** Read models for the overview, alerts, links and drift. */

const HOUR_MS = 3_600_000;

/** Throughput per stage (from traces), intake per source and the backlog proxies. */
export async function overview(db: D1Database, now = Date.now()) {
  const since = now - 24 * HOUR_MS;
  // Deliveries still `received` were queued but not yet ingested: the inbound backlog's proxy.
  const counts = await overviewCounts(db, since);
  const stageMap = new Map<string, { stage: string; ok: number; error: number; skipped: number; total: number }>();
  for (const r of counts.stages) {
    const s = stageMap.get(r.stage) ?? { stage: r.stage, ok: 0, error: 0, skipped: 0, total: 0 };
    if (r.outcome === "ok" || r.outcome === "error" || r.outcome === "skipped") s[r.outcome] += r.n;
    s.total += r.n;
    stageMap.set(r.stage, s);
  }
  const dl = counts.deadLetters;
  const b = counts.backlog;
  return {
    since,
    stages: [...stageMap.values()].sort((x, y) => y.total - x.total),
    intake: counts.intake,
    backlog: { receivedNotIngested: b.n, oldestReceivedAt: b.oldest },
    deadLetters: {
      open: dl.filter((r) => r.status === "open").reduce((s, r) => s + r.n, 0),
      openByQueue: Object.fromEntries(dl.filter((r) => r.status === "open").map((r) => [r.queue, r.n])),
      byStatus: dl.reduce<Record<string, number>>((acc, r) => {
        acc[r.status] = (acc[r.status] ?? 0) + r.n;
        return acc;
      }, {}),
    },
    firingAlerts: counts.firingAlerts,
    firingAlertsTotal: counts.firingAlertsTotal,
    heartbeats: counts.heartbeats,
  };
}
export type Overview = Awaited<ReturnType<typeof overview>>;

/**
 * Every alert's current state, and the notification log (newest first): one page of each, with
 * their totals and cursors (`cursor` pages the alerts, `logCursor` the log).
 */
export async function alertHistory(
  db: D1Database,
  q: { limit?: number | undefined; cursor?: Position | undefined; logCursor?: Position | undefined },
) {
  const { alerts, log } = await listAlerts(db, { limit: q.limit ?? 100, cursor: q.cursor, logCursor: q.logCursor });
  return {
    alerts: alerts.rows.map((a) => ({
      key: a.key,
      severity: a.severity,
      title: a.title,
      detail: a.detail,
      state: a.state,
      count: a.count,
      firstAt: a.first_at,
      lastAt: a.last_at,
      notifiedAt: a.notified_at,
      resolvedAt: a.resolved_at,
    })),
    total: alerts.total,
    cursor: alerts.cursor,
    log: log.rows.map((e) => ({ id: e.id, key: e.key, kind: e.kind, at: e.at, payload: parseJsonOr(e.payload, e.payload) })),
    logTotal: log.total,
    logCursor: log.cursor,
  };
}
export type AlertHistory = Awaited<ReturnType<typeof alertHistory>>;

/**
 * ID links, filtered by system, kind, canonical id or external id, newest first, one page at a
 * time: the total matching the filter and a cursor for the next page (null on the last).
 */
export async function findLinks(db: D1Database, q: LinksQuery) {
  const page = await listLinks(db, { ...q, limit: q.limit ?? 100 });
  return {
    links: page.rows.map(linkView),
    total: page.total,
    cursor: page.cursor,
  };
}

/** Schema drift seen in source payloads, most recent first: one page, the total and the next cursor. */
export async function driftRecords(db: D1Database, q: { limit?: number | undefined; cursor?: Position | undefined }) {
  const page = await listDrift(db, { limit: q.limit ?? 200, cursor: q.cursor });
  return {
    drift: page.rows.map((d: DriftRow) => ({
      id: d.id,
      source: d.source,
      field: d.field,
      kind: d.kind,
      sample: d.sample,
      firstSeen: d.first_seen,
      lastSeen: d.last_seen,
      count: d.count,
    })),
    total: page.total,
    cursor: page.cursor,
  };
}
