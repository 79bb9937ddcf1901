import type { DriftRow } from "../store/drift";
import { listDrift } from "../store/drift";
import { listAlerts } from "../store/alerts";
import type { LinkRow } from "../store/links";
import { afterPosition, pageOf, type Position } from "../store/page";
import type { LinksQuery } from "./schemas";

/** Read models for the overview, alerts, links and drift. */

const HOUR_MS = 3_600_000;

/** Throughput per stage (from traces), intake per source and the backlog proxies. */
export async function overview(db: D1Database, now = Date.now()) {
  const since = now - 24 * HOUR_MS;
  const [stages, intake, backlog, letters, firing, beats] = await db.batch([
    db.prepare(`SELECT stage, outcome, COUNT(*) AS n FROM traces WHERE at >= ?1 GROUP BY stage, outcome`).bind(since),
    db.prepare(`SELECT source, status, COUNT(*) AS n FROM deliveries WHERE received_at >= ?1 GROUP BY source, status`).bind(since),
    // Deliveries still `received` were queued but not yet ingested: the inbound backlog's proxy.
    db.prepare(`SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM deliveries WHERE received_at >= ?1 AND status = 'received'`).bind(now - 7 * 24 * HOUR_MS),
    db.prepare(`SELECT status, queue, COUNT(*) AS n FROM dead_letters GROUP BY status, queue`),
    db.prepare(`SELECT key, severity, title, count, first_at, last_at FROM alerts WHERE state = 'firing' ORDER BY last_at DESC LIMIT 20`),
    db.prepare(`SELECT name, at FROM heartbeats ORDER BY name`),
  ]);
  const stageMap = new Map<string, { stage: string; ok: number; error: number; skipped: number; total: number }>();
  for (const r of (stages?.results ?? []) as Array<{ stage: string; outcome: string; n: number }>) {
    const s = stageMap.get(r.stage) ?? { stage: r.stage, ok: 0, error: 0, skipped: 0, total: 0 };
    if (r.outcome === "ok" || r.outcome === "error" || r.outcome === "skipped") s[r.outcome] += r.n;
    s.total += r.n;
    stageMap.set(r.stage, s);
  }
  const dl = (letters?.results ?? []) as Array<{ status: string; queue: string; n: number }>;
  const b = (backlog?.results?.[0] ?? { n: 0, oldest: null }) as { n: number; oldest: number | null };
  return {
    since,
    stages: [...stageMap.values()].sort((x, y) => y.total - x.total),
    intake: (intake?.results ?? []) as Array<{ source: string; status: string; n: number }>,
    backlog: { receivedNotIngested: b.n, oldestReceivedAt: b.oldest },
    deadLetters: {
      open: dl.filter((r) => r.status === "open").reduce((s, r) => s + r.n, 0),
      openByQueue: Object.fromEntries(dl.filter((r) => r.status === "open").map((r) => [r.queue, r.n])),
      byStatus: dl.reduce<Record<string, number>>((acc, r) => {
        acc[r.status] = (acc[r.status] ?? 0) + r.n;
        return acc;
      }, {}),
    },
    firingAlerts: (firing?.results ?? []) as Array<{ key: string; severity: string; title: string; count: number; first_at: number; last_at: number }>,
    heartbeats: (beats?.results ?? []) as Array<{ name: string; at: number }>,
  };
}
export type Overview = Awaited<ReturnType<typeof overview>>;

/**
 * Every alert's current state, and the notification log (newest first): one page of each, with
 * their totals and cursors (`cursor` pages the alerts, `logCursor` the log).
 */
export async function alertHistory(db: D1Database, q: { limit?: number | undefined; cursor?: Position | undefined; logCursor?: Position | undefined }) {
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
    log: log.rows.map((e) => ({ id: e.id, key: e.key, kind: e.kind, at: e.at, payload: safeJson(e.payload) })),
    logTotal: log.total,
    logCursor: log.cursor,
  };
}
export type AlertHistory = Awaited<ReturnType<typeof alertHistory>>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A link's own key (system, kind, external id) as one sortable string, for paging. */
const LINK_KEY = `system || char(31) || kind || char(31) || external_id`;

/**
 * ID links, filtered by system, kind, canonical id or external id, newest first, one page at a
 * time: the total matching the filter and a cursor for the next page (null on the last).
 */
export async function findLinks(db: D1Database, q: LinksQuery) {
  const limit = q.limit ?? 100;
  const where = `(?1 IS NULL OR system = ?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR canonical_id = ?3) AND (?4 IS NULL OR external_id = ?4)`;
  const filter = [q.system ?? null, q.kind ?? null, q.canonicalId ?? null, q.externalId ?? null];
  const [rows, count] = await db.batch([
    db
      .prepare(`SELECT *, ${LINK_KEY} AS link_key FROM links WHERE ${where} AND ${afterPosition(5, LINK_KEY)} ORDER BY created_at DESC, link_key DESC LIMIT ?7`)
      .bind(...filter, q.cursor?.[0] ?? null, q.cursor?.[1] ?? null, limit + 1),
    db.prepare(`SELECT COUNT(*) AS n FROM links WHERE ${where}`).bind(...filter),
  ]);
  const page = pageOf((rows?.results ?? []) as Array<LinkRow & { link_key: string }>, limit, (l) => l.link_key);
  return {
    links: page.rows.map((l) => ({ system: l.system, kind: l.kind, externalId: l.external_id, canonicalId: l.canonical_id, connection: l.connection, createdAt: l.created_at })),
    total: ((count?.results ?? [])[0] as { n: number } | undefined)?.n ?? 0,
    cursor: page.cursor,
  };
}

/** Schema drift seen in source payloads, most recent first: one page, the total and the next cursor. */
export async function driftRecords(db: D1Database, q: { limit?: number | undefined; cursor?: Position | undefined }) {
  const page = await listDrift(db, { limit: q.limit ?? 200, cursor: q.cursor });
  return {
    drift: page.rows.map((d: DriftRow) => ({ id: d.id, source: d.source, field: d.field, kind: d.kind, sample: d.sample, firstSeen: d.first_seen, lastSeen: d.last_seen, count: d.count })),
    total: page.total,
    cursor: page.cursor,
  };
}
