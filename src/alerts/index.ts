import { log } from "../lib/log";
import { alertPayload, onFire, onResolve, type AlertDecision, type AlertRow } from "./policy";

export interface AlertInput {
  key: string; // stable identity, e.g. "vendor_down:followupboss:main"
  severity: "info" | "warning" | "critical";
  title: string;
  detail?: string;
}

async function current(db: D1Database, key: string): Promise<AlertRow | null> {
  return db.prepare(`SELECT state, notified_at FROM alerts WHERE key = ?1`).bind(key).first<AlertRow>();
}

async function notify(env: Env, a: AlertInput, d: AlertDecision, now: number): Promise<void> {
  if (!d.notify || d.kind === "none") return;
  const payload = alertPayload({ ...a, kind: d.kind });
  await env.DB.batch([
    env.DB.prepare(`UPDATE alerts SET notified_at = ?2 WHERE key = ?1`).bind(a.key, now),
    env.DB.prepare(`INSERT INTO alert_log (key, kind, at, payload) VALUES (?1, ?2, ?3, ?4)`).bind(a.key, d.kind, now, JSON.stringify(payload)),
  ]);
  log(a.severity === "critical" ? "error" : "warn", "alert", { key: a.key, kind: d.kind, severity: a.severity });
  const url = env.ALERT_WEBHOOK_URL;
  if (url) {
    await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload), signal: AbortSignal.timeout(5_000) }).catch(
      (err: unknown) => log("warn", "alert_delivery_failed", { key: a.key, error: err instanceof Error ? err.name : "unknown" }),
    );
  }
}

/** Raises (or keeps raising) an alert; notifies per the de-duplication policy. */
export async function fireAlert(env: Env, a: AlertInput, minIntervalSeconds = 900, now = Date.now()): Promise<void> {
  const existing = await current(env.DB, a.key);
  const d = onFire(existing, now, minIntervalSeconds * 1000);
  await env.DB.prepare(
    `INSERT INTO alerts (key, severity, title, detail, state, count, first_at, last_at) VALUES (?1, ?2, ?3, ?4, 'firing', 1, ?5, ?5)
     ON CONFLICT (key) DO UPDATE SET severity = excluded.severity, title = excluded.title, detail = excluded.detail,
       count = CASE WHEN state = 'resolved' THEN 1 ELSE count + 1 END,
       first_at = CASE WHEN state = 'resolved' THEN excluded.first_at ELSE first_at END,
       state = 'firing', last_at = excluded.last_at, resolved_at = NULL`,
  )
    .bind(a.key, a.severity, a.title, a.detail ?? null, now)
    .run();
  await notify(env, a, d, now);
}

/** Resolves an alert if it is firing; notifies the recovery once. */
export async function resolveAlert(env: Env, key: string, title: string, now = Date.now()): Promise<void> {
  const existing = await current(env.DB, key);
  const d = onResolve(existing);
  if (d.kind === "none") return;
  await env.DB.prepare(`UPDATE alerts SET state = 'resolved', resolved_at = ?2, last_at = ?2 WHERE key = ?1`).bind(key, now).run();
  await notify(env, { key, severity: "info", title }, d, now);
}
