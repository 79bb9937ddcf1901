import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { tmsMessage } from "../../src/consumers/tms";
import { loopNotice, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, fub } from "../helpers/people";
import { deliverOutbox } from "../helpers/sandbox";

// A Dotloop participant holds one full name, one email and a phone or two; the hub reads the
// loop's buyer back as the client's contact. What the participant cannot hold must not be taken
// as the client's newer contact, nor a different buyer as the same client.

type FubPerson = { firstName?: string; lastName?: string; emails: Array<{ value: string }> };
type Golden = { first_name: string | null; last_name: string | null; fields: string };

describe("the loop's buyer read back into the client's contact", () => {
  let loop = { id: 0, profileId: 0 };
  let fubId = "";
  let personId = "";

  const notice = () => loopNotice(loop.id);
  const golden = async () => {
    const row = await env.DB.prepare("SELECT first_name, last_name, fields FROM people WHERE id = ?1").bind(personId).first<Golden>();
    const fields = JSON.parse(row?.fields ?? "{}") as Record<string, { value: unknown }>;
    return { firstName: fields.firstName?.value, lastName: fields.lastName?.value, emails: fields.emails?.value };
  };
  /** An agent's change of the loop, and its notice processed: the loop's stamp is now the newest. */
  const loopChanged = async () => {
    await (await agentDotloop())("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
      Financials: { "Earnest Money Amount": String(1000 + Math.floor(Math.random() * 9000)) },
    });
    expect(await tmsMessage(notice(), env)).toMatchObject({ ok: true });
    await deliverOutbox({ times: 2 });
  };

  beforeAll(async () => {
    ({ loop } = await dealUnderContract(
      { firstName: "Mary Ann", lastName: "Garcia Lopez", email: "mary.garcia@example.com", phone: "5125550177" },
      "12 Elm St, Austin, TX 78701",
      400000,
    ));
    await quiet();
    const link = await env.DB.prepare(
      "SELECT l.external_id, p.id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind("mary.garcia@example.com")
      .first<{ external_id: string; id: string }>();
    fubId = link?.external_id ?? "";
    personId = link?.id ?? "";
  });

  it("keeps a two-word given name and surname the participant's one full name splits otherwise", async () => {
    await loopChanged();
    expect(await golden()).toMatchObject({ firstName: "Mary Ann", lastName: "Garcia Lopez" });
    expect(await fub<FubPerson>("GET", `/v1/people/${fubId}`)).toMatchObject({ firstName: "Mary Ann", lastName: "Garcia Lopez" });
  });

  it("keeps the client's second email when the loop, which holds one, changes later", async () => {
    await fub("PUT", `/v1/people/${fubId}`, {
      emails: [
        { value: "mary.garcia@example.com", isPrimary: true },
        { value: "mgl@work.example.com", isPrimary: false },
      ],
    });
    await deliverOutbox();
    await eventually(async () => ((await golden()).emails as string[] | undefined)?.length === 2 || null);
    await loopChanged();
    expect((await golden()).emails).toEqual(["mary.garcia@example.com", "mgl@work.example.com"]);
    const person = await fub<FubPerson>("GET", `/v1/people/${fubId}`);
    expect(person.emails.map((e) => e.value)).toEqual(["mary.garcia@example.com", "mgl@work.example.com"]);
  });

  it("a name and email the agent changed at once in the CRM reach the loop's buyer, found by the old email, and stay when the loop changes later", async () => {
    await fub("PUT", `/v1/people/${fubId}`, { firstName: "Marianne", emails: [{ value: "marianne.gl@example.com", isPrimary: true }] });
    await deliverOutbox();
    await eventually(async () => ((await golden()).firstName === "Marianne" ? true : null), 15_000);
    // The change's push to Dotloop is done once its contact action is recorded.
    const pushed = await eventually(async () => {
      const row = await env.DB.prepare(
        "SELECT result FROM applied_actions WHERE action = 'tms.contact' AND subject = ?1 AND result LIKE 'participants:%' ORDER BY at DESC LIMIT 1",
      )
        .bind(personId)
        .first<{ result: string }>();
      return row?.result;
    }, 15_000);
    expect(pushed).toBe("participants:1/1");
    const participants = `/profile/${loop.profileId}/loop/${loop.id}/participant`;
    const { data } = (await (
      await agentDotloop()
    )("GET", participants)) as {
      data: Array<{ role?: string; fullName?: string; email?: string }>;
    };
    expect(data.find((p) => p.role === "BUYER")).toMatchObject({ fullName: "Marianne Garcia Lopez", email: "marianne.gl@example.com" });
    await loopChanged();
    expect(await golden()).toMatchObject({ firstName: "Marianne", emails: ["marianne.gl@example.com"] });
    expect((await fub<FubPerson>("GET", `/v1/people/${fubId}`)).firstName).toBe("Marianne");
  });

  it("does not write a buyer who replaced the client on the loop onto the client", async () => {
    const dotloop = await agentDotloop();
    const path = `/profile/${loop.profileId}/loop/${loop.id}/participant`;
    const { data } = (await dotloop("GET", path)) as { data: Array<{ id: number; role?: string }> };
    for (const p of data.filter((x) => x.role === "BUYER")) await dotloop("DELETE", `${path}/${p.id}`);
    await dotloop("POST", path, { fullName: "Other Person", email: "other.person@example.com", role: "BUYER" });
    expect(await tmsMessage(notice(), env)).toMatchObject({ ok: true });
    await deliverOutbox({ times: 2 });
    expect(await golden()).toMatchObject({ firstName: "Marianne", lastName: "Garcia Lopez" });
    const keys = await env.DB.prepare("SELECT value FROM person_keys WHERE person_id = ?1").bind(personId).all<{ value: string }>();
    expect(keys.results.map((k) => k.value)).not.toContain("other.person@example.com");
    expect((await fub<FubPerson>("GET", `/v1/people/${fubId}`)).firstName).toBe("Marianne");
  });
});
