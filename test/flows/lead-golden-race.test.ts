import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { quiet } from "../helpers/deal-changes";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { fub, stagesOf } from "../helpers/people";
import { resetSandbox, sandbox, setSettings } from "../helpers/sandbox";

// A repeat lead for a known person reads the golden person, sends the lead to Follow Up Boss and
// then merges it in. An agent's edit of the person synced while the lead is with the CRM must
// survive that merge, not be overwritten with the golden person as it was read before the edit.

let seq = 0;

/** A Follow Up Boss notice for one person (its webhook, as the hub maps it). */
function personNotice(fubId: number) {
  const id = `lead-race-${Date.now()}-${seq++}`;
  const now = new Date().toISOString();
  return {
    v: 1,
    event: {
      id,
      type: "vendor.resource_changed",
      schemaVersion: 1,
      occurredAt: now,
      receivedAt: now,
      source: { system: "followupboss", externalId: id, deliveryId: id },
      subject: { kind: "person", externalId: String(fubId) },
      data: { system: "followupboss", resource: "person", ids: [String(fubId)], action: "updated", vendorEvent: "peopleUpdated" },
    },
  };
}

async function goldenFields(personId: string): Promise<Record<string, { value: unknown; system: string }>> {
  const row = await env.DB.prepare("SELECT fields FROM people WHERE id = ?1").bind(personId).first<{ fields: string }>();
  return JSON.parse(row?.fields ?? "{}") as Record<string, { value: unknown; system: string }>;
}

const fubRequests = async () => (await sandbox<{ requests: number }>("/_sandbox/followupboss/counters")).requests;

describe("a repeat lead and an agent's edit of the person at once", () => {
  beforeAll(async () => {
    await resetSandbox();
  });
  afterEach(async () => {
    await setSettings("followupboss", { latencyMs: 0 });
  });

  it("the agent's edit synced while the lead was with the CRM survives the lead", async () => {
    const email = "lead.race@example.com";
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Lena", lastName: "Race", email, phone: "5125550181", message: "hi" },
      }),
    );
    const row = await eventually(() =>
      env.DB.prepare(
        "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
      )
        .bind(email)
        .first<{ id: string; external_id: string }>(),
    );
    const personId = row.id;
    const fubId = Number(row.external_id);
    await quiet();

    // The repeat lead (an inquiry about a listing) reaches Follow Up Boss at once, and its answer
    // is slow to come back.
    await setSettings("followupboss", { latencyMs: 3_000 });
    const before = await fubRequests();
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: {
        firstName: "Lena",
        lastName: "Race",
        email,
        message: "Is it still available?",
        property: { street: "21 Pine St", city: "Austin", state: "TX", zip: "78702" },
      },
    };
    expect((await post(await signedDelivery("idx", lead))).status).toBe(202);
    await eventually(async () => (await fubRequests()) > before, 10_000);
    await setSettings("followupboss", { latencyMs: 0 });

    // Meanwhile the agent fixes the phone in Follow Up Boss, and that change is synced.
    await fub("PUT", `/v1/people/${fubId}`, { phones: [{ value: "(512) 555-0182", isPrimary: true }] });
    expect(await crmMessage(personNotice(fubId), env)).toEqual({ ok: true, value: "applied" });
    expect((await goldenFields(personId)).phones?.value).toEqual(["+15125550182"]);

    // The lead is recorded: its inquiry is on the person, and so is the agent's phone.
    await eventually(async () => (await stagesOf(personId)).includes("LEAD_ACTIVITY"), 15_000);
    const fields = await goldenFields(personId);
    expect(fields.phones).toMatchObject({ value: ["+15125550182"], system: "followupboss" });
    expect(fields.lastInquiry?.value).toMatchObject({ address: { number: "21", street: "Pine", zip: "78702" } });
  });
});
