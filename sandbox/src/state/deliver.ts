/**
 * HTTP delivery of queued webhooks (HUB_URL is an http(s) URL): POST each due delivery, then
 * mark it delivered, give it up (410, or 406/410 where the vendor disables on them), or
 * schedule the next rung of the vendor's retry ladder scaled by `timeScale`.
 */
import type { Counters } from "../core/counters";
import type { Outbox } from "../core/outbox";
import type { Settings } from "./settings";

const BATCH = 50;
const REQUEST_TIMEOUT_MS = 10_000;

export interface DeliverDeps {
  outbox: Pick<Outbox, "due" | "record">;
  hubUrl: string;
  settings: Settings;
  counters: Counters;
  onGone(ref: string): void;
  /** POSTs one delivery and returns the status (0 for a network error). Default: fetch. */
  post?: (url: string, headers: Record<string, string>, body: string) => Promise<number>;
  now?: () => number;
}

/** Attempts every delivery due now (at most one batch; the alarm re-arms for the rest). */
export async function deliverDue(deps: DeliverDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  const send = deps.post ?? post;
  const due = await deps.outbox.due(now(), BATCH);
  for (const d of due) {
    const target = d.url ?? `${deps.hubUrl.replace(/\/$/, "")}${d.path}`;
    const status = await send(target, d.headers, d.body);
    deps.counters.add("webhookAttempts");
    if (status >= 200 && status < 300) {
      deps.outbox.record(d.id, status, "delivered");
      deps.counters.add("webhooksSent");
    } else if (status === 410 || (status === 406 && d.source === "followupboss")) {
      deps.outbox.record(d.id, status, "failed");
      deps.counters.add("webhookFailures");
      if (d.ref !== null) deps.onGone(d.ref);
    } else {
      const delay = d.ladder[d.attempts];
      if (delay === undefined) {
        deps.outbox.record(d.id, status, "failed");
        deps.counters.add("webhookFailures");
      } else {
        deps.outbox.record(d.id, status, { retryAt: now() + delay * deps.settings.timeScale });
      }
    }
  }
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  try {
    const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0; // network error or timeout: retried like a 5xx
  }
}
