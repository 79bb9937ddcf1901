import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fireAlert } from "../../src/alerts";
import { proposeStatement } from "../../src/store/merges";
import { eventually } from "../helpers/deliveries";
import { hub, ORIGIN, phone, sendLead, tag } from "./helpers";
import { crmLead, deadLetter, letterStatus, personByEmail, storeLetters } from "./letters";

async function session(): Promise<string> {
  const res = await hub.request(
    `${ORIGIN}/ops/login`,
    {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: env.OPS_TOKEN }),
    },
    env,
  );
  return res.headers.get("set-cookie")?.split(";")[0] ?? "";
}

describe("the dashboard", async () => {
  const cookie = await session();
  const page = async (path: string) => {
    const res = await hub.request(`${ORIGIN}/ops${path}`, { headers: { cookie } }, env);
    return { status: res.status, html: await res.text(), headers: res.headers };
  };
  const form = (path: string, fields: Record<string, string> = {}) =>
    hub.request(
      `${ORIGIN}/ops${path}`,
      {
        method: "POST",
        headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      },
      env,
    );

  const t = tag();
  const lead = { email: `dash${t}@example.com`, name: `Dana Board${t}`, phone: phone() };
  const { personId } = await sendLead(lead);

  it("searches a record and opens its trace timeline", async () => {
    const search = await form("/records", { q: lead.email });
    expect(search.status).toBe(200);
    expect(await search.text()).toContain(`href="/ops/records/${personId}"`);
    const rec = await page(`/records/${personId}`);
    expect(rec.html).toContain("Trace timeline");
    for (const stage of ["RECEIVED", "NORMALIZED", "CRM_CREATED"]) expect(rec.html).toContain(stage);
    expect(rec.headers.get("cache-control")).toBe("no-store");
  });

  it("searches by POST only: the form posts, and a GET with an email or phone in the URL is refused", async () => {
    const empty = await page("/records");
    expect(empty.html).toMatch(/<form[^>]*method="post"[^>]*action="\/ops\/records"/);
    for (const q of [lead.email, lead.phone]) {
      const res = await page(`/records?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.html).not.toContain(personId);
    }
  });

  it("escapes what vendors send: a name with markup is shown as text", async () => {
    const evil = { email: `xss${t}@example.com`, name: `Eve <script>alert(1)</script>${t}`, phone: phone() };
    const { personId: id } = await sendLead(evil);
    const rec = await page(`/records/${id}`);
    expect(rec.html).not.toContain("</script>");
    expect(rec.html).toContain("&lt;/script&gt;");
  });

  it("says how many dead letters match and pages through all of them", async () => {
    const code = `dash_${t}`;
    const ids = await storeLetters(230, { code });
    const seen = new Set<string>();
    let next: string | undefined = `/dead-letters?status=open&code=${code}`;
    let pages = 0;
    while (next && pages < 5) {
      const html: string = (await page(next)).html;
      expect(html).toContain("230 letters match");
      // Times say their zone: an operator in Austin does not read them as local.
      expect(html).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      for (const m of html.matchAll(/data-id="([^"]+)"/g)) if (m[1]) seen.add(m[1]);
      const link: string | undefined = /<a href="\/ops(\/dead-letters\?[^"]*cursor=[^"]*)" rel="next">/.exec(html)?.[1];
      next = link?.replace(/&amp;/g, "&");
      pages++;
    }
    expect(pages).toBe(2);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it("the dead-letter filter offers every queue a letter can come from, the MLS queue included", async () => {
    const html = (await page("/dead-letters?queue=mls")).html;
    for (const q of ["inbound", "crm", "tms", "accounting", "mls", "unknown"]) expect(html, q).toContain(`<option value="${q}"`);
    expect(html).toContain('<option value="mls" selected="">');
  });

  it("a dead-letter link with a filter or page it cannot read says so, rather than show no letters", async () => {
    for (const query of ["cursor=not-a-cursor", "status=lost", "queue=nowhere"]) {
      const res = await page(`/dead-letters?${query}`);
      expect(res.status, query).toBe(303);
      expect(res.headers.get("location")).toBe("/ops/dead-letters?msg=bad_filter");
    }
    expect((await page("/dead-letters?msg=bad_filter")).html).toContain("That filter or page link is not valid");
  });

  it("replays a dead letter from its Replay button and shows that it worked", async () => {
    const other = { email: `dashdl${t}@example.com`, name: `Lee Letter${t}`, phone: phone() };
    const id = await deadLetter(crmLead(other), { queue: "crm", code: "followupboss_422", vendor: "followupboss" });
    const list = await page("/dead-letters");
    expect(list.html).toContain(`action="/ops/dead-letters/${id}/replay"`);
    const res = await form(`/dead-letters/${id}/replay`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/ops/dead-letters?msg=replayed&id=${id}`);
    expect(await letterStatus(id)).toBe("replayed");
    expect((await page(`/dead-letters?msg=replayed&id=${id}`)).html).toContain("Replayed: the message is back on its queue");
    await eventually(() => personByEmail(other.email), 10_000);
    const again = await form(`/dead-letters/${id}/replay`);
    expect(again.headers.get("location")).toContain("msg=conflict");
  });

  it("discard needs a reason in the form too", async () => {
    const id = await deadLetter(crmLead({ email: `dd${t}@example.com`, name: "Dee Discard", phone: phone() }), {
      queue: "crm",
      code: "followupboss_400",
      vendor: "followupboss",
    });
    expect((await form(`/dead-letters/${id}/discard`, { reason: "" })).headers.get("location")).toContain("msg=invalid");
    expect(await letterStatus(id)).toBe("open");
    expect((await form(`/dead-letters/${id}/discard`, { reason: "duplicate of a test lead" })).headers.get("location")).toContain(
      "msg=discarded",
    );
    expect(await letterStatus(id)).toBe("discarded");
    expect((await page(`/dead-letters/${id}`)).html).toContain("duplicate of a test lead");
  });

  it("shows no notice for a message code it does not have, inherited names included", async () => {
    for (const msg of ["toString", "constructor", "__proto__", "nonsense"]) {
      const res = await page(`/alerts?msg=${msg}&id=x`);
      expect(res.status).toBe(200);
      expect(res.html).not.toContain('class="notice');
    }
    expect((await page("/alerts?msg=resolved&id=x")).html).toContain('class="notice');
  });

  it("quotes only an id in a notice: a link cannot put its own words on the hub's page", async () => {
    const words = "Your session expired, call 555-0100 to restore it";
    const res = await page(`/alerts?msg=resolved&id=${encodeURIComponent(words)}`);
    expect(res.html).toContain('class="notice');
    expect(res.html).not.toContain("555-0100");
    expect((await page("/alerts?msg=resolved&id=dl_42")).html).toContain("dl_42");
  });

  it("resolves a firing alert from its form, with a reason", async () => {
    const key = `delivery_rejected:test_${t}`;
    await fireAlert(env, { key, severity: "warning", title: "Deliveries refused" });
    const action = `/alerts/${encodeURIComponent(key)}/resolve`;
    expect((await page("/alerts")).html).toContain(`action="/ops${action}"`);
    expect((await form(action, { reason: "" })).headers.get("location")).toContain("msg=invalid");
    const res = await form(action, { reason: "sender fixed its payloads" });
    expect(res.headers.get("location")).toBe(`/ops/alerts?msg=resolved&id=${encodeURIComponent(key)}`);
    const after = await page(`/alerts?msg=resolved&id=${encodeURIComponent(key)}`);
    expect(after.html).toContain("Resolved; a check that still sees it fires it again.");
    expect(after.html).toMatch(/delivery_rejected:test_[^<]* · ✅ Resolved: by [^<]*: sender fixed its payloads/);
    expect(after.html).not.toContain(`action="/ops${action}"`);
    expect((await form(action, { reason: "once more" })).headers.get("location")).toContain("msg=conflict");
  });

  it("approves a merge proposal from its button", async () => {
    const second = { email: `dana2${t}@example.net`, name: `Dana Bored${t}`, phone: phone() };
    await sendLead(second);
    const other = await personByEmail(second.email);
    await proposeStatement(env.DB, { a: personId, b: other ?? "", score: 0.91, reasons: ["name:jw=0.95"] }, Date.now()).run();
    const merges = await page("/merges");
    const m = /action="\/ops\/merges\/([^/]+)\/approve"/.exec(merges.html);
    expect(m?.[1]).toBeTruthy();
    expect(merges.html).toContain("survives");
    const res = await form(`/merges/${m?.[1]}/approve`);
    expect(res.headers.get("location")).toBe(`/ops/merges?msg=approved&id=${personId}`);
    // Approving it again says why nothing happened, in the merge's own words.
    const again = await form(`/merges/${m?.[1]}/approve`);
    expect(again.headers.get("location")).toBe(`/ops/merges?msg=merge_conflict&id=${m?.[1]}`);
    expect((await page(`/merges?msg=merge_conflict&id=${m?.[1]}`)).html).toContain("Not merged: the proposal was decided already");
    const loser = await env.DB.prepare(`SELECT merged_into FROM people WHERE id = ?1`).bind(other).first<{ merged_into: string }>();
    expect(loser?.merged_into).toBe(personId);
  });

  it("says how many merge proposals there are and pages through them", async () => {
    const t2 = tag();
    const now = Date.now();
    for (let i = 0; i < 105; i++) {
      await proposeStatement(
        env.DB,
        { a: `per_pg${t2}_${i}_a`, b: `per_pg${t2}_${i}_b`, score: 0.5, reasons: [`page:${t2}`] },
        now + i,
      ).run();
    }
    const first = await page("/merges?status=proposed");
    expect(first.html).toMatch(/\d+ merge proposals; 100 shown here/);
    const next = /<a href="\/ops(\/merges\?[^"]*cursor=[^"]*)" rel="next">/.exec(first.html)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toContain("status=proposed");
    expect((await page(next ?? "")).status).toBe(200);
    await env.DB.prepare("DELETE FROM merge_proposals WHERE reasons LIKE ?1").bind(`%page:${t2}%`).run();
  });

  it("says when an approved merge could not note the CRM contact", async () => {
    const a = { email: `nora1${t}@example.com`, name: `Nora Note${t}`, phone: phone() };
    const b = { email: `nora2${t}@example.net`, name: `Nora Note${t}`, phone: phone() };
    const first = await sendLead(a);
    const second = await sendLead(b);
    // Neither has a CRM contact left to note (their links are gone).
    await env.DB.prepare("DELETE FROM links WHERE canonical_id IN (?1, ?2) AND system = 'followupboss'")
      .bind(first.personId, second.personId)
      .run();
    await proposeStatement(env.DB, { a: first.personId, b: second.personId, score: 0.92, reasons: ["name:jw=1.00"] }, Date.now()).run();
    const id = await env.DB.prepare("SELECT id FROM merge_proposals WHERE status = 'proposed' AND (a = ?1 OR b = ?1)")
      .bind(first.personId)
      .first<{ id: string }>("id");
    const res = await form(`/merges/${id}/approve`);
    expect(res.headers.get("location")).toBe(`/ops/merges?msg=approved_without_note&id=${first.personId}`);
    expect((await page(`/merges?msg=approved_without_note&id=${first.personId}`)).html).toContain("no note was added to the CRM");
  });

  it("shows the ROI report with a chart and the lead source's numbers", async () => {
    const roi = await page("/roi");
    expect(roi.status).toBe(200);
    expect(roi.html).toContain("<svg");
    const row = /<tr><td>Zillow<\/td><td class="n">(\d+)<\/td><td class="n">(\d+)<\/td>/.exec(roi.html);
    const leads = await env.DB.prepare(`SELECT COUNT(*) AS n FROM events WHERE type = 'lead.received'`).first<{ n: number }>();
    expect(Number(row?.[1])).toBe(leads?.n);
    const bad = await page("/roi?from=whenever");
    expect(bad.html).toContain("not valid");
  });

  it("overview, drift and alerts render, small and without any script", async () => {
    for (const path of ["", "/drift", "/alerts", "/merges?status=merged", "/dead-letters?status=discarded"]) {
      const p = await page(path);
      expect(p.status, path).toBe(200);
      expect(p.html).not.toContain("<script");
      expect(p.html.length).toBeLessThan(40_000);
      expect(p.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("an unknown record is a 404 page, not an error", async () => {
    const p = await page("/records/per_nope");
    expect(p.status).toBe(404);
    expect(p.html).toContain("No such record");
  });
});
