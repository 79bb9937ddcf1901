// The ops dashboard in a real browser: log in, search a record and open its trace, replay a dead
// letter and see it succeed, approve a merge, read the ROI table. Every page is screenshotted to
// docs/screenshots/ (laptop width, and phone width for two pages).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { fub, readVars, sandboxJson, sendLead, until } from "./seed.mjs";

const LAPTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

export async function run({ hub, sandbox, root, vars: varsFile, chromium: executablePath }) {
  const vars = readVars(varsFile);
  const shots = path.join(root, "docs", "screenshots");
  mkdirSync(shots, { recursive: true });
  const results = [];
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      results.push({ name, ok: false });
      console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const api = async (p, init = {}) => {
    const res = await fetch(`${hub}/ops/api${p}`, {
      ...init,
      headers: { authorization: `Bearer ${vars.OPS_TOKEN}`, "content-type": "application/json", ...init.headers },
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const personByEmail = async (email) =>
    (await api("/records/search", { method: "POST", body: JSON.stringify({ q: email }) })).people.find(
      (p) => p.email === email.toLowerCase() && !p.mergedInto,
    );

  const maya = { name: "Maya Thompson", email: "maya.thompson@example.com", phone: "(512) 555-0142" };
  const kathy = { name: "Katherine Whitfield", email: "kwhitfield@gmail.com", phone: "(512) 555-0171" };
  const kate = { name: "Kate Whitfield", email: "kwhitfeld@gmail.com", phone: "(737) 555-0188" };
  const jordan = { name: "Jordan Reyes", email: "jordan.reyes@example.com", phone: "(512) 555-0199" };
  let sent = 0;
  let letterId = "";

  await check("seed: signed lead webhooks and the sandbox's lead emitters reach the CRM", async () => {
    await sendLead(hub, vars, "zillow", maya);
    await sendLead(hub, vars, "zillow", kathy);
    await until("the first person", () => personByEmail(kathy.email)); // Katherine is created first: she survives the merge
    await sendLead(hub, vars, "realtor", kate);
    sent += 3;
    for (const [source, count, seed] of [
      ["zillow", 3, 11],
      ["realtor", 2, 12],
      ["idx", 2, 13],
    ]) {
      const r = await sandboxJson(sandbox, "/_sandbox/leads", { source, count, repeatRate: 0, seed });
      sent += r.leads.length;
    }
    await until("every lead applied", async () => (await api("/reports/roi")).total.contacts >= sent, 40_000);
  });

  await check("seed: a Follow Up Boss outage (422) dead-letters a lead", async () => {
    await sandboxJson(sandbox, "/_sandbox/followupboss/settings", { errorRate: 1, errorStatuses: [422] }, "PUT");
    try {
      await sendLead(hub, vars, "zillow", jordan);
      sent += 1;
      const letter = await until("the dead letter", async () => {
        const { deadLetters } = await api("/dead-letters?status=open&queue=crm");
        for (const d of deadLetters) {
          const detail = await api(`/dead-letters/${d.id}`);
          if (JSON.stringify(detail.payload).includes(jordan.email)) return detail;
        }
        return null;
      });
      letterId = letter.id;
    } finally {
      await sandboxJson(sandbox, "/_sandbox/followupboss/settings", { errorRate: 0 }, "PUT");
    }
    if (await personByEmail(jordan.email)) throw new Error("the failed lead should not have a person yet");
  });

  await check("seed: a CRM deal for Maya, and the nightly dedupe proposes Katherine/Kate", async () => {
    const person = await personByEmail(maya.email);
    const fubId = person.links.find((l) => l.system === "followupboss")?.externalId;
    await fub(sandbox, vars, "/v1/deals", { name: "12 Oak Ln purchase", stageId: 102, peopleIds: [Number(fubId)], price: 450000 });
    await until(
      "the golden deal",
      async () => (await api("/records/search", { method: "POST", body: JSON.stringify({ q: "12 Oak Ln purchase" }) })).deals.length > 0,
    );
    for (const cron of ["0 7 * * *", "*/5 * * * *"]) {
      const res = await fetch(`${hub}/__scheduled?cron=${encodeURIComponent(cron)}`);
      if (!res.ok) throw new Error(`cron ${cron}: ${res.status}`);
    }
    await until("a merge proposal", async () =>
      (await api("/merges")).proposals.find((p) => [p.a?.email, p.b?.email].includes(kate.email)),
    );
  });

  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
    const text = (sel) => page.locator(sel).innerText();

    await check("an anonymous visitor is sent to the login page; the token logs in", async () => {
      await page.goto(`${hub}/ops/dead-letters`);
      if (!page.url().includes("/ops/login")) throw new Error(`not redirected: ${page.url()}`);
      await shot("login");
      await page.fill('input[name="token"]', "wrong-token");
      await page.click('button[type="submit"]:has-text("Sign in")');
      if (!(await text("main")).includes("not valid")) throw new Error("wrong token accepted");
      await page.fill('input[name="token"]', vars.OPS_TOKEN);
      await page.click('button[type="submit"]:has-text("Sign in")');
      await page.waitForURL(/\/ops\/dead-letters$/);
    });

    await check("overview shows throughput per stage, backlog and vendor health", async () => {
      await page.goto(`${hub}/ops`);
      const main = await text("main");
      for (const s of ["Throughput per stage", "RECEIVED", "CRM_CREATED", "followupboss:main"])
        if (!main.includes(s)) throw new Error(`missing ${s}`);
      await shot("overview");
    });

    await check("search finds Maya by phone and her record shows the trace from webhook to CRM", async () => {
      await page.goto(`${hub}/ops/records`);
      await page.fill('input[name="q"]', maya.phone);
      await page.click('button:has-text("Search")');
      await page.click(`a:has-text("${maya.name}")`);
      await page.waitForURL(/\/ops\/records\/per_/);
      const timeline = await text('ol[aria-label="Trace timeline"]');
      for (const s of ["RECEIVED", "NORMALIZED", "CRM_CREATED"]) if (!timeline.includes(s)) throw new Error(`timeline lacks ${s}`);
      if (!(await text("main")).includes("followupboss person")) throw new Error("no CRM link shown");
      await shot("record-trace");
    });

    await check("replaying the dead letter from its button succeeds: Jordan reaches the CRM", async () => {
      await page.goto(`${hub}/ops/dead-letters`);
      const row = page.locator(`tr[data-id="${letterId}"]`);
      if (!(await row.innerText()).includes("followupboss_422")) throw new Error("letter not listed");
      await shot("dead-letters");
      await row.locator('button:has-text("Replay")').click();
      await page.waitForURL(/msg=replayed/);
      if (!(await text(".notice")).includes("Replayed")) throw new Error("no notice");
      const person = await until("Jordan in the CRM", async () => {
        const p = await personByEmail(jordan.email);
        return p?.links.some((l) => l.system === "followupboss") ? p : null;
      });
      await page.goto(`${hub}/ops/records/${person.id}`);
      const timeline = await text('ol[aria-label="Trace timeline"]');
      if (!timeline.includes("DLQ_REPLAYED") || !timeline.includes("CRM_CREATED")) throw new Error(`timeline: ${timeline.slice(0, 300)}`);
      const letter = await api(`/dead-letters/${letterId}`);
      if (letter.status !== "replayed") throw new Error(`letter is ${letter.status}`);
      await shot("dead-letter-replayed-record");
    });

    await check("approving the merge proposal merges Kate into Katherine and notes it in the CRM", async () => {
      await page.goto(`${hub}/ops/merges`);
      const section = page.locator("section.prop", { hasText: kate.email });
      if (!(await section.innerText()).includes("survives")) throw new Error("survivor not shown");
      await shot("merges");
      await section.locator('button:has-text("Approve merge")').click();
      await page.waitForURL(/msg=approved/);
      if (!(await text(".notice")).includes("Merged")) throw new Error("no notice");
      const survivor = await personByEmail(kathy.email);
      const merged = (await api("/merges?status=merged")).proposals.find((p) => [p.a?.email, p.b?.email].includes(kate.email));
      if (!merged || merged.survivor !== survivor.id) throw new Error("not merged into Katherine");
      const fubId = survivor.links.find((l) => l.system === "followupboss")?.externalId;
      const notes = await fub(sandbox, vars, `/v1/notes?personId=${fubId}`);
      if (!notes.notes.some((n) => n.subject === "Duplicate contact merged")) throw new Error("no CRM note");
    });

    await check("the ROI table matches the API and counts every lead sent", async () => {
      await page.goto(`${hub}/ops/roi`);
      if ((await page.locator("svg[role=img] rect").count()) < 4) throw new Error("no chart");
      const rows = await page.locator("#roi-by-source tbody tr").allInnerTexts();
      const report = await api("/reports/roi");
      const cells = (r) => r.split("\t").map((c) => c.trim());
      for (const s of report.bySource) {
        const row = rows.map(cells).find((c) => c[0] === s.leadSource);
        if (!row || Number(row[1]) !== s.leads || Number(row[2]) !== s.contacts || Number(row[3]) !== s.deals)
          throw new Error(`${s.leadSource}: page ${row} vs api ${JSON.stringify(s)}`);
      }
      if (report.total.leads !== sent) throw new Error(`total leads ${report.total.leads}, sent ${sent}`);
      if (!rows.some((r) => cells(r)[0] === "Zillow" && Number(cells(r)[3]) >= 1)) throw new Error("Maya's deal not attributed to Zillow");
      await shot("roi");
    });

    await check("drift and alerts pages render", async () => {
      await page.goto(`${hub}/ops/alerts`);
      if (!(await text("main")).includes("followupboss")) throw new Error("the outage's alert is not shown");
      await shot("alerts");
      await page.goto(`${hub}/ops/drift`);
      await shot("drift");
    });

    await check("the mapping audit puts seeded custom fields side by side and flags the unmapped one with its look-alike", async () => {
      // An agent adds a deal field the configuration does not map, named like one it does.
      await fub(sandbox, vars, "/v1/dealCustomFields", { label: "Inspection Day", type: "text" });
      await fub(sandbox, vars, "/v1/deals", {
        name: "48 Birch Rd purchase",
        stageId: 102,
        price: 520000,
        customEarnestMoney: 5000,
        customInspectionDate: "2026-12-10",
        customInspectionDay: "Tuesday",
      });
      await page.setViewportSize(LAPTOP);
      await page.goto(`${hub}/ops`);
      await page.click("header a[href='/ops/mapping']");
      const findings = await text("main table.stack");
      if (!/unmapped\s+followupboss\s+customInspectionDay\s+.*inspectionDate/s.test(findings))
        throw new Error(`no unmapped customInspectionDay with its look-alike:\n${findings.slice(0, 400)}`);
      const main = await text("main");
      for (const want of ["customEarnestMoney", "earnestMoney", "Would write to"])
        if (!main.includes(want)) throw new Error(`the page lacks "${want}"`);
      if (main.includes("Tuesday")) throw new Error("an unmapped value is shown unmasked");
      const csv = await (
        await fetch(`${hub}/ops/api/mapping/audit?format=csv`, { headers: { authorization: `Bearer ${vars.OPS_TOKEN}` } })
      ).text();
      if (!csv.includes("customInspectionDay")) throw new Error("the CSV export lacks the unmapped field");
      mkdirSync(path.join(root, "docs", "img"), { recursive: true });
      await page.screenshot({ path: path.join(root, "docs", "img", "mapping-audit.png"), fullPage: true });
    });

    await check("at phone width the pages fit the screen", async () => {
      await page.setViewportSize(PHONE);
      for (const [p, name] of [
        ["/ops", "overview-phone"],
        ["/ops/dead-letters", "dead-letters-phone"],
        ["/ops/roi", "roi-phone"],
      ]) {
        await page.goto(`${hub}${p}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 2) throw new Error(`${p} overflows by ${overflow}px`);
        await shot(name);
      }
    });
  } finally {
    await browser.close();
  }
  return { passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}
