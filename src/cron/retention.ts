import type { BrokerageConfig } from "../config/brokerage";
import { log } from "../lib/log";
import { runPurge, sourcePurgeStatements, unattributedPurgeStatements } from "../store/retention";

const DAY = 86_400_000;
/**
 * How long a queue keeps a message it has not consumed (Cloudflare Queues' default retention).
 * A spooled body or an attempt's record older than this cannot belong to a message still queued.
 */
const QUEUE_RETENTION_MS = 4 * DAY;

/**
 * Deletes raw vendor payloads and vendor-derived data older than each source's retention (some
 * vendors' terms require deleting their data after delivery), wherever the hub keeps a copy. The
 * delivery row, its trace and the golden record stay, so the audit trail survives without the
 * vendor's data; nothing a delivery still in flight needs is touched. Copies that name no source
 * go on the strictest schedule configured, so none outlives any source's retention; those a
 * queued message may still need wait, besides, until no queue can hold that message.
 */
export async function purgeExpired(env: Env, config: BrokerageConfig, now: number): Promise<number> {
  const schedules = Object.entries(config.retentionDays);
  if (schedules.length === 0) return 0;
  const statements = schedules.flatMap(([source, days]) => sourcePurgeStatements(env.DB, source, now - days * DAY));
  const strictest = now - Math.min(...schedules.map(([, days]) => days)) * DAY;
  const unqueued = Math.min(strictest, now - QUEUE_RETENTION_MS);
  const purged = await runPurge(env.DB, [...statements, ...unattributedPurgeStatements(env.DB, strictest, unqueued)]);
  if (purged > 0) log("info", "retention_purge", { rows: purged });
  return purged;
}
