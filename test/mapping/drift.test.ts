import { describe, expect, it } from "vitest";
import { DriftRecord, mapDelivery, mapFollowUpBossDeal, mapSkySlopeSale, type MapOutcome } from "../../src/mapping";
import { ctx, idxLead, zillowLead } from "./fixtures";

const kinds = (out: MapOutcome) => out.drift.map((d) => `${d.kind} ${d.field}${d.variant ? ` <- ${d.variant}` : ""}`);

describe("drift detection", () => {
  it("unknown_field: a new key inside a mapped object, with a masked sample and the delivery time", () => {
    const out = mapDelivery("zillow", zillowLead({ agent_email: "zoe.agent@zillow.com" }), ctx);
    expect(out.ok).toBe(true);
    expect(out.drift).toEqual([
      {
        source: "zillow",
        map: "zillow.lead",
        field: "data.agent_email",
        kind: "unknown_field",
        sample: "z***@zillow.com",
        seenAt: "2024-05-01T17:00:00.000Z",
      },
    ]);
    for (const d of out.drift) expect(DriftRecord.safeParse(d).success).toBe(true);
  });

  it("unknown_field is reported once per field, however many array elements carry it", () => {
    const body = {
      eventNotifications: [1, 2].map((n) => ({
        realmId: "9",
        dataChangeEvent: { entities: [{ name: "Bill", id: String(n), operation: "Update", region: "x" }] },
      })),
    };
    const out = mapDelivery("quickbooks", body, ctx);
    expect(out.ok && out.events.length).toBe(2);
    expect(kinds(out)).toEqual(["unknown_field eventNotifications[].dataChangeEvent.entities[].region"]);
  });

  it("alias_used: a declared alias is mapped AND recorded", () => {
    const body = idxLead({ email: undefined, emailAddress: "cara@example.com" });
    const out = mapDelivery("idx", body, ctx);
    expect(out.ok).toBe(true);
    if (out.ok && out.events[0]?.type === "lead.received") {
      expect(out.events[0].data.person.emails).toEqual([{ value: "cara@example.com" }]);
    }
    expect(kinds(out)).toEqual(["alias_used data.email <- data.emailAddress"]);
  });

  it("alias_used: `status` arriving as `transaction_status` still sets the stage", () => {
    const out = mapSkySlopeSale({ saleGuid: "s-1", transaction_status: "Closed" }, ctx);
    expect(kinds(out)).toContain("alias_used status <- transaction_status");
    expect(out.drift.find((d) => d.kind === "alias_used")?.sample).toBe("C***");
  });

  it("renamed: an expected field is absent and an undeclared look-alike is present (not mapped)", () => {
    const body = zillowLead({ phone_number: undefined, phone_num: "(415) 666-7777" });
    const out = mapDelivery("zillow", body, ctx);
    expect(out.ok).toBe(true);
    expect(kinds(out)).toEqual(["renamed data.phone_number <- data.phone_num"]);
    expect(out.drift[0]?.sample).toBe("(###) ###-##77");
    if (out.ok && out.events[0]?.type === "lead.received") expect(out.events[0].data.person.phones).toEqual([]);
  });

  it("missing_required: the delivery fails with the field named", () => {
    const out = mapDelivery(
      "followupboss",
      { eventId: "e1", event: "peopleUpdated", uri: "https://api.followupboss.com/v1/people?id=1" },
      ctx,
    );
    expect(out).toMatchObject({ ok: false, code: "missing_required" });
    if (!out.ok) expect(out.reason).toContain("resourceIds");
    expect(kinds(out)).toEqual(["missing_required resourceIds"]);
  });

  it("missing_required inside a list drops that element only, and says so", () => {
    const out = mapFollowUpBossDeal({ id: 7, people: [{ id: 1 }, { name: "No Id" }] }, ctx);
    expect(out.ok).toBe(true);
    if (out.ok && out.events[0]?.type === "deal.upserted") expect(out.events[0].data.deal.participants).toHaveLength(1);
    expect(kinds(out)).toEqual(["missing_required people[].id"]);
    expect(out.issues).toEqual([expect.objectContaining({ code: "item_incomplete", field: "people[]" })]);
  });

  it("type_changed: number where a string was expected is recorded and still mapped", () => {
    const out = mapDelivery("zillow", zillowLead({ listing: { mls_id: "1", price: 450000 } }), ctx);
    expect(kinds(out)).toEqual(["type_changed data.listing.price <- string"]);
    expect(out.drift[0]?.sample).toBe("number: 450000");
    if (out.ok && out.events[0]?.type === "lead.received") expect(out.events[0].data.property?.price).toBe(45_000_000);
  });

  it("type_changed: an object where an array was expected is recorded and the value dropped", () => {
    const body = { eventId: "e1", event: "peopleUpdated", resourceIds: { id: 1 } };
    const out = mapDelivery("followupboss", body, ctx);
    expect(kinds(out)).toContain("type_changed resourceIds <- array");
    expect(out).toMatchObject({ ok: false, code: "missing_required" });
    expect(out.issues.map((i) => i.code)).toContain("type_mismatch");
  });

  it("type_changed: an object where an array is iterated", () => {
    const body = { source: "site", person: { emails: { value: "a@b.co" }, phones: [{ value: "(415) 666-7777" }] } };
    const out = mapDelivery("followupboss", body, ctx);
    expect(kinds(out)).toContain("type_changed person.emails <- array");
  });

  it("a clean body produces no drift at all", () => {
    expect(mapDelivery("zillow", zillowLead(), ctx).drift).toEqual([]);
  });
});
