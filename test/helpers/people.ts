/**
 * What a broker and the agents do by hand, for the flow tests: connect an OAuth vendor through
 * the hub, work in Follow Up Boss and in their own Dotloop session, and read a record's trace.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { CanonicalMessage } from "../../src/queues/messages";
import { SANDBOX } from "./sandbox";

export const hub = (path: string, init?: RequestInit) => exports.default.fetch(`http://hub.test${path}`, init);

/** A broker connects an OAuth vendor: /connect/:vendor → vendor approves → callback on the hub. */
export async function connect(vendor: string): Promise<void> {
  const start = await hub(`/connect/${vendor}`, { redirect: "manual", headers: { authorization: `Bearer ${env.OPS_TOKEN}` } });
  expect(start.status).toBe(302);
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const approve = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
  expect(approve.status).toBe(302);
  const back = new URL(approve.headers.get("location") ?? "");
  const done = await hub(`${back.pathname}${back.search}`, { headers: { cookie } });
  expect(done.status).toBe(200);
}

export const fubHeaders = {
  authorization: `Basic ${btoa(`${env.FOLLOWUPBOSS_API_KEY}:`)}`,
  "x-system": env.FOLLOWUPBOSS_SYSTEM,
  "x-system-key": env.FOLLOWUPBOSS_SYSTEM_KEY,
  "content-type": "application/json",
};

/** An agent's call to Follow Up Boss (the sandbox), expected to succeed. */
export async function fub<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${SANDBOX}/followupboss${path}`, { method, headers: fubHeaders, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(r.ok, `${method} ${path}: ${r.status}`).toBe(true);
  return r.json<T>();
}

/** An agent's own Dotloop session (separate from the hub's grant). */
export async function agentDotloop(): Promise<(method: string, path: string, body?: unknown) => Promise<unknown>> {
  const redirect = "http://agent.test/cb";
  const a = await fetch(
    `${SANDBOX}/dotloop/oauth/authorize?response_type=code&client_id=${env.DOTLOOP_CLIENT_ID}&redirect_uri=${encodeURIComponent(redirect)}`,
    { redirect: "manual" },
  );
  const code = new URL(a.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const t = await fetch(`${SANDBOX}/dotloop/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${env.DOTLOOP_CLIENT_ID}:${env.DOTLOOP_CLIENT_SECRET}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect }),
  });
  const { access_token } = await t.json<{ access_token: string }>();
  return async (method, path, body) => {
    const r = await fetch(`${SANDBOX}/dotloop/public/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(r.ok, `${method} ${path}: ${r.status} ${r.ok ? "" : await r.clone().text()}`).toBe(true);
    const text = await r.text(); // a DELETE answers with no body
    return text ? JSON.parse(text) : undefined;
  };
}

/**
 * The brokerage accountant's own QuickBooks session (separate from the hub's grant): a call to
 * the company's API, expected to succeed, answering its JSON.
 */
export async function accountantQuickBooks(): Promise<<T>(path: string, body: unknown) => Promise<T>> {
  const redirect = "http://accountant.test/cb";
  const q = new URLSearchParams({
    client_id: env.QUICKBOOKS_CLIENT_ID,
    response_type: "code",
    scope: "com.intuit.quickbooks.accounting",
    redirect_uri: redirect,
    state: "s",
  });
  const a = await fetch(`${SANDBOX}/quickbooks/connect/oauth2?${q}`, { redirect: "manual" });
  const back = new URL(a.headers.get("location") ?? "");
  const t = await fetch(`${SANDBOX}/quickbooks/oauth2/v1/tokens/bearer`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${env.QUICKBOOKS_CLIENT_ID}:${env.QUICKBOOKS_CLIENT_SECRET}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code: back.searchParams.get("code") ?? "", redirect_uri: redirect }),
  });
  const { access_token } = await t.json<{ access_token: string }>();
  const realm = back.searchParams.get("realmId") ?? "";
  return async <T>(path: string, body: unknown) => {
    const r = await fetch(`${SANDBOX}/quickbooks/v3/company/${realm}/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    expect(r.ok, `POST ${path}: ${r.status} ${r.ok ? "" : await r.clone().text()}`).toBe(true);
    return r.json<T>();
  };
}

/** The trace stages of one record, oldest first. */
export async function stagesOf(subject: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT stage FROM traces WHERE subject = ?1 ORDER BY id")
    .bind(subject)
    .all<{ stage: string }>();
  return results.map((r) => r.stage);
}

/**
 * The crm queue's message for a Follow Up Boss "person updated" notice, heard at `occurredAt`
 * (as the hub's mapping stamps it), for tests that hand it to the consumer themselves.
 */
export function fubPersonNotice(fubId: number, occurredAt: string, eventId = `fub-notice-${crypto.randomUUID()}`): CanonicalMessage {
  return {
    v: 1,
    event: {
      id: eventId,
      type: "vendor.resource_changed",
      schemaVersion: 1,
      occurredAt,
      receivedAt: new Date().toISOString(),
      source: { system: "followupboss", externalId: eventId, deliveryId: eventId },
      subject: { kind: "person", externalId: String(fubId) },
      data: { system: "followupboss", resource: "person", ids: [String(fubId)], action: "updated", vendorEvent: "peopleUpdated" },
    },
  };
}
