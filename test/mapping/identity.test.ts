import { describe, expect, it } from "vitest";
import { mapDelivery, mapDotloopLoop } from "../../src/mapping";
import { ctx, PHONE, realtorLead, zillowLead } from "./fixtures";

describe("identity and invalid values", () => {
  it("a lead with no valid email and no valid phone is rejected as no_identity, never half-created", () => {
    const out = mapDelivery("zillow", zillowLead({ contact_email_address: "not-an-email", phone_number: "555-0100" }), ctx);
    expect(out).toMatchObject({ ok: false, code: "no_identity" });
    if (!out.ok) {
      expect(out.reason).toMatch(/no valid email or phone/);
      expect(out.reason).not.toContain("555-0100"); // the reason is shown to ops: masked
    }
    expect(out.issues.map((i) => i.code).sort()).toEqual(["email_invalid", "phone_invalid"]);
  });

  it("a lead whose only contact is a foreign phone the hub cannot validate is kept, by its E.164", () => {
    const out = mapDelivery("zillow", zillowLead({ contact_email_address: undefined, phone_number: "+33 6 12 34 56 78" }), ctx);
    const person = out.ok && out.events[0]?.type === "lead.received" ? out.events[0].data.person : undefined;
    expect(person).toMatchObject({ emails: [], phones: [{ value: "+33612345678" }] });
    expect(out.issues).toEqual([]);
  });

  it("the same foreign phone written two ways maps to one E.164, the key leads are matched to people by", () => {
    const phonesOf = (written: string) => {
      const out = mapDelivery("zillow", zillowLead({ phone_number: written }), ctx);
      return out.ok && out.events[0]?.type === "lead.received" ? out.events[0].data.person.phones : undefined;
    };
    expect(phonesOf("011 33 (0)6 12-34-56-78")).toEqual(phonesOf("+33 6 12 34 56 78"));
    expect(phonesOf("+33 6 12 34 56 78")).toEqual([{ value: "+33612345678" }]);
  });

  it("a lead with neither field at all is no_identity too", () => {
    const out = mapDelivery("realtor", realtorLead({ contact: { first_name: "Bo" } }), ctx);
    expect(out).toMatchObject({ ok: false, code: "no_identity" });
  });

  it("an invalid phone is dropped and listed while the valid email carries the lead", () => {
    const out = mapDelivery("zillow", zillowLead({ phone_number: "555-0100" }), ctx);
    expect(out.ok).toBe(true);
    if (out.ok && out.events[0]?.type === "lead.received") expect(out.events[0].data.person.phones).toEqual([]);
    const issue = out.issues.find((i) => i.code === "phone_invalid");
    expect(issue).toMatchObject({ field: "data.phone_number", sample: "###-##00" });
    expect(issue?.message).toMatch(/^phone_invalid.*###-##00 dropped$/);
  });

  it("an invalid email is dropped and listed while the valid phone carries the lead", () => {
    const out = mapDelivery("zillow", zillowLead({ contact_email_address: "ana@@example" }), ctx);
    expect(out.ok).toBe(true);
    expect(out.issues.map((i) => i.code)).toEqual(["email_invalid"]);
  });

  it("an invalid phone inside a list is reported once, with its path", () => {
    const body = {
      source: "site",
      person: { emails: [{ value: "a@example.com" }], phones: [{ value: "555-555-5555", type: "home" }, { value: PHONE }] },
    };
    const out = mapDelivery("followupboss", body, ctx);
    expect(out.ok && out.events[0]?.type === "lead.received" && out.events[0].data.person.phones).toEqual([{ value: "+14156667777" }]);
    expect(out.issues).toEqual([
      expect.objectContaining({ code: "phone_invalid", field: "person.phones[].value", sample: "###-###-##55" }),
    ]);
  });

  it("a deal participant without identity is dropped and listed; the deal still maps", () => {
    const participants = [
      { id: 1, fullName: "Brian Erwin", email: "brian@example.com", role: "BUYER" },
      { id: 2, fullName: "Nobody Known", role: "SELLER" },
      { id: 3, fullName: "Phone Only", phone: PHONE, role: "LOAN_OFFICER" },
    ];
    const out = mapDotloopLoop({ id: 9, name: "x", status: "PRE_OFFER" }, {}, participants, ctx);
    expect(out.ok).toBe(true);
    if (out.ok && out.events[0]?.type === "transaction.upserted") {
      expect(out.events[0].data.transaction.participants.map((p) => p.role)).toEqual(["buyer", "lender"]);
    }
    expect(out.issues).toEqual([expect.objectContaining({ code: "participant_no_identity", sample: "N***" })]);
  });
});
