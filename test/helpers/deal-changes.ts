/**
 * What the CRM-deal race tests do to a deal under contract (see deals.ts): the agent renames the
 * CRM deal, the agent marks the loop sold and the hub syncs it, and the golden deal as stored.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { tmsFor } from "../../src/vendors/systems";
import type { DealUnderContract } from "./deals";
import { eventually } from "./deliveries";
import { agentDotloop, fub } from "./people";
import { sandbox } from "./sandbox";

export interface GoldenDeal {
  name: string;
  stage: string;
  closedAt: number | null;
  fields: Record<string, { value: unknown; system: string; at: string }>;
}

export async function golden(dealId: string): Promise<GoldenDeal> {
  const row = await env.DB.prepare("SELECT name, stage, closed_at, fields FROM deals WHERE id = ?1")
    .bind(dealId)
    .first<{ name: string; stage: string; closed_at: number | null; fields: string }>();
  if (!row) throw new Error(`no golden deal ${dealId}`);
  return { name: row.name, stage: row.stage, closedAt: row.closed_at, fields: JSON.parse(row.fields) as GoldenDeal["fields"] };
}

/** The agent renames the CRM deal; returns Follow Up Boss's stamp of that change. */
export async function renameInFub(fubDealId: number, name: string): Promise<string> {
  await fub("PUT", `/v1/deals/${fubDealId}`, { name });
  // Under either published spelling of the deal's timestamps (the sandbox's dealTimestamps).
  const deal = await fub<{ updatedAt?: string; updated?: string }>("GET", `/v1/deals/${fubDealId}`);
  return deal.updatedAt ?? deal.updated ?? "";
}

/** Waits for a later second than `stamp`: vendors stamp to the second, and a tie goes to the later write. */
export async function nextSecond(stamp: string): Promise<void> {
  const t = Date.parse(stamp);
  if (Number.isNaN(t)) throw new Error(`not a time: ${stamp}`);
  const after = (Math.floor(t / 1000) + 1) * 1000 + 50;
  while (Date.now() < after) await new Promise((r) => setTimeout(r, 25));
}

/**
 * quiet(), and no queue message still waiting out a retry: a notice that lost a compare-and-set
 * to another is handled again after the ladder's first rung (at most 10 s), with no vendor call
 * in between for quiet() to see.
 */
export async function settled(): Promise<void> {
  for (;;) {
    await quiet();
    const last = await env.DB.prepare("SELECT MAX(at) AS at FROM message_attempts").first<{ at: number | null }>();
    const wait = (last?.at ?? 0) + 11_000 - Date.now();
    if (wait <= 0) return;
    await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Waits until the hub's queued work from the deal's setup (its webhooks, delivered twice) is done:
 * neither Follow Up Boss nor Dotloop is called for 2.5 s. A sync still running would fetch the CRM
 * deal after the agent's change and apply it before the test's own sync does.
 */
export async function quiet(): Promise<void> {
  const calls = async () => {
    const counts = await Promise.all(["followupboss", "dotloop"].map((v) => sandbox<{ requests: number }>(`/_sandbox/${v}/counters`)));
    return counts.reduce((n, c) => n + c.requests, 0);
  };
  let last = await calls();
  let since = Date.now();
  const until = Date.now() + 20_000;
  while (Date.now() - since < 2_500) {
    if (Date.now() > until) throw new Error("the hub's queued work did not settle");
    await new Promise((r) => setTimeout(r, 100));
    const n = await calls();
    if (n !== last) [last, since] = [n, Date.now()];
  }
}

/** The agent marks the loop sold in Dotloop and the hub syncs that change to the end. */
export async function closeInTms(d: DealUnderContract): Promise<void> {
  const dotloop = await agentDotloop();
  await dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}`, { status: "SOLD" });
  const config = brokerageConfig(env);
  // Queued work may be writing the same deal: a lost compare-and-set is tried again, as the queue would.
  await eventually(async () => {
    const r = await handleTmsChange(String(d.loop.id), `close-${d.loop.id}`, env, config, tmsFor(env, config));
    if (!r.ok && r.error.code !== "deal_changed_concurrently") throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.ok;
  }, 10_000);
  expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "closed", system: "dotloop" });
}

/** The backup poll's notice that a loop changed, as the TMS consumer takes it. */
export function loopNotice(loopId: number) {
  return {
    v: 1,
    event: {
      id: `poll:dotloop:main:loop:${loopId}:${crypto.randomUUID()}`,
      type: "vendor.resource_changed",
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      source: { system: "dotloop", externalId: String(loopId), deliveryId: `poll:${crypto.randomUUID()}` },
      subject: { kind: "other", externalId: String(loopId) },
      data: { system: "dotloop", resource: "loop", ids: [String(loopId)], action: "updated", vendorEvent: "poll" },
    },
  };
}
