/**
 * How far the hub's copy of an MLS feed is behind, from the listings run's stored state: what the
 * health API shows and the doctor and the cron judge. Pure (the caller reads the state and the clock).
 */

/** A running page not applied for this long is taken as lost (a page takes seconds). */
export const STALLED_MS = 3 * 60_000;

export type LagState = "not_started" | "initial_sync" | "stalled" | "current" | "behind";

export interface ReplicationLag {
  state: LagState;
  /** Since the last complete run (the hub holds every change the MLS made before it); null before one. */
  lagMs: number | null;
  /** The longest lag that is still current: two poll intervals plus the cron's five minutes. */
  budgetMs: number;
  detail: string;
}

type RunState = {
  phase: string;
  status: string;
  records: number;
  pages: number;
  completed_at: number | null;
  updated_at: number;
  error: string | null;
  error_since?: number | null;
};

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export function replicationLag(run: RunState | null, pollMinutes: number, now: number): ReplicationLag {
  const budgetMs = (2 * pollMinutes + 5) * 60_000;
  if (!run) return { state: "not_started", lagMs: null, budgetMs, detail: "no replication has run yet" };
  const lagMs = run.completed_at === null ? null : Math.max(0, now - run.completed_at);
  const failing = run.error ? ` (last error: ${run.error})` : "";
  // A failing page's retries move `updated_at`; no page has applied since its first failure.
  const idleSince = Math.min(run.updated_at, run.error_since ?? run.updated_at);
  if (run.status === "running" && now - idleSince >= STALLED_MS) {
    return {
      state: "stalled",
      lagMs,
      budgetMs,
      detail: `the ${run.phase} run applied no page for ${minutes(now - idleSince)} after ${run.records} records${failing}`,
    };
  }
  if (lagMs === null)
    return {
      state: "initial_sync",
      lagMs,
      budgetMs,
      detail: `initial sync in progress: ${run.records} records in ${run.pages} pages${failing}`,
    };
  if (lagMs > budgetMs)
    return { state: "behind", lagMs, budgetMs, detail: `last complete run ${minutes(lagMs)} ago (allowed ${minutes(budgetMs)})${failing}` };
  return { state: "current", lagMs, budgetMs, detail: `last complete run ${minutes(lagMs)} ago, ${run.records} records in its last run` };
}

/** Whether a lag is a problem an operator must hear about. */
export const lagging = (l: ReplicationLag): boolean => l.state === "not_started" || l.state === "stalled" || l.state === "behind";
