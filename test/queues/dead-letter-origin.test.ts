import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../src/canonical";
import type { CanonicalMessage, InboundMessage } from "../../src/queues/messages";
import { inferDeadLetterOrigin } from "../../src/queues/dead-letter-origin";
import { markReplay } from "../../src/queues/dead-letter-envelope";

const at = "2026-04-20T10:00:00Z";
const base = { id: "dlv_1:0", schemaVersion: 1 as const, occurredAt: at, receivedAt: at, subject: { kind: "other" as const } };

function message(event: CanonicalEvent): CanonicalMessage {
  return { v: 1, event };
}

const person = { emails: [{ value: "rosa@example.com" }], phones: [], roles: [], tags: [] };
const lead = message({ ...base, type: "lead.received", source: { system: "zillow", deliveryId: "dlv_1" }, data: { person } });
const upserted = message({ ...base, type: "person.upserted", source: { system: "followupboss", deliveryId: "dlv_1" }, data: { person } });
const closed = message({
  ...base,
  type: "transaction.closed",
  source: { system: "dotloop", deliveryId: "dlv_1" },
  data: { transaction: { dates: {}, participants: [] } },
});
const stageFromTms = message({
  ...base,
  type: "deal.stage_changed",
  source: { system: "dotloop", deliveryId: "dlv_1" },
  data: { to: "under_contract" },
});
const changed = (system: "quickbooks" | "docusign") =>
  message({
    ...base,
    type: "vendor.resource_changed",
    source: { system, deliveryId: "dlv_1" },
    data: { system, resource: "Invoice", ids: ["7"], action: "updated" },
  });
const inbound: InboundMessage = {
  v: 1,
  deliveryId: "dlv_1",
  source: "zillow",
  deliveryKey: "id:msg_1",
  receivedAt: 1_776_000_000_000,
  headers: {},
  body: { any: "thing" },
};
const poll = (connection: string) => ({ v: 1, kind: "poll", connection, at: 1_776_000_000_000 });

describe("the queue of a message the platform moved raw to the dead-letter queue", () => {
  it("an inbound delivery, body or spooled, came from inbound", () => {
    expect(inferDeadLetterOrigin(inbound)).toEqual({ known: true, queues: ["inbound"], basis: "an inbound delivery" });
    const { body: _body, ...rest } = inbound;
    expect(inferDeadLetterOrigin({ ...rest, spoolId: "sp_1" })).toMatchObject({ known: true, queues: ["inbound"] });
  });

  it("a canonical event came from the queue its type is routed to", () => {
    expect(inferDeadLetterOrigin(lead)).toEqual({ known: true, queues: ["crm"], basis: "a canonical lead.received event" });
    expect(inferDeadLetterOrigin(changed("quickbooks"))).toMatchObject({ known: true, queues: ["accounting"] });
  });

  it("an event routed to several queues goes back to each, unless the attempt history names one", () => {
    expect(inferDeadLetterOrigin(upserted)).toMatchObject({ known: true, queues: ["crm", "tms"] });
    expect(inferDeadLetterOrigin(closed)).toMatchObject({ known: true, queues: ["accounting", "crm"] });
    expect(inferDeadLetterOrigin(stageFromTms)).toMatchObject({ known: true, queues: ["tms", "crm"] });
    expect(inferDeadLetterOrigin(upserted, { attemptedOn: ["tms"] })).toMatchObject({ queues: ["tms"] });
    // History on a queue the event is not routed to narrows nothing.
    expect(inferDeadLetterOrigin(upserted, { attemptedOn: ["accounting"] })).toMatchObject({ queues: ["crm", "tms"] });
  });

  it("a poll came from its connection's vendor queue, from the configuration or the connection id", () => {
    expect(inferDeadLetterOrigin(poll("followupboss:main"))).toEqual({
      known: true,
      queues: ["crm"],
      basis: "a poll of connection followupboss:main",
    });
    expect(inferDeadLetterOrigin(poll("dotloop:agent-ann"))).toMatchObject({ queues: ["tms"] });
    expect(inferDeadLetterOrigin(poll("books:main"), { connections: [{ id: "books:main", vendor: "quickbooks" }] })).toMatchObject({
      queues: ["accounting"],
    });
  });

  it("a health check came from its connection's vendor queue, an auto-merge from the CRM's", () => {
    expect(inferDeadLetterOrigin({ v: 1, kind: "health", connection: "dotloop:main", at: 1_776_000_000_000 })).toEqual({
      known: true,
      queues: ["tms"],
      basis: "a health check of connection dotloop:main",
    });
    expect(inferDeadLetterOrigin({ v: 1, kind: "merge", proposal: "mp_1", actor: "auto-merge" })).toEqual({
      known: true,
      queues: ["crm"],
      basis: "an auto-merge",
    });
  });

  it("an MLS page or fetch came from the MLS queue, a listing note to an inquirer from the CRM's", () => {
    const note = {
      v: 1,
      kind: "mls",
      job: "note",
      personId: "per_1",
      listingKey: "L1",
      changeId: "L1:price:1",
      subject: "Price change",
      body: "The listing you asked about now asks $410,000.",
    };
    expect(inferDeadLetterOrigin(note)).toEqual({ known: true, queues: ["crm"], basis: "an MLS note job" });
    expect(inferDeadLetterOrigin({ v: 1, kind: "mls", job: "fetch", connection: "reso:main", keys: ["L1"], reason: "push" })).toMatchObject(
      {
        known: true,
        queues: ["mls"],
      },
    );
  });

  it("a replayed message (with its replayOf mark) is recognised the same", () => {
    expect(inferDeadLetterOrigin(markReplay(lead, "letter-1"))).toMatchObject({ known: true, queues: ["crm"] });
    expect(inferDeadLetterOrigin(markReplay(inbound, "letter-1"))).toMatchObject({ known: true, queues: ["inbound"] });
  });

  it("anything else is unknown, with the reason why", () => {
    for (const body of [{ v: 1, something: "else" }, null, "text", 42, [lead], { v: 2, event: lead.event }, { ...inbound, v: 2 }]) {
      const o = inferDeadLetterOrigin(body);
      expect(o, JSON.stringify(body)).toEqual({ known: false, reason: expect.stringContaining("none of the hub's queue messages") });
    }
    expect(inferDeadLetterOrigin(poll("mystery:main"))).toEqual({ known: false, reason: expect.stringContaining("'mystery:main'") });
    expect(inferDeadLetterOrigin(changed("docusign"))).toEqual({ known: false, reason: expect.stringContaining("no queue subscribes") });
  });
});
