import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../../src/canonical";
import type { CanonicalMessage } from "../../src/queues/messages";
import { brokerageConfig } from "../../src/config/load";
import { crmMessage } from "../../src/consumers/crm";
import { applyPersonChange } from "../../src/consumers/person-sync";
import { tmsMessage } from "../../src/consumers/tms";
import { changeTime } from "../../src/flows/golden";
import { decideContactPush } from "../../src/flows/contact-push";
import { ok } from "../../src/lib/result";
import { crmFor } from "../../src/vendors/systems";
import { dealUnderContract } from "../helpers/deals";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { agentDotloop, fub, fubPersonNotice, stagesOf } from "../helpers/people";
import { sandbox } from "../helpers/sandbox";
import { api } from "../ops/helpers";
import { deadLetter } from "../ops/letters";

// A contact change is published once, carrying the golden person as it was then. A late copy of
// its queue message, or its dead letter replayed by an operator, must not write those values to
// the CRM or the TMS over newer ones the golden record (and the vendor) already has.

const person = ({
  emails,
  phones,
  ...rest
}: Omit<Partial<Person>, "emails" | "phones"> & { emails: string[]; phones: string[] }): Person => ({
  ...rest,
  emails: emails.map((value) => ({ value })),
  phones: phones.map((value) => ({ value })),
  roles: [],
  tags: [],
});

describe("what a contact event writes (pure)", () => {
  const id = "per_1";
  const old = person({ id, firstName: "Ann", lastName: "Old", emails: ["ann@example.com"], phones: ["+15125550001"] });
  const now = person({ id, firstName: "Ann", lastName: "Old", emails: ["ann@example.com"], phones: ["+15125550002"] });

  it("writes the golden person as it is now, naming what the event had older", () => {
    expect(decideContactPush({ carried: old, golden: now, laterSent: null })).toEqual({ kind: "push", person: now, stale: ["phones"] });
    expect(decideContactPush({ carried: now, golden: now, laterSent: null })).toEqual({ kind: "push", person: now, stale: [] });
  });

  it("writes nothing when a later change was already written to the vendor, or the person is gone", () => {
    expect(decideContactPush({ carried: old, golden: now, laterSent: { version: 2 } })).toMatchObject({
      kind: "skip",
      reason: "superseded",
    });
    expect(decideContactPush({ carried: old, golden: null, laterSent: null })).toMatchObject({ kind: "skip", reason: "person_unknown" });
  });
});

/** env whose CRM and TMS queues deliver nothing; what reaches `which` of them is kept in `sent`. */
function recordingEnv(which: "CRM" | "TMS"): { env: Env; sent: CanonicalMessage[] } {
  const sent: CanonicalMessage[] = [];
  const hold = (name: "CRM" | "TMS"): Queue =>
    new Proxy(env[name], {
      get(target, key) {
        const keep = (bodies: CanonicalMessage[]) => void (name === which && sent.push(...bodies));
        if (key === "send") return async (body: CanonicalMessage) => keep([body]);
        if (key === "sendBatch") return async (batch: Iterable<{ body: CanonicalMessage }>) => keep([...batch].map((m) => m.body));
        return Reflect.get(target, key, target) as unknown;
      },
    });
  const queues: Partial<Record<string | symbol, Queue>> = { CRM: hold("CRM"), TMS: hold("TMS") };
  return { env: new Proxy(env, { get: (target, key) => queues[key] ?? Reflect.get(target, key, target) }), sent };
}

const digits = (values: string[]) => values.map((v) => v.replace(/\D/g, "").slice(-10));

async function goldenPhones(personId: string): Promise<string[]> {
  const row = await env.DB.prepare("SELECT fields FROM people WHERE id = ?1").bind(personId).first<{ fields: string }>();
  const phones = (JSON.parse(row?.fields ?? "{}") as { phones?: { value: string[] } }).phones?.value ?? [];
  return digits(phones);
}

interface FubPerson {
  id: number;
  phones: Array<{ value: string }>;
}

/** How each replay of a contact event that found it outdated was traced. */
async function superseded(personId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT outcome FROM traces WHERE subject = ?1 AND stage = 'CONTACT_SUPERSEDED' ORDER BY id")
    .bind(personId)
    .all<{ outcome: string }>();
  return results.map((r) => r.outcome);
}

const fubPerson = (fubId: number) => fub<FubPerson>("GET", `/v1/people/${fubId}`);

let seq = 0;
const uid = () => `${Date.now()}-${seq++}`;

describe("a contact change from the CRM, delivered to the TMS late", () => {
  const email = "late.tms@example.com";
  let personId = "";
  let fubId = 0;
  let loop = { id: 0, profileId: 0 };

  beforeAll(async () => {
    ({ loop } = await dealUnderContract(
      { firstName: "Late", lastName: "Tms", email, phone: "5125550800" },
      "12 Late Ln, Austin, TX 78704",
      450000,
    ));
    const row = await env.DB.prepare(
      "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(email)
      .first<{ id: string; external_id: string }>();
    if (!row) throw new Error("no person");
    personId = row.id;
    fubId = Number(row.external_id);
  });

  async function buyerPhone(): Promise<string | undefined> {
    const dotloop = await agentDotloop();
    const { data } = (await dotloop("GET", `/profile/${loop.profileId}/loop/${loop.id}/participant`)) as {
      data: Array<{ role: string; email?: string; phone?: string }>;
    };
    const buyer = data.find((p) => p.email?.toLowerCase() === email);
    return buyer?.phone ? digits([buyer.phone])[0] : undefined;
  }

  /** The agent changes the phone in Follow Up Boss and it syncs to the golden person; the TMS's message is returned, not sent. */
  async function crmChange(phone: string): Promise<CanonicalMessage> {
    return crmEdit({ phones: [{ value: phone, isPrimary: true }] });
  }

  /** The agent edits the person in Follow Up Boss; as `crmChange`. */
  async function crmEdit(body: Record<string, unknown>): Promise<CanonicalMessage> {
    await fub("PUT", `/v1/people/${fubId}`, body);
    const config = brokerageConfig(env);
    const crm = crmFor(env, config);
    const tms = recordingEnv("TMS");
    const r = await applyPersonChange(tms.env, config, {
      system: crm.system,
      externalId: String(fubId),
      deliveryId: `dlv_${uid()}`,
      read: async () => {
        const got = await crm.getPerson(String(fubId));
        if (!got.ok) return got;
        return ok(got.value ? { person: got.value.person, at: changeTime(got.value.updatedAt, new Date().toISOString()) } : null);
      },
    });
    expect(r).toEqual({ ok: true, value: "changed" });
    const [msg] = tms.sent;
    if (!msg) throw new Error("no contact event was published");
    return msg;
  }

  it("a late copy of a change the TMS already got does not put its older values back", async () => {
    const first = await crmChange("(512) 555-0801");
    expect(await tmsMessage(first, env)).toMatchObject({ ok: true });
    expect(await buyerPhone()).toBe("5125550801");
    const second = await crmChange("(512) 555-0802");
    expect(await tmsMessage(second, env)).toMatchObject({ ok: true });
    expect(await buyerPhone()).toBe("5125550802");

    // The queue delivers the first message again, after the second.
    expect((await tmsMessage(first, env)).ok).toBe(true);
    expect(await buyerPhone()).toBe("5125550802");
    expect(await goldenPhones(personId)).toEqual(["5125550802"]);
  });

  it("a rename in the CRM reaches the TMS's participant, found by email when the old name no longer matches", async () => {
    const renamed = await crmEdit({ lastName: "Tmsson" });
    expect(await tmsMessage(renamed, env)).toMatchObject({ ok: true });
    const dotloop = await agentDotloop();
    const { data } = (await dotloop("GET", `/profile/${loop.profileId}/loop/${loop.id}/participant`)) as {
      data: Array<{ fullName?: string; email?: string }>;
    };
    expect(data.find((p) => p.email?.toLowerCase() === email)?.fullName).toBe("Late Tmsson");
  });

  it("the CRM writes nothing back when its own change reaches it (the table sends contact changes to every system)", async () => {
    const own = await crmChange("(512) 555-0821");
    const writes = async () =>
      (await sandbox<Array<{ method: string; path: string }>>("/_sandbox/followupboss/requests")).filter(
        (r) => r.method === "PUT" && r.path.startsWith(`/v1/people/${fubId}`),
      ).length;
    const before = await writes();
    expect(await crmMessage(own, env)).toEqual({ ok: true, value: "own_change" });
    expect(await writes()).toBe(before);
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550821"]);
  });

  it("a dead letter replayed after a later change synced is skipped and traced as superseded", async () => {
    const refused = await crmChange("(512) 555-0811");
    const letter = await deadLetter(refused, { queue: "tms", code: "dotloop_422", vendor: "dotloop" });
    const later = await crmChange("(512) 555-0812");
    expect(await tmsMessage(later, env)).toMatchObject({ ok: true });
    expect(await buyerPhone()).toBe("5125550812");

    expect((await api(`/dead-letters/${letter}/replay`, { method: "POST" })).status).toBe(200);
    // Done once the replay is traced as superseded, or once it wrote the older phone (a failure).
    await eventually(
      async () => (await stagesOf(personId)).includes("CONTACT_SUPERSEDED") || (await buyerPhone()) === "5125550811",
      10_000,
    );
    expect(await buyerPhone()).toBe("5125550812");
    expect(await goldenPhones(personId)).toEqual(["5125550812"]);
    expect(await superseded(personId)).toEqual(["skipped"]);
  });
});

describe("a contact change from the TMS, delivered to the CRM late", () => {
  const config = () => brokerageConfig(env);
  let personId = "";
  let fubId = 0;
  const email = `late.crm.${crypto.randomUUID().slice(0, 8)}@example.com`;

  beforeAll(async () => {
    // The sandbox is not reset again: Follow Up Boss would hand out ids this file's people hold.
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName: "Late", lastName: "Crm", email, phone: "5125550700", message: "hi" },
    };
    await post(await signedDelivery("idx", lead));
    const row = await eventually(() =>
      env.DB.prepare(
        "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
      )
        .bind(email)
        .first<{ id: string; external_id: string }>(),
    );
    personId = row.id;
    fubId = Number(row.external_id);
  });

  /** The buyer's contact as the TMS holds it changed: applied to the golden person; the CRM's message is returned, not sent. */
  async function tmsChange(p: { lastName: string; phone: string }): Promise<CanonicalMessage> {
    const crm = recordingEnv("CRM");
    const buyer = person({ firstName: "Late", lastName: p.lastName, emails: [email], phones: [p.phone] });
    const at = new Date().toISOString();
    const r = await applyPersonChange(crm.env, config(), {
      system: "dotloop",
      externalId: `loop-late:buyer`,
      read: async () => ok({ person: buyer, at }),
      deliveryId: `dlv_${uid()}`,
    });
    expect(r).toEqual({ ok: true, value: "changed" });
    const [msg] = crm.sent;
    if (!msg) throw new Error("no contact event was published");
    return msg;
  }

  it("a late copy of a change the CRM already got does not put its older values back", async () => {
    const first = await tmsChange({ lastName: "Crm", phone: "+15125550701" });
    expect(await crmMessage(first, env)).toMatchObject({ ok: true });
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550701"]);
    const second = await tmsChange({ lastName: "Crm", phone: "+15125550702" });
    expect(await crmMessage(second, env)).toMatchObject({ ok: true });
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550702"]);

    // The queue delivers the first message again, after the second.
    expect((await crmMessage(first, env)).ok).toBe(true);
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550702"]);
    expect(await goldenPhones(personId)).toEqual(["5125550702"]);
  });

  it("a dead letter replayed after the agent edited the person in the CRM keeps the agent's edit", async () => {
    // The TMS changed the buyer's phone; the CRM refused that write at the time.
    const refused = await tmsChange({ lastName: "Crm", phone: "+15125550711" });
    const letter = await deadLetter(refused, { queue: "crm", code: "followupboss_422", vendor: "followupboss" });

    // Meanwhile the agent fixes the phone in Follow Up Boss, and that change syncs.
    await fub("PUT", `/v1/people/${fubId}`, { phones: [{ value: "(512) 555-0712", isPrimary: true }] });
    const edited = await fub<{ updated: string }>("GET", `/v1/people/${fubId}`);
    expect(await crmMessage(notice(fubId, changeTime(edited.updated, new Date().toISOString())), env)).toEqual({
      ok: true,
      value: "applied",
    });
    expect(await goldenPhones(personId)).toEqual(["5125550712"]);

    // Days later an operator replays the letter.
    expect((await api(`/dead-letters/${letter}/replay`, { method: "POST" })).status).toBe(200);
    // Done once the replay is traced as superseded, or once it wrote the older phone (a failure).
    await eventually(
      async () =>
        (await stagesOf(personId)).includes("CONTACT_SUPERSEDED") ||
        digits((await fubPerson(fubId)).phones.map((p) => p.value))[0] === "5125550711",
      10_000,
    );
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550712"]);
    expect(await goldenPhones(personId)).toEqual(["5125550712"]);
    // Nothing later was written to the CRM: the replay wrote the golden person as it is now.
    expect(await superseded(personId)).toEqual(["ok"]);
  });

  it("a late copy is known as older by the version it carries, whatever its id: it writes nothing to the CRM", async () => {
    // The ids are opaque keys here: only the version each event carries says which is later.
    const opaque = (m: CanonicalMessage): CanonicalMessage => ({ ...m, event: { ...m.event, id: `contact-${crypto.randomUUID()}` } });
    const first = opaque(await tmsChange({ lastName: "Crm", phone: "+15125550721" }));
    const second = opaque(await tmsChange({ lastName: "Crm", phone: "+15125550722" }));
    expect(await crmMessage(second, env)).toEqual({ ok: true, value: "pushed" });
    const writes = async () =>
      (await sandbox<Array<{ method: string; path: string }>>("/_sandbox/followupboss/requests")).filter(
        (r) => r.method === "PUT" && r.path.startsWith(`/v1/people/${fubId}`),
      ).length;
    const before = { writes: await writes(), traces: (await superseded(personId)).length };

    // The queue delivers the first change after the second.
    expect(await crmMessage(first, env)).toEqual({ ok: true, value: "superseded" });
    expect(await writes()).toBe(before.writes);
    expect((await superseded(personId)).slice(before.traces)).toEqual(["skipped"]);
    expect(digits((await fubPerson(fubId)).phones.map((p) => p.value))).toEqual(["5125550722"]);
  });

  /** A Follow Up Boss notice for one person. */
  function notice(id: number, occurredAt: string): CanonicalMessage {
    return fubPersonNotice(id, occurredAt, `late-crm-${uid()}`);
  }
});
