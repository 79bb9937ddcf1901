import { describe, expect, it } from "vitest";
import { parseCanonicalEvent } from "../../src/canonical";
import { parseCanonicalMessage, parseInboundMessage } from "../../src/queues/messages";

const inbound = {
  v: 1,
  deliveryId: "dlv_1",
  source: "zillow",
  deliveryKey: "zillow:msg_1",
  receivedAt: 1_700_000_000_000,
  headers: { "content-type": "application/json" },
  body: { type: "lead.created", data: {} },
};

const event = {
  id: "dlv_1:zillow.lead:0",
  schemaVersion: 1,
  type: "lead.received",
  occurredAt: "2024-05-01T17:00:00Z",
  receivedAt: "2024-05-01T17:00:01.000Z",
  source: { system: "zillow", deliveryId: "dlv_1" },
  subject: { kind: "person" },
  data: { person: { firstName: "Ana", emails: [{ value: "ana@example.com" }] } },
};

describe("InboundMessage", () => {
  it("accepts a well-formed message", () => {
    const r = parseInboundMessage(inbound);
    expect(r.ok).toBe(true);
  });

  it("accepts a spooled body instead of an inline one", () => {
    const { body: _omit, ...rest } = inbound;
    expect(parseInboundMessage({ ...rest, spoolId: "spool/abc" }).ok).toBe(true);
    expect(parseInboundMessage(rest).ok).toBe(false);
  });

  it("returns a coded result instead of throwing on garbage", () => {
    const r = parseInboundMessage({ v: 2, source: "nope" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe("message_invalid");
      expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["v", "source"]));
    }
  });

  it("refuses to carry signature or secret headers", () => {
    const r = parseInboundMessage({ ...inbound, headers: { "webhook-signature": "v1,abc" } });
    expect(r.ok).toBe(false);
    expect(parseInboundMessage({ ...inbound, headers: { Authorization: "Basic x" } }).ok).toBe(false);
  });
});

describe("CanonicalMessage and events", () => {
  it("parses an event and applies defaults", () => {
    const r = parseCanonicalMessage({ v: 1, event, attempt: 0 });
    expect(r.ok).toBe(true);
    if (r.ok && r.value.event.type === "lead.received") expect(r.value.event.data.person.phones).toEqual([]);
  });

  it("types data by event type: a person event without a person is rejected", () => {
    const r = parseCanonicalEvent({ ...event, data: { deal: {} } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe("event_invalid");
  });

  it("rejects a person with no email and no phone", () => {
    const r = parseCanonicalEvent({ ...event, data: { person: { firstName: "Ana" } } });
    expect(r.ok).toBe(false);
  });

  it("enforces canonical forms: E.164, lowercase email, cents, two-letter state", () => {
    const bad = [
      { person: { phones: [{ value: "555-555-5555" }] } },
      { person: { emails: [{ value: "Ana@Example.com" }] } },
      { person: { emails: [{ value: "a@b.co" }] }, property: { mlsId: "1", price: 4500.5 } },
      { person: { emails: [{ value: "a@b.co" }], address: { state: "Ohio" } } },
    ];
    for (const data of bad) expect(parseCanonicalEvent({ ...event, data }).ok, JSON.stringify(data)).toBe(false);
  });

  it("rejects an unknown type or schema version", () => {
    expect(parseCanonicalEvent({ ...event, type: "lead.deleted" }).ok).toBe(false);
    expect(parseCanonicalEvent({ ...event, schemaVersion: 2 }).ok).toBe(false);
  });
});
