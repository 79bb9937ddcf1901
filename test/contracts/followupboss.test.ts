/** Follow Up Boss's published bodies, and the fields it is known to send, through the hub's maps (pure). */
import { describe, expect, it } from "vitest";
import { mapDelivery, mapFollowUpBossDeal, mapFollowUpBossEvent, mapFollowUpBossPerson } from "../../src/mapping";
import buyer from "./followupboss/events_post__send_buyer_inquiry.json";
import general from "./followupboss/events_post__send_general_inquiry.json";
import registration from "./followupboss/events_post__send_lead_registration.json";
import seller from "./followupboss/events_post__send_seller_inquiry.json";

const ctx = { deliveryId: "dlv_contract", receivedAt: Date.UTC(2026, 0, 1) };

describe("Follow Up Boss published lead events", () => {
  for (const [name, body] of [
    ["registration", registration],
    ["general inquiry", general],
    ["buyer inquiry", buyer],
    ["seller inquiry", seller],
  ] as const) {
    it(`FUB's own ${name} example maps to a lead with its person and no drift`, () => {
      for (const out of [mapFollowUpBossEvent(body, ctx), mapDelivery("followupboss", body, ctx)]) {
        if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
        expect(out.drift).toEqual([]);
        const lead = out.events.find((e) => e.type === "lead.received");
        if (lead?.type !== "lead.received") throw new Error("no lead");
        expect(lead.data.person.lastName).toBe(body.person.lastName);
        expect(lead.data.person.emails.map((e) => e.value)).toEqual(body.person.emails.map((e) => e.value.toLowerCase()));
      }
    });
  }
});

describe("Follow Up Boss fields seen on live records", () => {
  it("a person's sourceId, timeframe*, deal* and websiteVisits are known fields, not drift", () => {
    const person = {
      id: 4021,
      firstName: "Ana",
      lastName: "Ruiz",
      updated: "2026-01-05T10:00:00Z",
      emails: [{ value: "ana@example.com" }],
      phones: [],
      tags: [],
      sourceId: 7,
      timeframeId: 2,
      timeframeStatus: "3-6 months",
      dealStatus: "Active",
      dealStage: "Under Contract",
      dealCloseDate: "2026-03-01",
      dealPrice: 450000,
      websiteVisits: 12,
    };
    const out = mapFollowUpBossPerson(person, ctx);
    if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
    expect(out.drift).toEqual([]);
  });

  for (const [spelling, stamps] of [
    ["createdAt/updatedAt", { createdAt: "2026-01-02T09:00:00Z", updatedAt: "2026-01-05T10:00:00Z" }],
    ["created/updated", { created: "2026-01-02T09:00:00Z", updated: "2026-01-05T10:00:00Z" }],
  ] as const) {
    it(`a deal's timestamps spelled ${spelling} give the deal's change time, with no drift`, () => {
      const deal = {
        id: 201,
        name: "12 Oak Ln",
        stageName: "Under Contract",
        price: 450000,
        people: [{ id: 4021, name: "Ana Ruiz" }],
        users: [],
        ...stamps,
      };
      const out = mapFollowUpBossDeal(deal, ctx);
      if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
      expect(out.drift).toEqual([]);
      expect(out.events[0]?.occurredAt).toBe("2026-01-05T10:00:00.000Z");
    });
  }
});
