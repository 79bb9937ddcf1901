import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { fub, fubPersonNotice } from "../helpers/people";
import { api, fubId, phone, propose, sendLead, tag } from "./helpers";

async function fieldsOf(personId: string): Promise<Record<string, { value: unknown }>> {
  const row = await env.DB.prepare(`SELECT fields FROM people WHERE id = ?1`).bind(personId).first<{ fields: string }>();
  return JSON.parse(row?.fields ?? "{}") as Record<string, { value: unknown }>;
}

describe("an edit to a merged-away person's CRM contact, still live in the CRM", () => {
  it("adds its new email to the survivor and leaves the survivor's name and primary email as the merge left them", async () => {
    const t = tag();
    const first = await sendLead({ email: `nora${t}@example.com`, name: `Eleanor Quist${t}`, phone: phone() });
    const second = await sendLead({ email: `nq${t}@example.net`, name: `Nora Quist${t}`, phone: phone() });
    const secondFub = await fubId(second.personId);
    expect((await api(`/merges/${await propose(second.personId, first.personId)}/approve`, { method: "POST" })).status).toBe(200);
    const named = await fieldsOf(first.personId);

    await fub("PUT", `/v1/people/${secondFub}`, { firstName: "Norrie", emails: [{ value: `norrie${t}@example.org`, isPrimary: true }] });
    expect(await crmMessage(fubPersonNotice(Number(secondFub), new Date().toISOString()), env)).toMatchObject({ ok: true });

    const row = await env.DB.prepare(`SELECT email, fields FROM people WHERE id = ?1`)
      .bind(first.personId)
      .first<{ email: string; fields: string }>();
    const fields = JSON.parse(row?.fields ?? "{}") as Record<string, { value: unknown }>;
    expect([fields.firstName?.value, fields.lastName?.value]).toEqual([named.firstName?.value, named.lastName?.value]);
    expect(fields.emails?.value).toEqual([`nora${t}@example.com`, `nq${t}@example.net`, `norrie${t}@example.org`]);
    expect(fields.phones?.value).toHaveLength(2);
    expect(row?.email).toBe(`nora${t}@example.com`);
  });

  it("changes nothing when the edit brings nothing the survivor lacks", async () => {
    const t = tag();
    const first = await sendLead({ email: `ivo${t}@example.com`, name: `Ivo Brandt${t}`, phone: phone() });
    const second = await sendLead({ email: `ib${t}@example.net`, name: `Ivan Brandt${t}`, phone: phone() });
    const secondFub = await fubId(second.personId);
    expect((await api(`/merges/${await propose(second.personId, first.personId)}/approve`, { method: "POST" })).status).toBe(200);
    const before = await env.DB.prepare(`SELECT fields, updated_at FROM people WHERE id = ?1`).bind(first.personId).first();

    await fub("PUT", `/v1/people/${secondFub}`, { stage: "Nurture" });
    expect(await crmMessage(fubPersonNotice(Number(secondFub), new Date().toISOString()), env)).toMatchObject({ ok: true });
    expect(await env.DB.prepare(`SELECT fields, updated_at FROM people WHERE id = ?1`).bind(first.personId).first()).toEqual(before);
  });
});
