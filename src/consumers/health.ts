import { fireAlert, resolveAlert } from "../alerts";
import { brokerageConfig } from "../config/load";
import { failureLabel } from "../lib/failures";
import { ok, permanent, type Result } from "../lib/result";
import { HealthMessage } from "../queues/messages";
import { recordHealthCheck } from "../store/health-checks";
import { pingConnection } from "../vendors/systems";

/** How long a connection may be held back before it is raised. */
const HELD_MINUTES = 15;

/**
 * A health check the cron enqueued: calls a cheap endpoint of the connection (through its gate,
 * on its vendor's queue), records latency and status, and alerts on failure or resolves. The
 * vendor's answer is the check's result: a failed ping is recorded, not retried; one the gate held
 * back is neither (the next scheduled check asks again).
 */
export async function healthMessage(body: unknown, env: Env): Promise<Result<string>> {
  const parsed = HealthMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "health message");
  const config = brokerageConfig(env);
  const conn = config.connections.find((c) => c.id === parsed.data.connection);
  if (!conn) return permanent("connection_unknown", `no connection ${parsed.data.connection}`);
  const started = Date.now();
  const r: Result<true> = await pingConnection(env, conn).catch((err: unknown) => ({
    ok: false as const,
    error: { code: "internal", message: String(err), retryable: true },
  }));
  // Held back by the hub's own gate (the vendor asked it to wait): the vendor was not asked. Work
  // for it waits in its queue without spending retries, so a long wait is said, not sat out.
  const held = `vendor_held:${conn.id}`;
  if (!r.ok && r.error.defer) {
    const minutes = Math.round((r.error.retryAfterSeconds ?? 0) / 60);
    if (minutes > HELD_MINUTES)
      await fireAlert(
        env,
        {
          key: held,
          severity: "critical",
          title: `${conn.id} is held back ${minutes} more minutes`,
          detail: `The vendor asked the hub to wait (Retry-After). Its work waits in the queue until then.`,
        },
        config.alerts.minIntervalSeconds,
      );
    return ok("held_back");
  }
  const latency = Date.now() - started;
  await recordHealthCheck(env.DB, {
    connection: conn.id,
    at: started,
    ok: r.ok,
    latencyMs: latency,
    status: r.ok ? 200 : (r.error.status ?? null),
    detail: r.ok ? null : failureLabel(r.error),
  });
  const key = `vendor_down:${conn.id}`;
  if (r.ok) for (const k of [key, held]) await resolveAlert(env, k, `${conn.id} is reachable again`);
  else
    await fireAlert(
      env,
      { key, severity: "critical", title: `${conn.id} is failing health checks`, detail: failureLabel(r.error) },
      config.alerts.minIntervalSeconds,
    );
  return ok(r.ok ? "reachable" : `failing:${failureLabel(r.error)}`);
}
