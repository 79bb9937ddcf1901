import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenLabel } from "../../src/ops/credentials";
import { approveMerge, pickSurvivor, type MergeProposalView } from "../../src/ops/merges";
import type { RecordDetail } from "../../src/ops/records";
import { mlsMessage } from "../../src/consumers/mls";
import { overriding, withBatch } from "../helpers/env";
import { setSettings } from "../helpers/sandbox";
import { crmMessage } from "../../src/consumers/crm";
import { crmLead } from "./letters";
import { api, apiJson, fubId, phone, propose, sendLead, tag } from "./helpers";

describe("pickSurvivor", () => {
  it("keeps the earlier-created person whatever the order, ties to the smaller id", () => {
    const old = { id: "per_b", created_at: 1 };
    const young = { id: "per_a", created_at: 2 };
    expect(pickSurvivor(old, young).survivor).toBe(old);
    expect(pickSurvivor(young, old).survivor).toBe(old);
    const twin = { id: "per_c", created_at: 1 };
    expect(pickSurvivor(twin, old).survivor).toBe(old);
    expect(pickSurvivor(old, twin).survivor).toBe(old);
  });
});

describe("approving a merge proposal", async () => {
  const t = tag();
  const first = await sendLead({ email: `kate${t}@example.com`, name: `Katherine Whitfield${t}`, phone: phone() });
  const second = await sendLead({ email: `kwhit${t}@example.net`, name: `Kate Whitfield${t}`, phone: phone() });
  const [firstFub, secondFub] = [await fubId(first.personId), await fubId(second.personId)];
  const id = await propose(second.personId, first.personId);

  it("lists the proposal with both people and says who survives", async () => {
    const { proposals } = await apiJson<{ proposals: MergeProposalView[] }>("/merges?status=proposed");
    const p = proposals.find((x) => x.id === id);
    expect(p).toMatchObject({ score: 0.93, reasons: ["name:jw=0.97", "address:same"], survivor: first.personId });
    expect([p?.a?.id, p?.b?.id].sort()).toEqual([first.personId, second.personId].sort());
  });

  it("merges the later person into the earlier one and notes it on the survivor's CRM contact", async () => {
    const res = await api(`/merges/${id}/approve`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      proposalId: id,
      survivor: first.personId,
      loser: second.personId,
      rule: "earliest-created survives",
      crmNote: "added",
    });

    const loser = await env.DB.prepare(`SELECT merged_into FROM people WHERE id = ?1`)
      .bind(second.personId)
      .first<{ merged_into: string }>();
    expect(loser?.merged_into).toBe(first.personId);
    const record = await apiJson<RecordDetail>(`/records/${first.personId}`);
    expect(record.mergedFrom).toEqual([second.personId]);
    expect(record.links.map((l) => l.externalId).sort()).toEqual([firstFub, secondFub].sort());
    expect(record.keys.map((k) => k.value)).toContain(`kwhit${t}@example.net`);
    expect(record.traces.map((x) => x.stage)).toEqual(expect.arrayContaining(["MERGED", "CRM_NOTE"]));

    const fub = await fetch("http://127.0.0.1:8788/_sandbox/followupboss/records").then((r) =>
      r.json<{ note?: Array<{ personId: number; subject: string; body: string }> }>(),
    );
    const note = (fub.note ?? []).find((n) => String(n.personId) === firstFub && n.body.includes(second.personId));
    expect(note?.subject).toBe("Duplicate contact merged");
    expect(note?.body).toContain(`Kate Whitfield${t}`);

    const { proposals } = await apiJson<{ proposals: MergeProposalView[] }>("/merges?status=merged");
    expect(proposals.find((p) => p.id === id)).toMatchObject({ status: "merged", decidedBy: await tokenLabel(env.OPS_TOKEN) });
  });

  it("the survivor's record holds what both people brought: both emails and both phones", async () => {
    const row = await env.DB.prepare(`SELECT fields FROM people WHERE id = ?1`).bind(first.personId).first<{ fields: string }>();
    const fields = JSON.parse(row?.fields ?? "{}") as Record<string, { value: unknown }>;
    expect(fields.emails?.value).toEqual(expect.arrayContaining([`kate${t}@example.com`, `kwhit${t}@example.net`]));
    expect(fields.phones?.value).toHaveLength(2);
  });

  it("a decided proposal cannot be approved or rejected again (409)", async () => {
    for (const action of ["approve", "reject"]) {
      const res = await api(`/merges/${id}/${action}`, { method: "POST" });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: "conflict" });
    }
  });

  it("a proposal naming a person already merged away is refused and stays proposed", async () => {
    const third = await sendLead({ email: `kw3${t}@example.org`, name: `K Whitfield${t}`, phone: phone() });
    const stale = await propose(second.personId, third.personId);
    expect((await api(`/merges/${stale}/approve`, { method: "POST" })).status).toBe(409);
    const row = await env.DB.prepare(`SELECT status FROM merge_proposals WHERE id = ?1`).bind(stale).first<{ status: string }>();
    expect(row?.status).toBe("proposed");
    expect(await env.DB.prepare(`SELECT merged_into FROM people WHERE id = ?1`).bind(third.personId).first()).toEqual({
      merged_into: null,
    });
  });
});

describe("a merge whose merged-away person's CRM contact was linked before the survivor's own", () => {
  it("keeps the survivor's contact: the merge note and the next lead of either person go to it", async () => {
    const t = tag();
    const first = await sendLead({ email: `mo${t}@example.com`, name: `Mona Ortiz${t}`, phone: phone() });
    const second = await sendLead({ email: `mortiz${t}@example.net`, name: `Mona Ortiz${t}`, phone: phone() });
    const [firstFub, secondFub] = [await fubId(first.personId), await fubId(second.personId)];
    // As when the survivor's contact push was replayed after the other's went through: the other's link is the older.
    await env.DB.prepare(`UPDATE links SET created_at = created_at - 3600000 WHERE canonical_id = ?1 AND system = 'followupboss'`)
      .bind(second.personId)
      .run();
    expect((await api(`/merges/${await propose(second.personId, first.personId)}/approve`, { method: "POST" })).status).toBe(200);

    const fub = async () =>
      fetch("http://127.0.0.1:8788/_sandbox/followupboss/records").then((r) =>
        r.json<{ note?: Array<{ personId: number; body: string }>; event?: Array<{ personId: number; source: string }> }>(),
      );
    const notes = ((await fub()).note ?? []).filter((n) => n.body.includes(second.personId));
    expect(notes.map((n) => String(n.personId))).toEqual([firstFub]);

    const before = ((await fub()).event ?? []).length;
    await sendLead({ email: `mortiz${t}@example.net`, name: `Mona Ortiz${t}`, phone: phone() });
    const later = ((await fub()).event ?? []).slice(before);
    expect(later.map((e) => String(e.personId))).toEqual([firstFub]);
    expect(secondFub).not.toBe(firstFub);
  });
});

describe("an approval that D1 drops halfway", () => {
  it("leaves the proposal open and the people apart, and approving again merges them", async () => {
    const t = tag();
    const first = await sendLead({ email: `dana${t}@example.com`, name: `Dana Okafor${t}`, phone: phone() });
    const second = await sendLead({ email: `dokafor${t}@example.net`, name: `Dana Okafor${t}`, phone: phone() });
    const id = await propose(second.personId, first.personId);
    // D1 takes single statements but loses its connection on the merge's batch.
    const batchLost = withBatch(env.DB, async () => Promise.reject(new Error("D1_ERROR: Network connection lost.")));
    await expect(approveMerge(overriding(env, { DB: batchLost }), id, "ops:test")).rejects.toThrow("Network connection lost");
    const status = () => env.DB.prepare(`SELECT status FROM merge_proposals WHERE id = ?1`).bind(id).first<{ status: string }>();
    expect(await status()).toEqual({ status: "proposed" });
    expect(await env.DB.prepare(`SELECT merged_into FROM people WHERE id = ?1`).bind(second.personId).first()).toEqual({
      merged_into: null,
    });

    const res = await api(`/merges/${id}/approve`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await status()).toEqual({ status: "merged" });
    expect(await env.DB.prepare(`SELECT merged_into FROM people WHERE id = ?1`).bind(second.personId).first()).toEqual({
      merged_into: first.personId,
    });
  });
});

describe("an approval racing a change of the survivor", () => {
  it("is refused and changes nothing when the survivor changed after the fold was made; approving again merges", async () => {
    const t = tag();
    const first = await sendLead({ email: `ravi${t}@example.com`, name: `Ravi Menon${t}`, phone: phone() });
    const second = await sendLead({ email: `rmenon${t}@example.net`, name: `Ravi Menon${t}`, phone: phone() });
    const id = await propose(second.personId, first.personId);
    // A lead's write lands on the survivor between the approval's read and its batch.
    const raced = withBatch(env.DB, async (stmts, batch) => {
      await env.DB.prepare(`UPDATE people SET updated_at = updated_at + 1 WHERE id = ?1`).bind(first.personId).run();
      return batch(stmts);
    });
    const outcome = await approveMerge(overriding(env, { DB: raced }), id, "ops:test");
    expect(outcome).toMatchObject({ ok: false, code: "conflict" });
    const status = () => env.DB.prepare(`SELECT status FROM merge_proposals WHERE id = ?1`).bind(id).first<{ status: string }>();
    expect(await status()).toEqual({ status: "proposed" });
    const keys = await env.DB.prepare(`SELECT COUNT(*) AS n FROM person_keys WHERE person_id = ?1`)
      .bind(second.personId)
      .first<{ n: number }>();
    expect(keys?.n).toBeGreaterThan(0);

    expect((await api(`/merges/${id}/approve`, { method: "POST" })).status).toBe(200);
    expect(await status()).toEqual({ status: "merged" });
    const row = await env.DB.prepare(`SELECT fields FROM people WHERE id = ?1`).bind(first.personId).first<{ fields: string }>();
    expect(JSON.parse(row?.fields ?? "{}").emails?.value).toEqual(
      expect.arrayContaining([`ravi${t}@example.com`, `rmenon${t}@example.net`]),
    );
  });
});

describe("a lead for a person merged away while the lead was with the CRM", () => {
  it("is recorded on the person they were merged into, with what it brought", async () => {
    const t = tag();
    const first = await sendLead({ email: `lena${t}@example.com`, name: `Lena Marsh${t}`, phone: phone() });
    const second = await sendLead({ email: `lmarsh${t}@example.net`, name: `Lena Marsh${t}`, phone: phone() });
    const id = await propose(second.personId, first.personId);
    // Follow Up Boss answers slowly: the merge lands while the lead for the later record is with it.
    await setSettings("followupboss", { latencyMs: 700 });
    try {
      const fresh = phone();
      const lead = crmMessage(crmLead({ email: `lmarsh${t}@example.net`, name: `Lena Marsh${t}`, phone: fresh }), env);
      await new Promise((r) => setTimeout(r, 200));
      expect(await approveMerge(env, id, "ops:test")).toMatchObject({ ok: true });
      expect(await lead).toMatchObject({ ok: true });
      const row = await env.DB.prepare(`SELECT fields FROM people WHERE id = ?1`).bind(first.personId).first<{ fields: string }>();
      expect(row?.fields).toContain(fresh.replace(/\D/g, ""));
      const traced = await env.DB.prepare(`SELECT subject FROM traces WHERE stage = 'LEAD_ACTIVITY' AND subject IN (?1, ?2)`)
        .bind(first.personId, second.personId)
        .all<{ subject: string }>();
      expect(traced.results.map((r) => r.subject)).toEqual([first.personId]);
    } finally {
      await setSettings("followupboss", { latencyMs: 0 });
    }
  });
});

describe("rejecting a merge proposal", () => {
  it("marks it rejected and merges nothing", async () => {
    const t = tag();
    const a = await sendLead({ email: `ra${t}@example.com`, name: `Ron Reject${t}`, phone: phone() });
    const b = await sendLead({ email: `rb${t}@example.com`, name: `Ronald Reject${t}`, phone: phone() });
    const id = await propose(a.personId, b.personId, 0.87);
    const res = await api(`/merges/${id}/reject`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ proposalId: id, status: "rejected" });
    const merged = await env.DB.prepare(`SELECT COUNT(*) AS n FROM people WHERE id IN (?1, ?2) AND merged_into IS NOT NULL`)
      .bind(a.personId, b.personId)
      .first<{ n: number }>();
    expect(merged?.n).toBe(0);
    expect((await api(`/merges/${id}/approve`, { method: "POST" })).status).toBe(409);
  });

  it("unknown proposals are 404; a bad status filter is 422", async () => {
    expect((await api(`/merges/mp_nope/approve`, { method: "POST" })).status).toBe(404);
    expect((await api(`/merges/mp_nope/reject`, { method: "POST" })).status).toBe(404);
    expect((await api(`/merges?status=maybe`)).status).toBe(422);
  });
});

describe("a listing note for a person merged since they asked about the listing", () => {
  it("goes to the CRM contact of the person they were merged into", async () => {
    const t = tag();
    const first = await sendLead({ email: `la${t}@example.com`, name: `Lena Asked${t}`, phone: phone() });
    const second = await sendLead({ email: `lb${t}@example.net`, name: `Lena Asker${t}`, phone: phone() });
    const contacts = [await fubId(first.personId), await fubId(second.personId)];
    expect((await api(`/merges/${await propose(second.personId, first.personId)}/approve`, { method: "POST" })).status).toBe(200);

    // The MLS consumer's note names whom the inquiry row names: the person who asked.
    const note = {
      v: 1,
      kind: "mls",
      job: "note",
      personId: second.personId,
      listingKey: `lk_${t}`,
      changeId: `lk_${t}@2026-12-01T10:00:00Z`,
      subject: `Listing update: MLS# ${t}`,
      body: `A listing this person asked about changed: status Active → Pending. MLS# ${t}`,
    };
    expect(await mlsMessage(note, env)).toMatchObject({ ok: true });
    const fub = await fetch("http://127.0.0.1:8788/_sandbox/followupboss/records").then((r) =>
      r.json<{ note?: Array<{ personId: number; subject: string }> }>(),
    );
    const noted = (fub.note ?? []).filter((n) => n.subject === note.subject);
    expect(noted).toHaveLength(1);
    expect(contacts).toContain(String(noted[0]?.personId));
  });

  it("when both merged people asked about the listing, the survivor's contact gets one note of a change", async () => {
    const t = tag();
    const first = await sendLead({ email: `na${t}@example.com`, name: `Nina Asked${t}`, phone: phone() });
    const second = await sendLead({ email: `nb${t}@example.net`, name: `Nina Asker${t}`, phone: phone() });
    expect((await api(`/merges/${await propose(second.personId, first.personId)}/approve`, { method: "POST" })).status).toBe(200);

    // One note job per inquirer of the change, as the MLS consumer records them.
    const noteFor = (personId: string) => ({
      v: 1,
      kind: "mls",
      job: "note",
      personId,
      listingKey: `lk_${t}`,
      changeId: `lk_${t}@2026-12-01T11:00:00Z`,
      subject: `Listing update: MLS# ${t}-both`,
      body: `A listing this person asked about changed: status Active → Closed. MLS# ${t}`,
    });
    expect(await mlsMessage(noteFor(second.personId), env)).toMatchObject({ ok: true });
    expect(await mlsMessage(noteFor(first.personId), env)).toMatchObject({ ok: true });
    const fub = await fetch("http://127.0.0.1:8788/_sandbox/followupboss/records").then((r) =>
      r.json<{ note?: Array<{ personId: number; subject: string }> }>(),
    );
    const noted = (fub.note ?? []).filter((n) => n.subject === `Listing update: MLS# ${t}-both`);
    expect(noted.map((n) => String(n.personId))).toEqual([await fubId(first.personId)]);
  });
});
