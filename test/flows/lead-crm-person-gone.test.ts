import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { quiet } from "../helpers/deal-changes";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { fubHeaders, stagesOf } from "../helpers/people";
import { records, resetSandbox, SANDBOX } from "../helpers/sandbox";

async function crmIdsOf(personId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss' AND kind = 'person' ORDER BY created_at",
  )
    .bind(personId)
    .all<{ external_id: string }>();
  return results.map((r) => r.external_id);
}

const lead = (email: string, message: string) =>
  signedDelivery("idx", {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: { firstName: "Gwen", lastName: "Gone", email, phone: "5125550147", message },
  });

// Agents delete and merge contacts in Follow Up Boss; the hub's link to the old contact then names
// nobody, and Follow Up Boss answers a lead sent to that id with 404.
describe("a lead for a person the CRM no longer has", () => {
  beforeAll(async () => {
    await resetSandbox();
  });

  it("reaches the CRM as a contact again, and the person is linked to that contact instead", async () => {
    const email = "gwen.gone@example.com";
    await post(await lead(email, "first look"));
    const { id: personId } = await eventually(() =>
      env.DB.prepare("SELECT id FROM people WHERE email = ?1").bind(email).first<{ id: string }>(),
    );
    const [deletedId] = await eventually(async () => {
      const ids = await crmIdsOf(personId);
      return ids.length > 0 ? ids : null;
    });
    await quiet();

    const deleted = await fetch(`${SANDBOX}/followupboss/v1/people/${deletedId}`, { method: "DELETE", headers: fubHeaders });
    expect(deleted.status).toBe(200);

    await post(await lead(email, "still interested in Oak Ln"));
    const [newId] = await eventually(async () => {
      const ids = await crmIdsOf(personId);
      return ids.length === 1 && ids[0] !== deletedId ? ids : null;
    }, 15_000);

    const fub = await records<{
      person?: Array<{ id: number; emails: Array<{ value: string }> }>;
      event?: Array<{ personId: number; message: string }>;
    }>("followupboss");
    expect(fub.person?.find((p) => String(p.id) === newId)?.emails.map((e) => e.value)).toEqual([email]);
    expect(fub.event?.filter((e) => String(e.personId) === newId).map((e) => e.message)).toEqual(["still interested in Oak Ln"]);
    expect(await stagesOf(personId)).toContain("CRM_CREATED");
    const open = await env.DB.prepare("SELECT count(*) AS n FROM dead_letters WHERE status = 'open'").first<{ n: number }>();
    expect(open?.n).toBe(0);
  });
});
