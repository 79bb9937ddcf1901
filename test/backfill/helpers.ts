/** Seeding the sandbox's vendors with a brokerage's existing records, and driving a backfill by hand. */
import { env } from "cloudflare:workers";
import { backfillMessage, startBackfill } from "../../src/backfill/run";
import { getRun, type RunRow } from "../../src/store/backfill";
import type { Result } from "../../src/lib/result";
import { connect } from "../helpers/people";
import { resetSandbox, sandbox } from "../helpers/sandbox";

export interface Seeded {
  counts: Record<string, number>;
  cases: Record<string, string[]>;
  truth: Record<string, string>;
}

export function seedBrokerage(sizes: {
  seed: number;
  people: number;
  deals: number;
  transactions: number;
  customers: number;
}): Promise<Seeded> {
  return sandbox<Seeded>("/_sandbox/seed/backfill", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...sizes, truth: true }),
  });
}

/**
 * A fresh sandbox with Dotloop and QuickBooks connected and the brokerage's records seeded, and
 * where each vendor's request log stood then (so a test counts only the backfill's own calls).
 */
export async function seededBrokerage(
  sizes: Parameters<typeof seedBrokerage>[0],
): Promise<{ seeded: Seeded; logStart: Record<string, number> }> {
  await resetSandbox();
  await connect("dotloop");
  await connect("quickbooks");
  const seeded = await seedBrokerage(sizes);
  const logStart: Record<string, number> = {};
  for (const v of ["followupboss", "dotloop", "quickbooks"]) logStart[v] = (await requestLog(v)).length;
  return { seeded, logStart };
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

export function requestLog(vendor: string): Promise<LoggedRequest[]> {
  return sandbox<LoggedRequest[]>(`/_sandbox/${vendor}/requests`);
}

/** `base` whose work queues keep what is sent to them: the test hands each backfill message over itself. */
export function heldQueues(base: Env = env): { env: Env; sent: unknown[] } {
  const sent: unknown[] = [];
  const hold = (queue: Queue): Queue =>
    new Proxy(queue, {
      get(target, key) {
        if (key === "send") return async (body: unknown) => void sent.push(body);
        if (key === "sendBatch") return async (batch: Iterable<{ body: unknown }>) => void sent.push(...[...batch].map((m) => m.body));
        return Reflect.get(target, key, target) as unknown;
      },
    });
  const queues: Partial<Record<string | symbol, Queue>> = { CRM: hold(base.CRM), TMS: hold(base.TMS), ACCOUNTING: hold(base.ACCOUNTING) };
  return { env: new Proxy(base, { get: (target, key) => queues[key] ?? Reflect.get(target, key, target) }), sent };
}

/**
 * Hands the run's messages (at most `max` deliveries) to the consumer one by one, as the queues
 * would: a deferred message (a linker waiting for a page not read yet) goes to the back of the line;
 * stops at the first other failure, leaving that message first in line for its retry.
 */
export async function drive(
  appEnv: Env,
  sent: unknown[],
  runId: string,
  max = 2000,
): Promise<{ run: RunRow; failure: Result<string> | null }> {
  let deferredInARow = 0;
  for (let i = 0; i < max; i++) {
    const next = sent.shift();
    if (!next) break;
    const m = next as { page: number; read?: string };
    const r = await backfillMessage(next, appEnv, `msg-${m.read ?? "link"}-${m.page}`);
    if (!r.ok && r.error.defer) {
      sent.push(next);
      // Only deferred messages left, and none moved: nothing would ever stage their pages.
      if (++deferredInARow > sent.length + 1) return { run: (await getRun(env.DB, runId)) as RunRow, failure: r };
      continue;
    }
    deferredInARow = 0;
    if (!r.ok) {
      sent.unshift(next); // the queue would retry this very message
      return { run: (await getRun(env.DB, runId)) as RunRow, failure: r };
    }
  }
  return { run: (await getRun(env.DB, runId)) as RunRow, failure: null };
}

/**
 * Starts a run whose D1 is the one `db` makes of the held environment (a proxy that plays another
 * writer at a chosen moment, told the run's id once there is one) and drives it to its end.
 */
export async function driveThrough(
  db: (base: Env, runId: () => string) => D1Database,
): Promise<{ run: RunRow; failure: Result<string> | null; runId: string }> {
  let runId = "";
  const held = heldQueues();
  const proxied = db(held.env, () => runId);
  const appEnv = new Proxy(held.env, { get: (t, k) => (k === "DB" ? proxied : Reflect.get(t, k, t)) });
  const started = await startBackfill(appEnv, Date.now());
  if (!started.ok) throw new Error(started.message);
  runId = started.value.id;
  return { ...(await drive(appEnv, held.sent, runId)), runId };
}
