import { describe, expect, it } from "vitest";
import { CanonicalEvent } from "../../src/canonical";
import { subscribersFor } from "../../src/queues/routing";
import { mapDelivery, type MapOutcome } from "../../src/mapping";
import { ctx } from "./fixtures";

function only(out: MapOutcome): CanonicalEvent {
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  expect(out.events).toHaveLength(1);
  return CanonicalEvent.parse(out.events[0]);
}

describe("thin webhooks become vendor.resource_changed for the owning queue", () => {
  it("Follow Up Boss peopleUpdated (vendors.md body)", () => {
    const e = only(
      mapDelivery(
        "followupboss",
        {
          eventId: "152d60c0-79da-4018-a9af-28aec8a71c94",
          eventCreated: "2016-12-12T15:19:21+00:00",
          event: "peopleUpdated",
          resourceIds: [1234, 3244],
          uri: "https://api.followupboss.com/v1/people?id=1234,3244",
        },
        ctx,
      ),
    );
    expect(e).toMatchObject({
      type: "vendor.resource_changed",
      occurredAt: "2016-12-12T15:19:21.000Z",
      source: { system: "followupboss", externalId: "152d60c0-79da-4018-a9af-28aec8a71c94" },
      subject: { kind: "person" },
      data: { system: "followupboss", resource: "person", ids: ["1234", "3244"], action: "updated", vendorEvent: "peopleUpdated" },
    });
    expect(subscribersFor(e)).toEqual(["crm"]);
  });

  it("Follow Up Boss dealsCreated and peopleTagsCreated", () => {
    const deal = only(mapDelivery("followupboss", { eventId: "e2", event: "dealsCreated", resourceIds: [7] }, ctx));
    expect(deal).toMatchObject({ subject: { kind: "deal", externalId: "7" }, data: { resource: "deal", action: "created" } });
    const tags = only(
      mapDelivery("followupboss", { eventId: "e3", event: "peopleTagsCreated", resourceIds: [8], data: { tags: ["Buyer"] } }, ctx),
    );
    expect(tags).toMatchObject({ data: { resource: "person", action: "updated" } });
  });

  it("Dotloop LOOP_UPDATED (vendors.md body): loop id, profile as account, ms timestamp", () => {
    const e = only(
      mapDelivery(
        "dotloop",
        {
          eventId: "8f2c",
          eventType: "LOOP_UPDATED",
          timestamp: 1691763097001,
          subscriptionExternalId: "our-tenant-42",
          event: { id: "34308", profileId: "4711", loopId: "34308" },
        },
        ctx,
      ),
    );
    expect(e).toMatchObject({
      occurredAt: "2023-08-11T14:11:37.001Z",
      source: { system: "dotloop", account: "4711", externalId: "8f2c" },
      subject: { kind: "transaction", externalId: "34308" },
      data: { resource: "loop", ids: ["34308"], action: "updated", vendorEvent: "LOOP_UPDATED" },
    });
    expect(subscribersFor(e)).toEqual(["tms"]);
  });

  it("Dotloop participant and contact events name the right record", () => {
    const p = only(
      mapDelivery(
        "dotloop",
        { eventId: "a", eventType: "LOOP_PARTICIPANT_CREATED", timestamp: 1, event: { id: "77", profileId: "1", loopId: "5" } },
        ctx,
      ),
    );
    expect(p.type === "vendor.resource_changed" && p.data).toMatchObject({ resource: "loop", ids: ["5"] });
    const c = only(mapDelivery("dotloop", { eventId: "b", eventType: "CONTACT_DELETED", timestamp: 1, event: { id: "3603862" } }, ctx));
    expect(c).toMatchObject({ subject: { kind: "person" }, data: { resource: "contact", ids: ["3603862"], action: "deleted" } });
  });

  it("Dotloop's endpoint test event is acknowledged with no event", () => {
    const out = mapDelivery("dotloop", { eventId: "t", eventType: "WEBHOOK_ENDPOINT_TEST_EVENT", timestamp: 1, event: {} }, ctx);
    expect(out).toEqual({ ok: true, events: [], drift: [], issues: [] });
  });

  it("QuickBooks Invoice changes get their own event type, routed to accounting", () => {
    const body = [
      {
        specversion: "1.0",
        id: "a1",
        source: "intuit.x",
        type: "qbo.invoice.updated.v1",
        time: "2025-09-10T21:31:25.179Z",
        intuitentityid: "1234",
        intuitaccountid: "310687",
        data: {},
      },
      {
        specversion: "1.0",
        id: "a2",
        source: "intuit.x",
        type: "qbo.customer.merged.v1",
        time: "2025-09-10T21:31:26Z",
        intuitentityid: "58",
        intuitaccountid: "999",
        data: { deletedid: "57" },
      },
    ];
    const out = mapDelivery("quickbooks", body, ctx);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.events.map((e) => e.type)).toEqual(["invoice.changed", "vendor.resource_changed"]);
    expect(out.events[0]).toMatchObject({
      subject: { kind: "invoice", externalId: "1234" },
      source: { account: "310687", externalId: "a1" },
      data: { action: "updated" },
    });
    expect(out.events[1]).toMatchObject({
      subject: { kind: "person" },
      source: { account: "999" },
      data: { resource: "customer", action: "merged" },
    });
    expect(new Set(out.events.map((e) => e.id)).size).toBe(2);
    for (const e of out.events) expect(subscribersFor(e)).toEqual(["accounting"]);
  });

  it("one malformed element fails the whole QuickBooks delivery (dead-lettered intact)", () => {
    const body = [
      { id: "a1", type: "qbo.invoice.updated.v1", intuitentityid: "1", intuitaccountid: "1" },
      { id: "a2", type: "qbo.invoice.updated.v1", intuitaccountid: "1" },
    ];
    expect(mapDelivery("quickbooks", body, ctx)).toMatchObject({ ok: false, code: "missing_required" });
  });

  it("an unrecognised body shape is shape_unknown", () => {
    expect(mapDelivery("quickbooks", { hello: "world" }, ctx)).toMatchObject({ ok: false, code: "shape_unknown" });
    expect(mapDelivery("dotloop", "not json object", ctx)).toMatchObject({ ok: false, code: "shape_unknown" });
  });
});
