import { describe, expect, it } from "vitest";
import { CanonicalEvent, EventType, SystemName } from "../../src/canonical";
import { emit } from "../../src/queues/emit";
import { SUBSCRIBERS, SYSTEM_QUEUE } from "../../src/queues/routing";

const BINDINGS = { INBOUND: "inbound", CRM: "crm", TMS: "tms", ACCOUNTING: "accounting", MLS: "mls", DEAD_LETTER: "dead-letter" } as const;

/** An Env whose queue producers record what reaches them, by queue name, and deliver nothing. */
function spyEnv(): { env: Env; sent: Array<{ queue: string; body: { v: number; event: CanonicalEvent } }>; calls: string[] } {
  const sent: Array<{ queue: string; body: { v: number; event: CanonicalEvent } }> = [];
  const calls: string[] = [];
  const producer = (queue: string) => ({
    send: async (body: { v: number; event: CanonicalEvent }) => {
      calls.push(`${queue}.send`);
      sent.push({ queue, body });
    },
    sendBatch: async (batch: Iterable<{ body: { v: number; event: CanonicalEvent } }>) => {
      calls.push(`${queue}.sendBatch`);
      for (const m of batch) sent.push({ queue, body: m.body });
    },
  });
  const env = Object.fromEntries(Object.entries(BINDINGS).map(([binding, queue]) => [binding, producer(queue)]));
  return { env: env as unknown as Env, sent, calls };
}

/** A valid event of each type (parsed, so the shape is the one consumers receive). */
function sample(type: EventType, system: SystemName = "hub", data: Record<string, unknown> = {}): CanonicalEvent {
  const deal = { dates: {}, participants: [] };
  const person = { emails: [{ value: "ana@example.com" }] };
  const resource = { system, resource: "record", ids: ["1"], action: "updated" };
  const byType: Record<EventType, unknown> = {
    "lead.received": { person },
    "person.upserted": { person },
    "deal.created": { deal },
    "deal.upserted": { deal },
    "deal.stage_changed": { to: "under_contract" },
    "transaction.created": { transaction: deal },
    "transaction.upserted": { transaction: deal },
    "transaction.status_changed": { to: "closed" },
    "transaction.closed": { transaction: deal },
    "document.signed": { envelopeId: "env-1", scope: "envelope" },
    "invoice.changed": resource,
    "vendor.resource_changed": resource,
  };
  return CanonicalEvent.parse({
    id: `evt-${type}-${system}`,
    type,
    schemaVersion: 1,
    occurredAt: "2024-05-01T17:00:00Z",
    receivedAt: "2024-05-01T17:00:00Z",
    source: { system, deliveryId: "dlv-1" },
    subject: { kind: "other" },
    data: { ...(byType[type] as object), ...data },
  });
}

async function queuesReached(event: CanonicalEvent): Promise<string[]> {
  const spy = spyEnv();
  const n = await emit(spy.env, event);
  expect(n).toBe(spy.sent.length);
  for (const s of spy.sent) expect(s.body).toEqual({ v: 1, event });
  return spy.sent.map((s) => s.queue).sort();
}

describe("emit sends an event to exactly the queues the routing table names", () => {
  // The two types whose queues depend on the event are proven case by case below.
  const plain = EventType.options.filter((t) => t !== "vendor.resource_changed" && t !== "deal.stage_changed");

  it.each(plain)("%s reaches its subscribers and no other queue", async (type) => {
    expect(await queuesReached(sample(type))).toEqual([...SUBSCRIBERS[type]].sort());
  });

  it("transaction.closed reaches accounting and the CRM", async () => {
    expect(await queuesReached(sample("transaction.closed", "dotloop"))).toEqual(["accounting", "crm"]);
  });

  it("person.upserted reaches the CRM and the TMS, whichever system it came from", async () => {
    expect(await queuesReached(sample("person.upserted", "followupboss"))).toEqual(["crm", "tms"]);
    expect(await queuesReached(sample("person.upserted", "dotloop"))).toEqual(["crm", "tms"]);
  });

  it.each(SystemName.options)(
    "vendor.resource_changed of %s reaches only the queue of that system's adapter, if it has one",
    async (system) => {
      const own = SYSTEM_QUEUE[system];
      expect(await queuesReached(sample("vendor.resource_changed", system))).toEqual(own ? [own] : []);
    },
  );

  it("deal.stage_changed reaches the TMS, and the CRM too when a TMS reported it", async () => {
    expect(await queuesReached(sample("deal.stage_changed", "followupboss"))).toEqual([...SUBSCRIBERS["deal.stage_changed"]].sort());
    expect(await queuesReached(sample("deal.stage_changed", "dotloop"))).toEqual(["crm", "tms"]);
  });
});

describe("emit's batching", () => {
  it("sends several events for one queue in batches, in the order given, and one event with a single send", async () => {
    const spy = spyEnv();
    const leads = Array.from({ length: 120 }, (_, i) => ({ ...sample("lead.received"), id: `lead-${i}` }));
    expect(await emit(spy.env, leads)).toBe(120);
    expect(spy.calls).toEqual(["crm.sendBatch", "crm.sendBatch", "crm.sendBatch"]);
    expect(spy.sent.map((s) => s.body.event.id)).toEqual(leads.map((l) => l.id));

    const one = spyEnv();
    await emit(one.env, sample("transaction.created"));
    expect(one.calls).toEqual(["crm.send"]);
  });

  it("sends nothing for an event nobody subscribes to, or for no events", async () => {
    const spy = spyEnv();
    expect(await emit(spy.env, [sample("vendor.resource_changed", "docusign")])).toBe(0);
    expect(await emit(spy.env, [])).toBe(0);
    expect(spy.calls).toEqual([]);
  });
});
