/** Helpers for the vendor adapter tests: the sandbox's control API, the connect flow, connections. */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import defaults from "../../config/brokerage.json";
import { emptyBudget, grant, nextSlot, type Limits } from "../../src/durable/rate-budget";
import type { ConnectionConfig } from "../../src/config/brokerage";
import { brokerageConfig } from "../../src/config/load";
import type { StoredCredential } from "../../src/durable/vendor-gate";
import { createApp } from "../../src/routes/app";
import { connect } from "../../src/routes/connect";
import { connectionConfigFor, connectionFor } from "../../src/vendors/registry";
import type { Deal } from "../../src/canonical";
import type { Poller } from "../../src/vendors/poller";
import type { TmsAdapter } from "../../src/vendors/tms";
import type { Connection } from "../../src/vendors/shared/transport";
import { overriding } from "../helpers/env";

export const SANDBOX = "http://127.0.0.1:8788";

export async function sandbox<T = unknown>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${SANDBOX}${path}`, init);
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

const put = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export function setSettings(vendor: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  return sandbox(`/_sandbox/${vendor}/settings`, put(patch));
}

export function getSettings(vendor: string): Promise<Record<string, unknown> & { clockOffsetMs: number }> {
  return sandbox(`/_sandbox/${vendor}/settings`);
}

export function records<T = Record<string, unknown>>(vendor: string): Promise<Record<string, T[]>> {
  return sandbox(`/_sandbox/${vendor}/records`);
}

export async function kind<T = Record<string, unknown>>(vendor: string, name: string): Promise<T[]> {
  return ((await records<T>(vendor))[name] ?? []) as T[];
}

export interface Counters {
  requests: number;
  rateLimited: number;
  status2xx: number;
  status4xx: number;
  maxInFlight: number;
}

export function counters(vendor: string): Promise<Counters> {
  return sandbox(`/_sandbox/${vendor}/counters`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A short random suffix for connection ids, so tests never share a gate. */
export const uid = () => crypto.randomUUID().replace(/-/g, "").slice(0, 10);

/** The hub's HTTP surface with the connect routes mounted as src/index.ts is to mount them. */
export function hub() {
  const app = createApp();
  app.route("/connect", connect);
  return app;
}

export const opsAuth = (): Record<string, string> => ({ authorization: `Bearer ${env.OPS_TOKEN}` });

/** The env with a brokerage configuration that also lists copies of connections under new ids. */
export function envWith(copies: Array<{ from: string; id: string; patch?: Record<string, unknown> }>): Env {
  const doc = structuredClone(defaults) as { connections: Array<Record<string, unknown>> };
  for (const { from, id, patch } of copies) {
    const source = doc.connections.find((c) => c.id === from);
    if (!source) throw new Error(`no connection ${from}`);
    doc.connections.push({ ...structuredClone(source), ...patch, id });
  }
  return overriding(env, { BROKERAGE_CONFIG: JSON.stringify(doc) });
}

export function configOf(id: string, appEnv: Env = env): ConnectionConfig {
  const c = connectionConfigFor(brokerageConfig(appEnv), id);
  if (!c) throw new Error(`no connection ${id}`);
  return c;
}

/** A connection as the consumers open it, optionally with changed settings (limits, waits). */
export function open(id: string, overrides: Partial<ConnectionConfig> = {}, appEnv: Env = env): Connection {
  return connectionFor(env, { ...configOf(id, appEnv), ...overrides });
}

export interface ConnectFlow {
  start: Response;
  consent: Response;
  callbackUrl: URL;
  cookie: string;
  done: Response;
}

/**
 * The connect flow as a browser runs it: the operator opens /connect/:vendor, the vendor's
 * consent page redirects back, the browser follows to the callback with the flow's cookie.
 * `tamper` may change the callback URL before it is followed; `accept` is what the browser asks
 * the callback for (the JSON result, or the page an operator sees).
 */
export async function connectFlow(
  vendor: string,
  connection: string,
  appEnv: Env = env,
  tamper?: (u: URL) => void,
  accept = "application/json",
): Promise<ConnectFlow> {
  const app = hub();
  const start = await app.request(`/connect/${vendor}?connection=${encodeURIComponent(connection)}`, { headers: opsAuth() }, appEnv);
  expect(start.status).toBe(302);
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const consent = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
  expect(consent.status).toBe(302);
  const callbackUrl = new URL(consent.headers.get("location") ?? "");
  tamper?.(callbackUrl);
  const done = await app.request(`${callbackUrl.pathname}${callbackUrl.search}`, { headers: { cookie, accept } }, appEnv);
  return { start, consent, callbackUrl, cookie, done };
}

/** What the connection's gate holds, read without renewing anything. */
export async function storedCredential(id: string): Promise<StoredCredential | null> {
  const gate = env.VENDOR_GATE.getByName(id);
  const ans = await gate.credential(-Number.MAX_SAFE_INTEGER);
  if (ans.kind === "renew") await gate.abandonLease(ans.leaseId);
  return ans.kind === "token" ? ans.credential : null;
}

/**
 * Resets the connection's gate as an eviction or a deploy does: its memory is gone, its storage
 * stays, and stubs that reached the old instance are broken.
 */
export async function resetGate(id: string): Promise<void> {
  await runInDurableObject(env.VENDOR_GATE.getByName(id), (_gate, state) => {
    try {
      state.abort("reset by the test");
    } catch {
      // abort throws in the aborted object's own context
    }
  }).catch(() => undefined);
}

/** Makes the hub consider the stored access token expired (as if its lifetime had passed). */
export async function expireAtHub(id: string): Promise<StoredCredential> {
  const cred = await storedCredential(id);
  if (!cred) throw new Error(`${id} has no credential`);
  await env.VENDOR_GATE.getByName(id).storeCredential(null, { ...cred, expiresAt: Date.now() - 1 });
  return cred;
}

/**
 * How many of `n` callers asking at once get a slot within `maxWaitMs` from an idle budget: the
 * gate's own schedule (tested on its own in test/durable/rate-budget.test.ts).
 */
export function slotsWithin(limits: Limits, n: number, maxWaitMs: number): number {
  let state = emptyBudget();
  let granted = 0;
  for (let i = 0; i < n; i++) {
    const at = nextSlot(state, limits, 0);
    if (at > maxWaitMs) break;
    state = grant(state, limits, at, 0);
    granted++;
  }
  return granted;
}

/**
 * A backup poller follows one transaction: polled from just before `tms` made it, it reports the
 * record under `resource` with a cursor at or past its change; after `change`, polled from that
 * cursor, it reports the record again with a later time and moves the cursor past it. Times are
 * compared as instants (a zoneless stamp reads as UTC in workerd, as SkySlope means it).
 */
export async function expectPollerFollows(
  poller: Poller,
  resource: string,
  tms: TmsAdapter,
  deal: Deal,
  change: (id: string) => Promise<void>,
): Promise<void> {
  const since = new Date(Date.now() + (await getSettings(tms.system)).clockOffsetMs - 1_000).toISOString();
  const created = await tms.createTransaction({ reference: deal.id ?? "", deal });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.externalId;
  const first = await poller.poll(since, Date.now());
  if (!first.ok) throw new Error(first.error.message);
  const seen = first.value.changes.find((c) => c.id === id);
  expect(seen).toMatchObject({ resource });
  expect(Date.parse(first.value.cursor ?? "")).toBeGreaterThanOrEqual(Date.parse(seen?.updatedAt ?? ""));

  await sleep(1_100); // vendors stamp changes to the second
  await change(id);
  const next = await poller.poll(first.value.cursor, Date.now());
  if (!next.ok) throw new Error(next.error.message);
  const again = next.value.changes.find((c) => c.id === id);
  expect(Date.parse(again?.updatedAt ?? "")).toBeGreaterThan(Date.parse(seen?.updatedAt ?? ""));
  expect(Date.parse(next.value.cursor ?? "")).toBeGreaterThanOrEqual(Date.parse(again?.updatedAt ?? ""));
}
