import { exports } from "cloudflare:workers";

/** The vendor sandbox, reached over HTTP exactly as the hub reaches it (any host routes there in tests). */
export const SANDBOX = "http://127.0.0.1:8788";

export async function sandbox<T = unknown>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${SANDBOX}${path}`, init);
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

export function resetSandbox(seed = 42): Promise<unknown> {
  return sandbox("/_sandbox/reset", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ seed }) });
}

export function setSettings(vendor: string, settings: Record<string, unknown>): Promise<unknown> {
  return sandbox(`/_sandbox/${vendor}/settings`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(settings),
  });
}

export function records<T = Record<string, unknown[]>>(vendor: string): Promise<T> {
  return sandbox<T>(`/_sandbox/${vendor}/records`);
}

interface OutboxEntry {
  id: string;
  source: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Delivers the webhooks the sandbox's vendors sent (kept in its outbox in tests) to the hub's own
 * entry, as the vendors would; `times` > 1 delivers each one again (at-least-once delivery).
 */
export async function deliverOutbox(opts: { source?: string; times?: number; reverse?: boolean } = {}): Promise<Response[]> {
  const q = opts.source ? `?source=${opts.source}` : "";
  const entries = await sandbox<OutboxEntry[]>(`/_sandbox/outbox/drain${q}`, { method: "POST" });
  const out: Response[] = [];
  for (let i = 0; i < (opts.times ?? 1); i++) {
    // With `reverse`, every other round runs backwards: the same webhooks, out of order.
    const round = opts.reverse && i % 2 === 1 ? [...entries].reverse() : entries;
    for (const e of round) {
      out.push(await exports.default.fetch(`http://hub.test${e.path}`, { method: "POST", headers: e.headers, body: e.body }));
    }
  }
  return out;
}
