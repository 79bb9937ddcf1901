import type { ConnectionConfig } from "../config/brokerage";

/** Whether a connection's backup poll is due: its own interval has passed since the last poll. */
export function pollDue(conn: ConnectionConfig, lastPolledAt: number | null, now: number): boolean {
  if (lastPolledAt === null) return true;
  // A minute of slack so a 5-minute interval is not skipped by a cron that fires a little early.
  return now - lastPolledAt >= conn.pollMinutes * 60_000 - 60_000;
}

/**
 * A heartbeat older than one and a half of its cron's intervals means a run was missed (one
 * missed run leaves exactly two intervals between scheduled times).
 */
export function heartbeatMissed(lastAt: number | null, intervalMs: number, now: number): boolean {
  return lastAt !== null && now - lastAt > 1.5 * intervalMs;
}
