import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { quiet } from "../helpers/deal-changes";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { stagesOf } from "../helpers/people";
import { resetSandbox } from "../helpers/sandbox";

async function golden(personId: string) {
  const row = await env.DB.prepare("SELECT first_name, last_name, fields FROM people WHERE id = ?1")
    .bind(personId)
    .first<{ first_name: string | null; last_name: string | null; fields: string }>();
  if (!row) throw new Error(`no person ${personId}`);
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    fields: JSON.parse(row.fields) as Record<string, { value: unknown; system: string }>,
  };
}

// A lead is what someone typed into a web form: anyone who knows a client's email can send one.
describe("a lead naming a known person", () => {
  beforeAll(async () => {
    await resetSandbox();
  });

  it("adds its phone and its inquiry to the person, but cannot rename them or replace their phones", async () => {
    const email = "alice.known@example.com";
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Alice", lastName: "Known", email, phone: "5125550191", message: "hi" },
      }),
    );
    const { id: personId } = await eventually(() =>
      env.DB.prepare("SELECT id FROM people WHERE email = ?1").bind(email).first<{ id: string }>(),
    );
    await quiet();
    await new Promise((r) => setTimeout(r, 1_100)); // a later second than the first lead's

    await post(
      await signedDelivery("zillow", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: {
          contact_name: "Mallory Other",
          contact_email_address: email,
          phone_number: "512-555-0199",
          message: "Change my details",
          listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", price: "$450,000" },
        },
      }),
    );
    await eventually(async () => (await stagesOf(personId)).includes("LEAD_ACTIVITY"), 15_000);

    const g = await golden(personId);
    expect([g.firstName, g.lastName]).toEqual(["Alice", "Known"]);
    expect(g.fields.firstName).toMatchObject({ value: "Alice", system: "idx" });
    expect(g.fields.lastName).toMatchObject({ value: "Known", system: "idx" });
    expect(g.fields.phones?.value).toEqual(["+15125550191", "+15125550199"]);
    // The inquiry is the lead's own.
    expect(g.fields.lastInquiry?.value).toMatchObject({ address: { number: "12", street: "Oak" } });
  });

  it("does not take an office number with another extension for the same person", async () => {
    const lead = (firstName: string, email: string, phone: string) =>
      signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName, lastName: "Office", email, phone, message: "hi" },
      });
    const personOf = (email: string) =>
      eventually(() =>
        env.DB.prepare("SELECT person_id FROM person_keys WHERE kind = 'email' AND value = ?1").bind(email).first<{ person_id: string }>(),
      );
    await post(await lead("Ana", "ana.office@example.com", "512-555-0100 ext 201"));
    const ana = await personOf("ana.office@example.com");
    await quiet();
    await post(await lead("Bob", "bob.office@example.com", "512-555-0100 ext 305"));
    const bob = await personOf("bob.office@example.com");
    expect(bob.person_id).not.toBe(ana.person_id);
    expect((await golden(ana.person_id)).firstName).toBe("Ana");
  });
});
