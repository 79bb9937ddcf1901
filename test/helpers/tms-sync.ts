/**
 * What the TMS lost-stage tests do to a deal under contract (see deals.ts): the agent sells the
 * loop or moves the CRM deal, and the hub syncs the loop with the CRM and accounting queues
 * recorded instead of delivered.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { CanonicalMessage } from "../../src/queues/messages";
import type { BrokerageConfig } from "../../src/config/brokerage";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { crmFor, tmsFor } from "../../src/vendors/systems";
import type { DealUnderContract } from "./deals";
import { agentDotloop, fub } from "./people";

/** env whose CRM and accounting queues keep what is sent to them (and deliver nothing), as `<queue>:<event type>`. */
function recordingEnv(): { env: Env; sent: string[] } {
  const sent: string[] = [];
  const recording = (queue: Queue, name: string): Queue =>
    new Proxy(queue, {
      get(target, key) {
        const keep = (bodies: CanonicalMessage[]) => void sent.push(...bodies.map((b) => `${name}:${b.event.type}`));
        if (key === "send") return async (body: CanonicalMessage) => keep([body]);
        if (key === "sendBatch") return async (batch: Iterable<{ body: CanonicalMessage }>) => keep([...batch].map((m) => m.body));
        return Reflect.get(target, key, target) as unknown;
      },
    });
  const queues: Partial<Record<string | symbol, Queue>> = {
    CRM: recording(env.CRM, "crm"),
    ACCOUNTING: recording(env.ACCOUNTING, "accounting"),
  };
  return { env: new Proxy(env, { get: (target, key) => queues[key] ?? Reflect.get(target, key, target) }), sent };
}

/** The agent sets the loop's price (if given) and marks it sold; returns Dotloop's stamp of that change. */
export async function sellLoop(d: DealUnderContract, price?: string): Promise<string> {
  const dotloop = await agentDotloop();
  if (price)
    await dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}/detail`, { Financials: { "Purchase/Sale Price": price } });
  const loop = (await dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}`, { status: "SOLD" })) as {
    data: { updated: string };
  };
  return loop.data.updated;
}

/** The agent moves the CRM deal to a stage (by name) and the hub syncs that change. */
export async function moveInFub(d: DealUnderContract, stage: string): Promise<void> {
  await fub("PUT", `/v1/deals/${d.fubDealId}`, { stageId: d.stage(stage) });
  const config = brokerageConfig(env);
  expect(await handleCrmDeal(String(d.fubDealId), `fub-${stage}`, env, config, crmFor(env, config))).toEqual({
    ok: true,
    value: "stage_changed",
  });
}

/** The hub syncs the loop; what it told the CRM and accounting (`<queue>:<event type>`) is returned, not delivered. */
export async function syncLoop(
  d: DealUnderContract,
  config: BrokerageConfig = brokerageConfig(env),
): Promise<{ value: string; sent: string[] }> {
  const rec = recordingEnv();
  const r = await handleTmsChange(String(d.loop.id), `loop-${d.loop.id}`, rec.env, config, tmsFor(env, config));
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return { value: r.value, sent: rec.sent };
}

export async function priceCents(dealId: string): Promise<number | null> {
  return (
    (await env.DB.prepare("SELECT price_cents FROM deals WHERE id = ?1").bind(dealId).first<{ price_cents: number | null }>())
      ?.price_cents ?? null
  );
}
