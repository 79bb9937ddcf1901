import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mergeMessage } from "../../src/consumers/merge";
import { AUTO_MERGE } from "../../src/queues/messages";
import { fub } from "../helpers/people";
import { setSettings } from "../helpers/sandbox";
import { fubId, phone, propose, sendLead, tag } from "./helpers";

const mergeNotes = async (fubPersonId: string) =>
  (await fub<{ notes: Array<{ subject?: string }> }>("GET", `/v1/notes?personId=${fubPersonId}`)).notes.filter(
    (n) => n.subject === "Duplicate contact merged",
  );

describe("an auto-merge whose CRM note the CRM refused", () => {
  it("fails its message with the CRM's error, and its replay adds the note once while the merge stands", async () => {
    const t = tag();
    const first = await sendLead({ email: `rhea${t}@example.com`, name: `Rhea Lund${t}`, phone: phone() });
    const second = await sendLead({ email: `rl${t}@example.net`, name: `Rhea Lund${t}`, phone: phone() });
    const survivorFub = await fubId(first.personId);
    if (!survivorFub) throw new Error("the survivor has no Follow Up Boss contact");
    const job = { v: 1, kind: "merge", proposal: await propose(second.personId, first.personId), actor: AUTO_MERGE };

    await setSettings("followupboss", { rejectWrites: { match: "^POST /followupboss/v1/notes", status: 422 } });
    try {
      const refused = await mergeMessage(job, env);
      expect(refused).toMatchObject({ ok: false, error: { code: "vendor_http", status: 422, vendor: "followupboss" } });
    } finally {
      await setSettings("followupboss", { rejectWrites: null });
    }
    const merged = await env.DB.prepare("SELECT merged_into FROM people WHERE id = ?1")
      .bind(second.personId)
      .first<{ merged_into: string }>();
    expect(merged?.merged_into).toBe(first.personId);
    expect(await mergeNotes(survivorFub)).toHaveLength(0);

    // The dead letter's replay delivers the same message again.
    expect(await mergeMessage(job, env)).toEqual({ ok: true, value: "crm_note_added" });
    expect(await mergeMessage(job, env)).toEqual({ ok: true, value: "crm_note_already_applied" });
    expect(await mergeNotes(survivorFub)).toHaveLength(1);
  });
});
