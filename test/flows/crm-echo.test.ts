import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { fub, fubPersonNotice } from "../helpers/people";
import { resetSandbox, SANDBOX, sandbox, setSettings } from "../helpers/sandbox";

// A person the hub wrote to Follow Up Boss comes back to it: the webhook of the hub's own write
// (its echo) makes the hub fetch the person. When an agent edits the person in the same second,
// the echo's fetch may return the state before the edit and finish after the edit's own sync;
// stamped no older than the edit, it overwrote the agent's phone in the golden record.

interface FubPerson {
  id: number;
  updated: string;
}

/** A Follow Up Boss notice for one person, heard at `occurredAt` (as the hub's mapping stamps it). */
const notice = (fubId: number, occurredAt: string) => fubPersonNotice(fubId, occurredAt);

async function leadInFub(email: string, phone: string): Promise<{ personId: string; fubId: number }> {
  const lead = {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: { firstName: "Echo", lastName: "Race", email, phone, message: "hi" },
  };
  await post(await signedDelivery("idx", lead));
  const row = await eventually(() =>
    env.DB.prepare(
      "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(email)
      .first<{ id: string; external_id: string }>(),
  );
  return { personId: row.id, fubId: Number(row.external_id) };
}

async function goldenPhones(personId: string): Promise<{ value: string[]; system: string; at: string } | undefined> {
  const row = await env.DB.prepare("SELECT fields FROM people WHERE id = ?1").bind(personId).first<{ fields: string }>();
  return JSON.parse(row?.fields ?? "{}").phones;
}

async function contactChanges(personId: string): Promise<number> {
  const r = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE subject = ?1 AND stage = 'CONTACT_CHANGED'")
    .bind(personId)
    .first<{ n: number }>();
  return r?.n ?? 0;
}

/** Moves Follow Up Boss's clock; returns the shift, to move it back. */
async function shiftFubClock(ms: number): Promise<number> {
  await fetch(`${SANDBOX}/_sandbox/followupboss/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: ms }),
  });
  return ms;
}

describe("a change Follow Up Boss reports back", () => {
  beforeAll(async () => {
    await resetSandbox();
  });
  afterEach(async () => {
    await setSettings("followupboss", { latencyMs: 0 });
  });

  it("carries Follow Up Boss's own change time, not the time the hub heard of it", async () => {
    const { personId, fubId } = await leadInFub("echo.stamp@example.com", "5125550601");
    await fub("PUT", `/v1/people/${fubId}`, { phones: [{ value: "(512) 555-0602", isPrimary: true }] });
    const person = await fub<FubPerson>("GET", `/v1/people/${fubId}`);
    // Heard well after the change: a retried webhook, a backlog, a poll.
    const heard = new Date(Date.parse(person.updated) + 5_000).toISOString();
    expect(await crmMessage(notice(fubId, heard), env)).toEqual({ ok: true, value: "applied" });
    expect(await goldenPhones(personId)).toEqual({
      value: ["+15125550602"],
      system: "followupboss",
      at: new Date(person.updated).toISOString(),
    });
  });

  it("an agent's edit in the same second as the echo of the hub's own write survives the echo", async () => {
    const { personId, fubId } = await leadInFub("echo.race@example.com", "5125550611");
    const created = await fub<FubPerson>("GET", `/v1/people/${fubId}`);

    // The echo's fetch of the person is served at once (the state the hub wrote) and its answer
    // is slow to come back.
    await setSettings("followupboss", { latencyMs: 3_000 });
    const before = await sandbox<{ requests: number }>("/_sandbox/followupboss/counters");
    const echo = crmMessage(notice(fubId, created.updated), env);
    await eventually(
      async () => (await sandbox<{ requests: number }>("/_sandbox/followupboss/counters")).requests > before.requests,
      5_000,
    );
    await setSettings("followupboss", { latencyMs: 0 });

    // The agent fixes the phone within the second Follow Up Boss stamped the hub's write with
    // (its clock is moved there: the stamps have one-second resolution), and that change's own
    // notice is synced to the end.
    const shift = await shiftFubClock(Date.parse(created.updated) + 500 - Date.now());
    try {
      await fub("PUT", `/v1/people/${fubId}`, { phones: [{ value: "(512) 555-0612", isPrimary: true }] });
    } finally {
      await shiftFubClock(-shift);
    }
    const edited = await fub<FubPerson>("GET", `/v1/people/${fubId}`);
    expect(edited.updated).toBe(created.updated);
    expect(await crmMessage(notice(fubId, edited.updated), env)).toEqual({ ok: true, value: "applied" });
    expect((await goldenPhones(personId))?.value).toEqual(["+15125550612"]);

    // Then the echo finishes with the state from before the edit: it changes nothing.
    const late = await echo;
    expect(late.ok).toBe(true);
    expect(await goldenPhones(personId)).toEqual({
      value: ["+15125550612"],
      system: "followupboss",
      at: new Date(edited.updated).toISOString(),
    });
    expect(await contactChanges(personId)).toBe(1);
    expect((await fub<{ phones: Array<{ value: string }> }>("GET", `/v1/people/${fubId}`)).phones.map((p) => p.value)).toEqual([
      "(512) 555-0612",
    ]);
  });
});
