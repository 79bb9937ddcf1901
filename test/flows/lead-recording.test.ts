import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { fub } from "../helpers/people";
import { crmLead } from "../ops/letters";
import { phone, tag } from "../ops/helpers";

/** `env` with on-demand enrichment off: only the lead action itself runs. */
const plain = new Proxy(env, { get: (target, key) => (key === "ENRICHMENT_BASE_URL" ? "" : Reflect.get(target, key, target)) });

/**
 * `plain` whose D1 loses its connection on the first `batch` (before running it), as D1 does for
 * a moment: in the lead action the first batch is the golden person's, after the CRM call.
 */
function firstBatchLost(): Env {
  let lost = false;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch")
        return async (stmts: D1PreparedStatement[]) => {
          if (lost) return target.batch(stmts);
          lost = true;
          throw new Error("D1_ERROR: Network connection lost.");
        };
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(plain, { get: (target, key) => (key === "DB" ? db : Reflect.get(target, key, target)) });
}

const fubEventsOf = async (email: string): Promise<number> => {
  const { people } = await fub<{ people: Array<{ id: number }> }>("GET", `/v1/people?email=${encodeURIComponent(email)}`);
  const person = people[0];
  if (!person) return 0;
  return (await fub<{ events: unknown[] }>("GET", `/v1/events?personId=${person.id}`)).events.length;
};

const personOf = (email: string) =>
  env.DB.prepare(
    `SELECT p.id, l.external_id FROM people p LEFT JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1`,
  )
    .bind(email)
    .all<{ id: string; external_id: string | null }>()
    .then((r) => r.results);

describe("a lead the CRM took while D1 failed to record its person", () => {
  it("a new person is recorded once D1 answers, and a copy of the lead sends nothing more to the CRM", async () => {
    const email = `recording.new.${tag()}@example.com`;
    const msg = crmLead({ email, name: "Nia Record", phone: phone() });
    expect(await crmMessage(msg, firstBatchLost())).toMatchObject({ ok: true });
    expect(await crmMessage(msg, plain)).toEqual({ ok: true, value: "already_applied" });

    expect(await fubEventsOf(email)).toBe(1);
    const people = await personOf(email);
    expect(people).toHaveLength(1);
    expect(people[0]?.external_id).toEqual(expect.any(String));
  });

  it("a known person's repeat inquiry is merged once D1 answers, and reaches the CRM once", async () => {
    const email = `recording.known.${tag()}@example.com`;
    const first = crmLead({ email, name: "Kai Record", phone: phone() });
    expect(await crmMessage(first, plain)).toMatchObject({ ok: true });
    expect(await fubEventsOf(email)).toBe(1);

    const repeat = crmLead({ email, name: "Kai Record", phone: phone() });
    expect(await crmMessage(repeat, firstBatchLost())).toMatchObject({ ok: true });
    expect(await crmMessage(repeat, plain)).toEqual({ ok: true, value: "already_applied" });
    expect(await fubEventsOf(email)).toBe(2);
    expect(await personOf(email)).toHaveLength(1);
    const stages = await env.DB.prepare(`SELECT stage FROM traces WHERE subject = ?1 ORDER BY at`)
      .bind((await personOf(email))[0]?.id)
      .all<{ stage: string }>();
    expect(stages.results.map((r) => r.stage)).toEqual(["CRM_CREATED", "LEAD_ACTIVITY"]);
  });
});

describe("a new person whose lead left identity keys and no record", () => {
  it("a later lead for them writes the record under the keys' person, and the next finds it", async () => {
    const email = `recording.keys.${tag()}@example.com`;
    // What a try that died between claiming the keys and writing the person leaves behind.
    const orphan = `per_${crypto.randomUUID()}`;
    await env.DB.prepare(`INSERT INTO person_keys (kind, value, person_id) VALUES ('email', ?1, ?2)`).bind(email, orphan).run();

    expect(await crmMessage(crmLead({ email, name: "Ona Keys", phone: phone() }), plain)).toMatchObject({ ok: true });
    const people = await personOf(email);
    expect(people).toEqual([{ id: orphan, external_id: expect.any(String) }]);

    expect(await crmMessage(crmLead({ email, name: "Ona Keys", phone: phone() }), plain)).toMatchObject({ ok: true });
    const stages = await env.DB.prepare(`SELECT stage FROM traces WHERE subject = ?1 ORDER BY at`).bind(orphan).all<{ stage: string }>();
    expect(stages.results.map((r) => r.stage)).toEqual(["CRM_CREATED", "LEAD_ACTIVITY"]);
  });
});

describe("two leads for one new person at once", () => {
  it("end as one person holding what both brought", async () => {
    const email = `recording.race.${tag()}@example.com`;
    const phones = [phone(), phone()];
    const results = await Promise.all(phones.map((p) => crmMessage(crmLead({ email, name: "Rae Race", phone: p }), plain)));
    for (const r of results) expect(r).toMatchObject({ ok: true });
    const people = await personOf(email);
    expect(people).toHaveLength(1);
    const row = await env.DB.prepare(`SELECT fields FROM people WHERE id = ?1`).bind(people[0]?.id).first<{ fields: string }>();
    for (const p of phones) expect(row?.fields).toContain(p.replace(/\D/g, "").slice(-10));
  });
});
