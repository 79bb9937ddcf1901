import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/cron";
import { healthMessage } from "../../src/consumers/health";
import { sandbox } from "../helpers/sandbox";
import { withQueuesDown } from "../helpers/queues";
import { overriding } from "../helpers/env";

const VENDORS = ["followupboss", "dotloop", "skyslope", "quickbooks", "liondesk"] as const;

/** env whose work queues keep what is sent to them, by queue: the cron's jobs are looked at, not run. */
function heldQueues(): { env: Env; sent: Array<{ queue: string; body: { kind?: string; connection?: string } }> } {
  const sent: Array<{ queue: string; body: { kind?: string; connection?: string } }> = [];
  const hold = (queue: string) => ({
    send: async (body: { kind?: string }) => void sent.push({ queue, body }),
    sendBatch: async (msgs: Iterable<{ body: { kind?: string } }>) => void sent.push(...[...msgs].map((m) => ({ queue, body: m.body }))),
  });
  const held = overriding(env, {
    INBOUND: hold("inbound"),
    CRM: hold("crm"),
    TMS: hold("tms"),
    ACCOUNTING: hold("accounting"),
    MLS: hold("mls"),
  });
  return { env: held, sent };
}

async function vendorRequests(): Promise<number[]> {
  return Promise.all(VENDORS.map(async (v) => (await sandbox<{ requests: number }>(`/_sandbox/${v}/counters`)).requests));
}

describe("the five-minute cron run", () => {
  it("calls no vendor: each active connection's health check becomes a job on its vendor's queue", async () => {
    const held = heldQueues();
    const before = await vendorRequests();
    await runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), held.env);
    expect(await vendorRequests()).toEqual(before);

    const checks = held.sent.filter((m) => m.body.kind === "health");
    expect(checks).toContainEqual({
      queue: "crm",
      body: expect.objectContaining({ v: 1, kind: "health", connection: "followupboss:main" }),
    });
    // The job does what the cron did: the ping goes out when the consumer runs it.
    const fub = checks.find((m) => m.body.connection === "followupboss:main");
    expect(await healthMessage(fub?.body, env)).toEqual({ ok: true, value: "reachable" });
    expect((await vendorRequests())[0]).toBeGreaterThan(before[0] ?? 0);
    const row = await env.DB.prepare("SELECT ok FROM health_checks WHERE connection = 'followupboss:main' ORDER BY at DESC LIMIT 1").first<{
      ok: number;
    }>();
    expect(row?.ok).toBe(1);
  });

  it("runs every step though one fails: the outbox's TMS queue refusing still leaves the CRM's health check queued, and alerts", async () => {
    const held = heldQueues();
    const at = new Date().toISOString();
    const event = {
      id: "deal_cron_steps:fields:1",
      type: "deal.upserted",
      schemaVersion: 1,
      occurredAt: at,
      receivedAt: at,
      source: { system: "followupboss", externalId: "901", deliveryId: "dlv_cron_steps" },
      subject: { kind: "deal", externalId: "901" },
      data: { deal: { id: "deal_cron_steps", custom: { inspectionDate: "2026-12-20" }, dates: {}, participants: [] } },
    };
    await env.DB.prepare("INSERT INTO outbox (event_id, event, created_at) VALUES (?1, ?2, ?3)")
      .bind(event.id, JSON.stringify(event), Date.now() - 10 * 60_000)
      .run();
    const tmsDown = withQueuesDown(held.env, "TMS");
    // Two hours on, as the first run of this file did its health checks now.
    const later = Date.now() + 2 * 60 * 60_000;
    await expect(runScheduled(createScheduledController({ scheduledTime: later, cron: "*/5 * * * *" }), tmsDown)).rejects.toThrow(
      /sendUnsentEvents/,
    );
    expect(held.sent).toContainEqual({ queue: "crm", body: expect.objectContaining({ kind: "health", connection: "followupboss:main" }) });
    expect(await env.DB.prepare("SELECT event_id FROM outbox WHERE event_id = ?1").bind(event.id).first()).not.toBeNull();
    const alert = await env.DB.prepare("SELECT severity, state, detail FROM alerts WHERE key = 'cron_steps_failed'").first<{
      severity: string;
      state: string;
      detail: string;
    }>();
    expect(alert).toMatchObject({ severity: "critical", state: "firing", detail: expect.stringContaining("sendUnsentEvents") });

    // The next run with the queue back sends the event and resolves the alert.
    await runScheduled(createScheduledController({ scheduledTime: later + 5 * 60_000, cron: "*/5 * * * *" }), held.env);
    expect(held.sent).toContainEqual({ queue: "tms", body: expect.objectContaining({ event: expect.objectContaining({ id: event.id }) }) });
    expect(await env.DB.prepare("SELECT state FROM alerts WHERE key = 'cron_steps_failed'").first()).toEqual({ state: "resolved" });
  });
});
