import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { records, resetSandbox } from "../helpers/sandbox";

interface FubRecords {
  person?: Array<{
    id: number;
    firstName?: string;
    lastName?: string;
    emails: Array<{ value: string }>;
    phones: Array<{ value: string }>;
    source?: string;
  }>;
  event?: Array<{ type: string; personId?: number }>;
}

function zillowLead(email: string, phone: string, name = "ana ruiz") {
  return {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      contact_name: name,
      contact_email_address: email,
      phone_number: phone,
      message: "Is 12 Oak Ln still available?",
      listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "1234567", price: "$450,000" },
    },
  };
}

async function fubPeopleWith(email: string) {
  const r = await records<FubRecords>("followupboss");
  return (r.person ?? []).filter((p) => p.emails.some((e) => e.value.toLowerCase() === email));
}

describe("lead intake: webhook → normalized → one contact in the CRM", () => {
  beforeAll(async () => {
    await resetSandbox();
  });

  it("a Zillow lead becomes one Follow Up Boss contact with normalized fields, traced", async () => {
    const res = await post(await signedDelivery("zillow", zillowLead("  Ana.Ruiz@Example.COM ", "(512) 555-0142")));
    expect(res.status).toBe(202);
    const [person] = await eventually(async () => {
      const p = await fubPeopleWith("ana.ruiz@example.com");
      return p.length ? p : null;
    });
    expect(person?.firstName).toBe("Ana");
    expect(person?.lastName).toBe("Ruiz");
    expect(person?.phones.map((p) => p.value)).toContain("+15125550142");
    const golden = await eventually(() =>
      env.DB.prepare("SELECT * FROM people WHERE email = 'ana.ruiz@example.com'").first<{ id: string; lead_source: string }>(),
    );
    expect(golden.lead_source).toBe("Zillow");
    // The person is claimed as soon as the CRM answers; its link and trace land with the completion.
    const link = await eventually(() =>
      env.DB.prepare("SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss'")
        .bind(golden.id)
        .first<{ external_id: string }>(),
    );
    expect(link.external_id).toBe(String(person?.id));
    const { results } = await env.DB.prepare("SELECT stage FROM traces WHERE subject = ?1 ORDER BY id")
      .bind(golden.id)
      .all<{ stage: string }>();
    expect(results.map((r) => r.stage)).toEqual(["CRM_CREATED"]);
  });

  it("a repeat lead for the same person (other source, phone only matches) is activity, never a second contact", async () => {
    const idx = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName: "Ana", lastName: "Ruiz", email: "ana.r@work.example", phone: "512.555.0142", message: "Call me back" },
    };
    expect((await post(await signedDelivery("idx", idx))).status).toBe(202);
    await eventually(async () => {
      const t = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE stage = 'LEAD_ACTIVITY'").first<{ n: number }>();
      return (t?.n ?? 0) > 0;
    });
    const people = await fubPeopleWith("ana.ruiz@example.com");
    expect(people).toHaveLength(1);
    const all = await records<FubRecords>("followupboss");
    expect((all.person ?? []).filter((p) => p.lastName === "Ruiz")).toHaveLength(1);
    const golden = await env.DB.prepare("SELECT COUNT(*) AS n FROM people").first<{ n: number }>();
    expect(golden?.n).toBe(1);
  });

  it("a lead without a valid email or phone is rejected with its reason and never reaches the CRM", async () => {
    const before = (await records<FubRecords>("followupboss")).person?.length ?? 0;
    const res = await post(await signedDelivery("zillow", zillowLead("not-an-email", "555-0100", "Nobody Here")));
    const { id } = await res.json<{ id: string }>();
    const row = await eventually(() =>
      env.DB.prepare("SELECT status, status_detail FROM deliveries WHERE id = ?1 AND status != 'received'")
        .bind(id)
        .first<{ status: string; status_detail: string }>(),
    );
    expect(row.status).toBe("rejected");
    expect(row.status_detail).toContain("no_identity");
    const trace = await env.DB.prepare("SELECT stage FROM traces WHERE delivery_id = ?1 ORDER BY id").bind(id).all<{ stage: string }>();
    expect(trace.results.map((r) => r.stage)).toEqual(["RECEIVED", "REJECTED"]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await records<FubRecords>("followupboss")).person?.length ?? 0).toBe(before);
    // Acknowledged and then refused: operators are told, once per source, not per delivery.
    const alert = await env.DB.prepare("SELECT state, detail FROM alerts WHERE key = 'delivery_rejected:zillow'").first<{
      state: string;
      detail: string;
    }>();
    expect(alert?.state).toBe("firing");
    expect(alert?.detail).toContain("no_identity");
    expect(alert?.detail).not.toContain("not-an-email");
  });
});
