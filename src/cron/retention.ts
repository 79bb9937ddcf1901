import type { BrokerageConfig } from "../config/brokerage";
import { log } from "../lib/log";

const DAY = 86_400_000;

/**
 * Deletes raw vendor payloads and vendor-derived event data older than each source's retention
 * (some vendors' terms require deleting their data after delivery). The delivery row, its trace
 * and the golden record stay, so the audit trail survives without the vendor's data.
 */
export async function purgeExpired(env: Env, config: BrokerageConfig, now: number): Promise<number> {
  let purged = 0;
  for (const [source, days] of Object.entries(config.retentionDays)) {
    const cutoff = now - days * DAY;
    const [deliveries, events] = await env.DB.batch([
      env.DB.prepare(`UPDATE deliveries SET payload = NULL, status = CASE WHEN status = 'received' THEN status ELSE 'purged' END
                      WHERE source = ?1 AND received_at < ?2 AND payload IS NOT NULL`).bind(source, cutoff),
      env.DB.prepare(`UPDATE events SET data = NULL WHERE source_system = ?1 AND recorded_at < ?2 AND data IS NOT NULL`).bind(source, cutoff),
    ]);
    purged += (deliveries?.meta.changes ?? 0) + (events?.meta.changes ?? 0);
  }
  if (purged > 0) log("info", "retention_purge", { rows: purged });
  return purged;
}
