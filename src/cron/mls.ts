/**
 * Cron side of MLS replication (enqueue only; the `mls` consumer does the work): starts the first
 * full sync, then an incremental poll every `pollMinutes` (of the listings, and of the Member and
 * Office rosters when the connection names them), and a keys-only pass every `keysEveryMinutes`
 * once the first sync is done; and resumes a run whose page message was lost (a run still
 * "running" with no page applied for STALLED_MS), from the page after the last one applied.
 */
import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { resoOptions } from "../config/connections";
import { RUN_KEYS, RUN_LISTINGS, type MlsMessage, type MlsRun } from "../queues/messages";
import { enqueue } from "../queues/send";
import { getSync, startRun, type SyncRow } from "../store/listings";
import { STALLED_MS } from "../mls/lag";

export { STALLED_MS } from "../mls/lag";

async function send(env: Env, conn: ConnectionConfig, run: MlsRun, seq: number): Promise<void> {
  const msg: MlsMessage = { v: 1, kind: "mls", job: "page", connection: conn.id, run, seq };
  await enqueue(env, "mls", msg);
}

/** What a run needs now: resume a stalled page, start a new run when due, or nothing. */
async function tick(
  env: Env,
  conn: ConnectionConfig,
  run: MlsRun,
  row: SyncRow | null,
  due: (row: SyncRow) => boolean,
  phase: string,
  passId: string | null,
  now: number,
): Promise<string | null> {
  if (row?.status === "running") {
    if (now - row.updated_at < STALLED_MS) return null;
    await send(env, conn, run, row.seq);
    return `${run}:resumed:${row.seq}`;
  }
  if (row && !due(row)) return null;
  const seq = await startRun(env.DB, conn.id, run, row ? phase : run === RUN_KEYS ? "keys" : "initial", passId, now);
  if (seq === null) return null;
  await send(env, conn, run, seq);
  return `${run}:started:${seq}`;
}

/** Enqueues the MLS replication work that is due; returns what it did, for the log and tests. */
export async function scheduleMls(env: Env, config: BrokerageConfig, now: number): Promise<string[]> {
  const conn = config.mls ? config.connections.find((c) => c.id === config.mls) : undefined;
  if (!conn) return [];
  const opts = resoOptions(conn);
  const done: string[] = [];
  let main: SyncRow | null = null;
  const due = (r: SyncRow) => now - (r.completed_at ?? 0) >= conn.pollMinutes * 60_000 - 30_000;
  // The listings (Property), and the list agents and offices when the connection names them: a
  // full sync, then incremental.
  for (const run of opts.resources) {
    const row = await getSync(env.DB, conn.id, run);
    if (run === RUN_LISTINGS) main = row;
    const r = await tick(env, conn, run, row, due, "incremental", null, now);
    if (r) done.push(r);
  }
  // The keys pass only makes sense against a complete copy.
  if (main?.completed_at) {
    const keys = await getSync(env.DB, conn.id, RUN_KEYS);
    const k = await tick(
      env,
      conn,
      RUN_KEYS,
      keys,
      (r) => now - (r.completed_at ?? 0) >= opts.keysEveryMinutes * 60_000,
      "keys",
      crypto.randomUUID(),
      now,
    );
    if (k) done.push(k);
  }
  return done;
}
