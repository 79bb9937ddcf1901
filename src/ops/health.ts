import { brokerageConfig } from "../config/load";
import { activeConnections } from "../cron";
import type { GateStats } from "../durable/vendor-gate";

/** Connection health for operators: last check, checks in 24 h, last poll, gate counters. */

interface CheckRow {
  connection: string;
  at: number;
  ok: number;
  latency_ms: number;
  status: number | null;
  detail: string | null;
}

const DAY_MS = 86_400_000;

async function gateStats(env: Env, id: string): Promise<GateStats | null> {
  try {
    return await env.VENDOR_GATE.getByName(id).stats();
  } catch {
    return null; // the gate is advisory here; a page must not fail because one object did
  }
}

/**
 * Every configured connection, active ones first, each with its most recent health check, the
 * share of checks that passed in the last 24 h, its poll cursors and (for active connections) the
 * vendor gate's counters.
 */
export async function connectionHealth(env: Env, now = Date.now()) {
  const config = brokerageConfig(env);
  const active = new Set(activeConnections(config).map((c) => c.id));
  const db = env.DB;
  const [latest, day, cursors] = await db.batch([
    db.prepare(
      `SELECT h.* FROM health_checks h JOIN (SELECT connection, MAX(at) AS at FROM health_checks GROUP BY connection) m
       ON m.connection = h.connection AND m.at = h.at`,
    ),
    db.prepare(`SELECT connection, COUNT(*) AS checks, SUM(ok) AS passed FROM health_checks WHERE at >= ?1 GROUP BY connection`).bind(now - DAY_MS),
    db.prepare(`SELECT connection, resource, cursor, last_polled_at FROM cursors ORDER BY connection, resource`),
  ]);
  const last = new Map(((latest?.results ?? []) as CheckRow[]).map((r) => [r.connection, r]));
  const counts = new Map(((day?.results ?? []) as Array<{ connection: string; checks: number; passed: number }>).map((r) => [r.connection, r]));
  const polls = (cursors?.results ?? []) as Array<{ connection: string; resource: string; cursor: string | null; last_polled_at: number | null }>;
  const connections = [...config.connections].sort((a, b) => Number(active.has(b.id)) - Number(active.has(a.id)));
  return Promise.all(
    connections.map(async (c) => {
      const check = last.get(c.id);
      const own = polls.filter((p) => p.connection === c.id);
      const polled = own.map((p) => p.last_polled_at).filter((x): x is number => x !== null);
      const d = counts.get(c.id);
      return {
        connection: c.id,
        vendor: c.vendor,
        active: active.has(c.id),
        lastCheck: check ? { at: check.at, ok: check.ok === 1, latencyMs: check.latency_ms, status: check.status, detail: check.detail } : null,
        checks24h: d ? { checks: d.checks, passed: d.passed ?? 0 } : { checks: 0, passed: 0 },
        // The oldest resource cursor is when this connection was last fully polled.
        lastPolledAt: polled.length ? Math.min(...polled) : null,
        cursors: own.map((p) => ({ resource: p.resource, cursor: p.cursor, lastPolledAt: p.last_polled_at })),
        gate: active.has(c.id) ? await gateStats(env, c.id) : null,
      };
    }),
  );
}
export type ConnectionHealth = Awaited<ReturnType<typeof connectionHealth>>[number];
