import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { sendUnsentEvents } from "../../src/cron";
import { scheduleMls, STALLED_MS } from "../../src/cron/mls";
import { mlsMessage } from "../../src/consumers/mls";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { deliverOutbox, records, resetSandbox } from "../helpers/sandbox";
import { api, hub, ORIGIN } from "../ops/helpers";
import { drain, mlsControl, mlsRequests, mlsSetup, MLS_ID, storedEvent } from "./helpers";
import { withQueuesDown } from "../helpers/queues";

interface FubRecords {
  person?: Array<{ id: number; emails: Array<{ value: string }> }>;
  event?: Array<{ personId: number; property: Record<string, unknown> | null }>;
  note?: Array<{ personId: number; subject: string; body: string }>;
}

/** A Zillow lead asking about the feed's listing at `index`, accepted by the hub; the listing and the lead's email. */
async function inquire(index: number, who: { name: string; phone: string; message: string }) {
  const feed = await (await fetch(`http://127.0.0.1:8788/_sandbox/reso/listings?limit=${index + 1}`)).json<{
    listings: Array<Record<string, unknown>>;
  }>();
  const l = feed.listings[index] as Record<string, unknown>;
  const email = `mls.buyer.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const lead = {
    type: "lead.created",
    timestamp: new Date().toISOString(),
    data: {
      contact_name: who.name,
      contact_email_address: email,
      phone_number: who.phone,
      message: who.message,
      listing: { mls_id: l["ListingId"] },
    },
  };
  expect((await post(await signedDelivery("zillow", lead))).status).toBe(202);
  return { l, email };
}

/** The golden person of the inquiry, once the lead's completion has recorded it. */
function inquiryRecorded(email: string): Promise<{ id: string }> {
  return eventually(() =>
    env.DB.prepare("SELECT p.id FROM people p JOIN listing_inquiries i ON i.person_id = p.id WHERE p.email = ?1")
      .bind(email)
      .first<{ id: string }>(),
  );
}

/** The listing-update notes Follow Up Boss holds for the person with this email. */
async function listingNotes(email: string) {
  const r = await records<FubRecords>("followupboss");
  const person = (r.person ?? []).find((p) => p.emails.some((e) => e.value === email));
  return (r.note ?? []).filter((n) => n.personId === person?.id && n.subject.startsWith("Listing update"));
}

const LISTINGS = 120;
const PAGE = 25;

describe("MLS listings replicated from the RESO Web API into the hub, end to end", () => {
  const s = mlsSetup({ notifyInquirers: true });
  const config = () => brokerageConfig(s.appEnv);
  let t0 = Date.now();

  beforeAll(async () => {
    await resetSandbox();
    await mlsControl("seed", { count: LISTINGS });
    t0 = Date.now();
  });

  it("an initial sync interrupted after two pages resumes from the stored cursor, without re-reading a page it has", async () => {
    expect(await scheduleMls(s.appEnv, config(), t0)).toEqual(["Property:started:1"]);
    expect(await drain(s, 2)).toEqual([`page:Property:1:${PAGE}`, `page:Property:2:${PAGE}`]);
    // The third page's message is lost with the Worker that held it.
    expect(s.queued).toHaveLength(1);
    s.queued.length = 0;
    // Before the run looks stalled the cron leaves it alone; after, it resumes the stored run.
    expect(await scheduleMls(s.appEnv, config(), Date.now())).toEqual([]);
    expect(await scheduleMls(s.appEnv, config(), Date.now() + STALLED_MS + 1)).toEqual(["Property:resumed:3"]);
    const rest = await drain(s);
    expect(rest).toHaveLength(Math.ceil(LISTINGS / PAGE) - 2);

    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM listings WHERE connection = ?1").bind(MLS_ID).first<{ n: number }>();
    expect(n?.n).toBe(LISTINGS);
    const pages = (await mlsRequests()).filter((r) => r.url.startsWith("/reso/odata/Property"));
    expect(pages.every((r) => r.status === 200)).toBe(true);
    expect(pages).toHaveLength(Math.ceil(LISTINGS / PAGE));
    expect(new Set(pages.map((r) => r.url)).size).toBe(pages.length);
    expect(pages[0]?.url).toContain("orderby=ModificationTimestamp");
    expect(pages.slice(1).every((r) => r.url.includes("skiptoken="))).toBe(true);
    const sync = await env.DB.prepare(
      "SELECT phase, status, pages, records, cursor FROM listing_sync WHERE connection = ?1 AND job = 'Property'",
    )
      .bind(MLS_ID)
      .first();
    expect(sync).toMatchObject({ phase: "incremental", status: "idle", pages: Math.ceil(LISTINGS / PAGE), records: LISTINGS });
  });

  it("shows the replication's progress and the listings in the ops API and on the dashboard", async () => {
    const res = await api("/listings?limit=5");
    expect(res.status).toBe(200);
    const r = await res.json<{ replication: Array<Record<string, unknown>>; total: number; listings: Array<Record<string, unknown>> }>();
    expect(r.replication).toEqual([
      expect.objectContaining({
        connection: MLS_ID,
        run: "Property",
        phase: "incremental",
        status: "idle",
        pages: 5,
        records: LISTINGS,
        resumesFrom: null,
        error: null,
      }),
    ]);
    expect(r.total).toBe(LISTINGS);
    expect(r.listings).toHaveLength(5);
    // Only whole numbers written plainly: not 0, nor what JavaScript's Number() would also read.
    for (const bad of ["0", "1e2", "0x10", " 5", "5.0", ""]) {
      expect(await api(`/listings?limit=${encodeURIComponent(bad)}`).then((x) => x.status), bad).toBe(422);
    }
    expect(await api("/listings?offset=1e3").then((x) => x.status)).toBe(422);
    const login = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN }),
      },
      env,
    );
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = await hub.request(`${ORIGIN}/ops/listings`, { headers: { cookie } }, env);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`href="/ops/listings" aria-current="page"`);
    expect(html).toContain(`Listings (${LISTINGS})`);
    expect(html).toContain("incremental");
    // Paging a filtered list keeps its filter and page size.
    const status = String(r.listings[0]?.status ?? "Active");
    const filtered = await (await hub.request(`${ORIGIN}/ops/listings?status=${status}&limit=2`, { headers: { cookie } }, env)).text();
    const older = /<a href="([^"]+)">older →<\/a>/.exec(filtered)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(new URL(older, ORIGIN).searchParams.get("status")).toBe(status);
    expect(new URL(older, ORIGIN).searchParams.get("limit")).toBe("2");
    expect(new URL(older, ORIGIN).searchParams.get("offset")).toBe("2");
  });

  it("stores each listing keyed by ListingKey and MLS number, prices in cents, address normalized, list agent and office", async () => {
    const feed = await (await fetch("http://127.0.0.1:8788/_sandbox/reso/listings?limit=1")).json<{
      listings: Array<Record<string, unknown>>;
    }>();
    const src = feed.listings[0] as Record<string, unknown>;
    const row = await env.DB.prepare("SELECT * FROM listings WHERE listing_key = ?1")
      .bind(src["ListingKey"])
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      listing_id: src["ListingId"],
      standard_status: "Active",
      list_price_cents: Number(src["ListPrice"]) * 100,
      zip: src["PostalCode"],
      state: "TX",
      list_agent_key: src["ListAgentKey"],
      list_office_name: src["ListOfficeName"],
    });
    const address = JSON.parse(String(row?.["address"])) as Record<string, string>;
    expect(address).toMatchObject({ number: src["StreetNumber"], street: src["StreetName"], zip: src["PostalCode"] });
    const provenance = JSON.parse(String(row?.["provenance"])) as Record<string, { system: string; at: string }>;
    expect(provenance["listPriceCents"]).toEqual({ system: MLS_ID, at: src["ModificationTimestamp"] });
  });

  it("a Zillow lead naming an MLS number is linked to the listing, and the CRM receives the listing's full property", async () => {
    const { l, email } = await inquire(2, { name: "Rosa Diaz", phone: "(512) 555-0177", message: "Is this one available?" });
    const event = await eventually(async () => {
      const r = await records<FubRecords>("followupboss");
      const person = (r.person ?? []).find((p) => p.emails.some((e) => e.value === email));
      return person ? (r.event ?? []).find((e) => e.personId === person.id) : undefined;
    });
    expect(event.property).toMatchObject({
      mlsNumber: l["ListingId"],
      street: `${String(l["StreetNumber"])} ${String(l["StreetName"])} ${String(l["StreetSuffix"])}`,
      city: l["City"],
      state: "TX",
      code: l["PostalCode"],
      price: l["ListPrice"],
    });
    // The inquiry is recorded with the lead's completion, just after the CRM has the event.
    const inquiry = await eventually(() =>
      env.DB.prepare("SELECT i.listing_key FROM people p JOIN listing_inquiries i ON i.person_id = p.id WHERE p.email = ?1")
        .bind(email)
        .first<{ listing_key: string }>(),
    );
    expect(inquiry.listing_key).toBe(l["ListingKey"]);

    // The listing goes under contract: the next incremental poll reads only what changed since
    // the cursor, traces the change, and the person who asked gets a note in the CRM.
    await mlsControl("change", { action: "status", keys: [l["ListingKey"]] });
    const before = (await mlsRequests()).length;
    // (The first keys-only pass starts with it, the first sync being complete.)
    expect(await scheduleMls(s.appEnv, config(), Date.now() + 6 * 60_000)).toEqual(["Property:started:7", "Property#keys:started:1"]);
    // Two records: the change, and the newest of the last run read again at the cursor (unchanged,
    // no note). An answer without a next link may be short of what the MLS holds, so the poll asks
    // on until one comes back empty: from the change's stamp (read again), then past it.
    expect((await drain(s)).filter((r) => r.startsWith("page:Property:"))).toEqual([
      "page:Property:7:2:notes:1",
      "page:Property:8:1",
      "page:Property:9:0",
    ]);
    const polled = (await mlsRequests()).slice(before).filter((r) => !r.url.includes("select=ListingKey"));
    expect(polled).toHaveLength(3);
    expect(decodeURIComponent(polled[0]?.url ?? "").replace(/\+/g, " ")).toContain("$filter=ModificationTimestamp ge ");
    const trace = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'LISTING_CHANGED'")
      .bind(`listing:${String(l["ListingKey"])}`)
      .first<{ detail: string }>();
    expect(trace?.detail).toBe("status Active → Pending");
    const [note] = await eventually(async () => ((await listingNotes(email)).length ? listingNotes(email) : null));
    expect(note?.body).toContain("status Active → Pending");
    expect(note?.body).toContain(`MLS# ${String(l["ListingId"])}`);
  });

  it("a listing change whose CRM notes the queue refused is noted by the next scheduled run, once", async () => {
    const { l, email } = await inquire(4, { name: "Nora Queue", phone: "(512) 555-0178", message: "Still for sale?" });
    const golden = await inquiryRecorded(email);
    const notesFor = () => listingNotes(email);

    await mlsControl("change", { action: "status", keys: [l["ListingKey"]] });
    await scheduleMls(s.appEnv, config(), Date.now() + 12 * 60_000);
    // The CRM queue refuses while the page is applied: the page's message fails after its commit.
    const crmDown = withQueuesDown(s.appEnv, "CRM");
    const failed: unknown[] = [];
    while (s.queued.length) {
      const msg = s.queued.shift();
      await mlsMessage(msg, crmDown).catch(() => failed.push(msg));
    }
    expect(failed).toHaveLength(1);
    // Its retry finds the page applied, so it notes no one; the scheduled run sends the note.
    expect((await mlsMessage(failed[0], s.appEnv)).ok).toBe(true);
    await drain(s);
    const recorded = await env.DB.prepare("SELECT event_id FROM outbox WHERE event_id LIKE 'note:%' || ?1").bind(golden.id).all();
    expect(recorded.results).toHaveLength(1);
    expect(await sendUnsentEvents(env, Date.now() + 120_000)).toBe(1);
    const [note, ...more] = await eventually(async () => ((await notesFor()).length ? notesFor() : null));
    expect(note?.body).toContain(`MLS# ${String(l["ListingId"])}`);
    expect(more).toEqual([]);
  });
  it("a pushed change of a listing someone asked about is stored, and the person gets a note in the CRM", async () => {
    const { l, email } = await inquire(6, { name: "Pia Push", phone: "(512) 555-0179", message: "What is the price now?" });
    await inquiryRecorded(email);
    await mlsControl("change", { action: "price", keys: [l["ListingKey"]], push: "batch" });
    const [res] = await deliverOutbox({ source: "reso" });
    expect(res?.status).toBe(202);
    const msg = await eventually(async () => storedEvent((await res?.clone().json<{ id: string }>())?.id ?? ""));

    expect(await mlsMessage(msg, s.appEnv)).toEqual({ ok: true, value: "fetched:1:gone:0:notes:1" });
    const now = await (await fetch(`http://127.0.0.1:8788/_sandbox/reso/listings?limit=${LISTINGS}`)).json<{
      listings: Array<Record<string, unknown>>;
    }>();
    const changed = now.listings.find((x) => x["ListingKey"] === l["ListingKey"]);
    expect(changed?.["ListPrice"]).not.toBe(l["ListPrice"]);
    const stored = await env.DB.prepare("SELECT list_price_cents FROM listings WHERE connection = ?1 AND listing_key = ?2")
      .bind(MLS_ID, l["ListingKey"])
      .first<number>("list_price_cents");
    expect(stored).toBe(Math.round(Number(changed?.["ListPrice"]) * 100));
    const [note] = await eventually(async () => ((await listingNotes(email)).length ? listingNotes(email) : null));
    expect(note?.body).toContain("price");
    expect(note?.body).toContain(`MLS# ${String(l["ListingId"])}`);
  });

  it("two changes of a listing within one second, each pushed, are two notes for the person who asked", async () => {
    const { l, email } = await inquire(8, { name: "Sid Second", phone: "(512) 555-0180", message: "Any news on this one?" });
    await inquiryRecorded(email);
    // An MLS that stamps to the second gives both changes the same ModificationTimestamp.
    const second = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    for (const action of ["price", "status"] as const) {
      await mlsControl("change", { action, keys: [l["ListingKey"]], push: "batch", at: second });
      const [res] = await deliverOutbox({ source: "reso" });
      const msg = await eventually(async () => storedEvent((await res?.clone().json<{ id: string }>())?.id ?? ""));
      expect(await mlsMessage(msg, s.appEnv)).toEqual({ ok: true, value: "fetched:1:gone:0:notes:1" });
    }
    const notes = await eventually(async () => ((await listingNotes(email)).length >= 2 ? listingNotes(email) : null));
    expect(notes.map((n) => n.body)).toEqual([expect.stringContaining("price"), expect.stringContaining("status")]);
  });
});
