/**
 * The replication runs of an MLS connection the hub watches, each with its stored state and its
 * lag: what the cron alerts on, the doctor checks and the health API shows, so the three agree.
 */
import type { ConnectionConfig } from "../config/brokerage";
import { resoOptions } from "../config/connections";
import { RUN_KEYS } from "../queues/messages";
import { getSync, type SyncRow } from "../store/listings";
import { type ReplicationLag, replicationLag } from "./lag";

export interface WatchedRun {
  run: string;
  row: SyncRow | null;
  lag: ReplicationLag;
}

/**
 * The listings run and each roster run the connection replicates, then the keys-only pass once
 * it has started (it starts after the first complete sync, and is due every `keysEveryMinutes`).
 */
export async function watchedRuns(db: D1Database, conn: ConnectionConfig, now: number): Promise<WatchedRun[]> {
  const opts = resoOptions(conn);
  const runs: WatchedRun[] = [];
  for (const run of [...opts.resources, RUN_KEYS]) {
    const row = await getSync(db, conn.id, run);
    if (run === RUN_KEYS && !row) continue;
    runs.push({ run, row, lag: replicationLag(row, run === RUN_KEYS ? opts.keysEveryMinutes : conn.pollMinutes, now) });
  }
  return runs;
}
