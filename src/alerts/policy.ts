/**
 * When an alert notifies, as a pure decision: the first sighting of a key notifies; while it keeps
 * firing it notifies again at most once per `minIntervalMs`; a recovery notifies once. So an outage
 * produces one alert and one recovery, not a thousand.
 */
export interface AlertRow {
  state: "firing" | "resolved";
  /** When a notification of this key last reached the alert webhook. */
  notified_at: number | null;
  /** Notifications of this key not delivered yet (the cron retries them). */
  pending?: number;
}

export type AlertDecision = { notify: boolean; state: "firing" | "resolved"; kind: "fired" | "resolved" | "repeat" | "none" };

export function onFire(existing: AlertRow | null, now: number, minIntervalMs: number): AlertDecision {
  if (!existing || existing.state === "resolved") return { notify: true, state: "firing", kind: "fired" };
  // An undelivered notice of this outage is still waiting for the webhook: it speaks for this one.
  if ((existing.pending ?? 0) > 0) return { notify: false, state: "firing", kind: "none" };
  const due = existing.notified_at === null || now - existing.notified_at >= minIntervalMs;
  return { notify: due, state: "firing", kind: due ? "repeat" : "none" };
}

export function onResolve(existing: AlertRow | null): AlertDecision {
  if (!existing || existing.state === "resolved") return { notify: false, state: "resolved", kind: "none" };
  return { notify: true, state: "resolved", kind: "resolved" };
}

/**
 * Slack's control characters as text: titles and details carry names a sender chose (a drifted
 * field can be called `<!channel>` or `<https://x|click>`), which must not ping or link.
 */
export function escapeSlackText(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A Slack-compatible body (`text` plus blocks); generic webhook receivers read `text` and the fields. */
export function alertPayload(a: { key: string; severity: string; title: string; detail?: string; kind: "fired" | "resolved" | "repeat" }) {
  const icon = a.kind === "resolved" ? "✅" : a.severity === "critical" ? "🚨" : "⚠️";
  const verb = a.kind === "resolved" ? "Resolved" : a.kind === "repeat" ? "Still firing" : "Alert";
  const text = escapeSlackText(`${icon} ${verb}: ${a.title}${a.detail ? ` — ${a.detail}` : ""}`);
  return {
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    dealwire: { key: a.key, severity: a.severity, state: a.kind === "resolved" ? "resolved" : "firing" },
  };
}
