import { brokerageConfig } from "../config/load";
import { monitoredConnections } from "../config/connections";
import type { ConnectionConfig } from "../config/brokerage";
import { watchedRuns } from "../mls/watched-runs";
import { RUN_LISTINGS } from "../queues/messages";
import type { GateStats } from "../durable/vendor-gate";
import { healthSummary } from "../store/health-checks";

/** Connection health for operators: last check, checks in 24 h, last poll, gate counters. */

const DAY_MS = 86_400_000;

async function gateStats(env: Env, id: string): Promise<GateStats | null> {
  try {
    return await env.VENDOR_GATE.getByName(id).stats();
  } catch {
    return null; // the gate is advisory here; a page must not fail because one object did
  }
}

/**
 * The MLS feed's replication: the listings run's lag and progress, and `runs`, every run the hub
 * watches (the listings, each roster, the keys-only pass once started) with its own lag.
 */
async function mlsReplication(db: D1Database, conn: ConnectionConfig, now: number) {
  const runs = (await watchedRuns(db, conn, now)).map(({ run, row, lag }) => ({
    run,
    ...lag,
    phase: row?.phase ?? null,
    status: row?.status ?? null,
    records: row?.records ?? 0,
    cursor: row?.cursor ?? null,
    error: row?.error ?? null,
  }));
  // The listings run, the feed's own lag, at the top; every run under `runs`.
  return { ...runs.find((r) => r.run === RUN_LISTINGS), runs };
}

/** A last check older than this (three five-minute runs) says nothing about the connection now. */
const STALE_CHECK_MS = 15 * 60_000;

/**
 * Every configured connection, active ones (and the MLS feed) first, each with its most recent
 * health check, the share of checks that passed in the last 24 h, its poll cursors and (for
 * active connections) the vendor gate's counters; for the MLS feed, its replication lag.
 */
export async function connectionHealth(env: Env, now = Date.now()) {
  const config = brokerageConfig(env);
  const active = new Set(monitoredConnections(config).map((c) => c.id));
  const summary = await healthSummary(env.DB, now - DAY_MS);
  const last = new Map(summary.latest.map((r) => [r.connection, r]));
  const counts = new Map(summary.counts.map((r) => [r.connection, r]));
  const polls = summary.cursors;
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
        lastCheck: check
          ? {
              at: check.at,
              ok: check.ok === 1,
              latencyMs: check.latency_ms,
              status: check.status,
              detail: check.detail,
              // Every five-minute run checks each active connection: three missed, the checks have stopped.
              stale: now - check.at > STALE_CHECK_MS,
            }
          : null,
        checks24h: d ? { checks: d.checks, passed: d.passed ?? 0 } : { checks: 0, passed: 0 },
        // The oldest resource cursor is when this connection was last fully polled.
        lastPolledAt: polled.length ? Math.min(...polled) : null,
        cursors: own.map((p) => ({ resource: p.resource, cursor: p.cursor, lastPolledAt: p.last_polled_at })),
        gate: active.has(c.id) ? await gateStats(env, c.id) : null,
        // The MLS feed: how far the hub's copy of its listings is behind.
        replication: c.id === config.mls ? await mlsReplication(env.DB, c, now) : null,
      };
    }),
  );
}
export type ConnectionHealth = Awaited<ReturnType<typeof connectionHealth>>[number];
