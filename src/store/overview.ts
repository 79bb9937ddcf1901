/** D1 counts behind the operations overview, read together in one batch. */

export interface OverviewCounts {
  stages: Array<{ stage: string; outcome: string; n: number }>;
  intake: Array<{ source: string; status: string; n: number }>;
  /** Deliveries still `received`, however old: queued but not yet ingested. */
  backlog: { n: number; oldest: number | null };
  deadLetters: Array<{ status: string; queue: string; n: number }>;
  firingAlerts: Array<{ key: string; severity: string; title: string; count: number; first_at: number; last_at: number }>;
  /** Every firing alert, of which `firingAlerts` lists the 20 most recent. */
  firingAlertsTotal: number;
  heartbeats: Array<{ name: string; at: number }>;
}

/**
 * Traces per stage and outcome and deliveries per source and status since `since`, the inbound
 * backlog, dead letters per status and queue, the 20 alerts most recently fired that still fire
 * and how many fire, and every scheduled job's last run.
 */
export async function overviewCounts(db: D1Database, since: number): Promise<OverviewCounts> {
  const [stages, intake, backlog, letters, firing, firingTotal, beats] = await db.batch([
    db.prepare(`SELECT stage, outcome, COUNT(*) AS n FROM traces WHERE at >= ?1 GROUP BY stage, outcome`).bind(since),
    db.prepare(`SELECT source, status, COUNT(*) AS n FROM deliveries WHERE received_at >= ?1 GROUP BY source, status`).bind(since),
    db.prepare(`SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM deliveries WHERE status = 'received'`),
    db.prepare(`SELECT status, queue, COUNT(*) AS n FROM dead_letters GROUP BY status, queue`),
    db.prepare(`SELECT key, severity, title, count, first_at, last_at FROM alerts WHERE state = 'firing' ORDER BY last_at DESC LIMIT 20`),
    db.prepare(`SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'`),
    db.prepare(`SELECT name, at FROM heartbeats ORDER BY name`),
  ]);
  return {
    stages: (stages?.results ?? []) as OverviewCounts["stages"],
    intake: (intake?.results ?? []) as OverviewCounts["intake"],
    backlog: (backlog?.results?.[0] ?? { n: 0, oldest: null }) as OverviewCounts["backlog"],
    deadLetters: (letters?.results ?? []) as OverviewCounts["deadLetters"],
    firingAlerts: (firing?.results ?? []) as OverviewCounts["firingAlerts"],
    firingAlertsTotal: (firingTotal?.results?.[0] as { n: number } | undefined)?.n ?? 0,
    heartbeats: (beats?.results ?? []) as OverviewCounts["heartbeats"],
  };
}
