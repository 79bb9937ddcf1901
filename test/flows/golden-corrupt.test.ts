import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enrichPerson } from "../../src/enrich";
import { httpEnrichmentProvider } from "../../src/enrich/http-provider";
import type { RecordDetail } from "../../src/ops/records";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { apiJson } from "../ops/helpers";
import { fub } from "../helpers/people";
import { resetSandbox } from "../helpers/sandbox";

const CORRUPT = '{"emails":{"value":["corrupt@example.com"],"system":"idx"'; // cut off mid-write

describe("a golden person whose stored fields are corrupt", () => {
  beforeAll(async () => {
    await resetSandbox();
  });

  it("is refused with golden_record_corrupt and left exactly as stored, not merged into and written back", async () => {
    const email = "corrupt.fields@example.com";
    const lead = (message: string) => ({
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName: "Cora", lastName: "Rupt", email, phone: "5125550191", message },
    });
    expect((await post(await signedDelivery("idx", lead("first")))).status).toBe(202);
    const person = await eventually(() =>
      env.DB.prepare("SELECT p.id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1")
        .bind(email)
        .first<{ id: string }>(),
    );
    await env.DB.prepare("UPDATE people SET fields = ?2 WHERE id = ?1").bind(person.id, CORRUPT).run();

    // A repeat lead for the same person must merge into its golden fields: it cannot read them.
    expect((await post(await signedDelivery("idx", lead("again, with a typo in the record")))).status).toBe(202);
    // A second, different lead for the person fails the same way: each keeps its own letter, so
    // once the record is repaired both can be replayed and neither inquiry is lost.
    expect((await post(await signedDelivery("idx", lead("and a second question")))).status).toBe(202);
    const letters = await eventually(async () => {
      const { results } = await env.DB.prepare(
        "SELECT error_code, error, status, payload FROM dead_letters WHERE error_code = 'golden_record_corrupt' AND instr(error, ?1) > 0",
      )
        .bind(person.id)
        .all<{ error_code: string; error: string; status: string; payload: string }>();
      return results.length >= 2 ? results : null;
    }, 20_000);
    expect(letters.map((l) => l.status)).toEqual(["open", "open"]);
    expect(
      letters.map((l) => (l.payload.includes("second question") ? "second" : l.payload.includes("typo") ? "first" : "?")).sort(),
    ).toEqual(["first", "second"]);
    const stored = await env.DB.prepare("SELECT fields FROM people WHERE id = ?1").bind(person.id).first<{ fields: string }>();
    expect(stored?.fields).toBe(CORRUPT);
    // Refused before the CRM heard of them: a replay once the record is repaired sends each once.
    const { people } = await fub<{ people: Array<{ id: number }> }>("GET", `/v1/people?email=${encodeURIComponent(email)}`);
    expect((await fub<{ events: unknown[] }>("GET", `/v1/events?personId=${people[0]?.id}`)).events).toHaveLength(1);

    // Operators see why the record shows no fields.
    const detail = await apiJson<RecordDetail>(`/records/${person.id}`);
    expect(detail.fields).toEqual([]);
    expect(detail.corrupt).toMatchObject({ code: "golden_record_corrupt" });
    expect(detail.corrupt?.reason).toContain("not JSON");
  });
});

describe("a golden person whose stored enriched facts are corrupt", () => {
  it("is refused with golden_record_corrupt and left exactly as stored, not enriched into and written back", async () => {
    const email = "corrupt.enriched@example.com";
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName: "Enid", lastName: "Rupt", email, phone: "5125550192", message: "hi" },
    };
    expect((await post(await signedDelivery("idx", lead))).status).toBe(202);
    // The CRM consumer enriches the person after the lead is applied: corrupt the record only
    // once that has landed, or its write would replace the corruption.
    const person = await eventually(() =>
      env.DB.prepare("SELECT id FROM people WHERE email = ?1 AND enriched LIKE '%enriched_phone:%'").bind(email).first<{ id: string }>(),
    );
    // Valid JSON, but not the enriched record's shape: read as one, the new facts would be set on
    // an array and lost when it is written back.
    await env.DB.prepare("UPDATE people SET enriched = '[]' WHERE id = ?1").bind(person.id).run();

    await expect(enrichPerson(env.DB, httpEnrichmentProvider(env.ENRICHMENT_BASE_URL), person.id)).rejects.toMatchObject({
      code: "golden_record_corrupt",
      recordId: person.id,
    });
    const stored = await env.DB.prepare("SELECT enriched FROM people WHERE id = ?1").bind(person.id).first<{ enriched: string }>();
    expect(stored?.enriched).toBe("[]");
  });
});
