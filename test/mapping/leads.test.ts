import { describe, expect, it } from "vitest";
import { CanonicalEvent, type EventOf } from "../../src/canonical";
import { mapDelivery, type MapOutcome } from "../../src/mapping";
import { ctx, idxLead, PHONE_E164, realtorLead, zillowLead } from "./fixtures";

function lead(outcome: MapOutcome): EventOf<"lead.received"> {
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.reason}`);
  expect(outcome.events).toHaveLength(1);
  const event = CanonicalEvent.parse(outcome.events[0]);
  if (event.type !== "lead.received") throw new Error(`unexpected ${event.type}`);
  return event;
}

describe("lead sources (documented default shapes)", () => {
  it("Zillow: one name field is split, email lowercased, phone E.164, '$450,000' becomes cents", () => {
    const out = mapDelivery("zillow", zillowLead(), ctx);
    const e = lead(out);
    expect(e.source).toMatchObject({ system: "zillow", deliveryId: "dlv_test" });
    expect(e.occurredAt).toBe("2024-05-01T16:59:00.000Z");
    expect(e.data.person).toMatchObject({ firstName: "Ana", lastName: "Ruiz" });
    expect(e.data.person.emails).toEqual([{ value: "ana.ruiz@example.com" }]);
    expect(e.data.person.phones).toEqual([{ value: PHONE_E164 }]);
    expect(e.data.person.leadSource).toEqual({ system: "zillow", name: "Zillow" });
    expect(e.data.property).toMatchObject({ mlsId: "1234567", price: 45_000_000 });
    expect(e.data.property?.address).toMatchObject({ number: "12", city: "Austin", state: "TX", zip: "78701" });
    expect(e.data.message).toBe("Is 12 Oak Ln still available?");
    expect(out.drift).toEqual([]);
    expect(out.issues).toEqual([]);
  });

  it.each(["ana ruiz", "Ruiz, Ana", "ANA RUIZ"])("Zillow: the single name field %j splits into first and last", (name) => {
    const e = lead(mapDelivery("zillow", zillowLead({ contact_name: name }), ctx));
    expect(e.data.person).toMatchObject({ firstName: "Ana", lastName: "Ruiz" });
  });

  it("Realtor.com: contact object, role becomes a person role and the lead type", () => {
    const out = mapDelivery("realtor", realtorLead(), ctx);
    expect(out.drift).toEqual([]);
    const e = lead(out);
    expect(e.data.person).toMatchObject({ firstName: "Bo", lastName: "Chen", roles: ["seller"] });
    expect(e.data).toMatchObject({ leadId: "rdc-778", leadType: "seller" });
    expect(e.source.externalId).toBe("rdc-778");
    expect(e.data.property).toMatchObject({ mlsId: "98765", price: 31_500_000 });
    expect(e.data.property?.address).toMatchObject({ city: "Boise", state: "ID", zip: "83702" });
  });

  it("IDX form: names normalized, property optional", () => {
    const e = lead(mapDelivery("idx", idxLead(), ctx));
    expect(e.data.person).toMatchObject({ firstName: "Cara", lastName: "Diaz" });
    expect(e.data.property).toMatchObject({ mlsId: "55501", price: 52_500_000 });
    const noProperty = idxLead();
    delete (noProperty.data as Record<string, unknown>).property;
    const out = mapDelivery("idx", noProperty, ctx);
    expect(lead(out).data.property).toBeUndefined();
    expect(out.drift).toEqual([]);
  });

  it("IDX form: consent flags are carried when the form states them", () => {
    const e = lead(mapDelivery("idx", idxLead({ consent: { email: true, sms: "no" } }), ctx));
    expect(e.data.person.consent).toEqual({ email: true, sms: false });
  });

  it("a property with neither address nor MLS id is dropped and listed, the lead still maps", () => {
    const out = mapDelivery("zillow", zillowLead({ listing: { price: "$300,000" } }), ctx);
    expect(lead(out).data.property).toBeUndefined();
    expect(out.issues.map((i) => i.code)).toContain("property_unidentified");
  });

  it("a body that is not {type, timestamp, data} is rejected as shape_unknown", () => {
    const out = mapDelivery("zillow", { contact_name: "x" }, ctx);
    expect(out).toMatchObject({ ok: false, code: "shape_unknown" });
  });

  it("is deterministic: the same delivery maps to the same event ids", () => {
    const a = mapDelivery("zillow", zillowLead(), ctx);
    const b = mapDelivery("zillow", zillowLead(), ctx);
    const c = mapDelivery("zillow", zillowLead(), { ...ctx, deliveryId: "dlv_other" });
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.events[0]?.id !== c.events[0]?.id).toBe(true);
  });
});

describe("standard source (canonical type and data already)", () => {
  const person = { firstName: "Dee", emails: [{ value: "dee@example.com" }] };

  it("validates and passes a canonical event through", () => {
    const out = mapDelivery(
      "standard",
      { type: "person.upserted", timestamp: "2024-05-01T10:00:00Z", data: { person: { ...person, id: "p1" } } },
      ctx,
    );
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.events[0]).toMatchObject({
        type: "person.upserted",
        subject: { kind: "person", externalId: "p1" },
        source: { system: "standard" },
      });
      expect(out.drift).toEqual([]);
    }
  });

  it("rejects non-canonical values instead of normalizing them", () => {
    const out = mapDelivery("standard", { type: "person.upserted", data: { person: { emails: [{ value: "Dee@Example.com" }] } } }, ctx);
    expect(out).toMatchObject({ ok: false, code: "canonical_invalid" });
  });

  it("rejects an unknown type and a person without identity", () => {
    expect(mapDelivery("standard", { type: "contact.created", data: {} }, ctx)).toMatchObject({ ok: false, code: "type_unknown" });
    expect(mapDelivery("standard", { type: "lead.received", data: { person: { firstName: "X" } } }, ctx)).toMatchObject({
      ok: false,
      code: "no_identity",
    });
  });

  it("records keys the canonical model does not have as unknown_field drift", () => {
    const out = mapDelivery("standard", { type: "lead.received", data: { person: { ...person, nickname: "D" } }, extra: 1 }, ctx);
    expect(out.ok).toBe(true);
    expect(out.drift.map((d) => [d.kind, d.field])).toEqual(
      expect.arrayContaining([
        ["unknown_field", "extra"],
        ["unknown_field", "data.person.nickname"],
      ]),
    );
  });
});
