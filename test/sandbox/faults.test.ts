import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/verify";
import { counters, drain, fub, reset, sb, sendJson, setSettings } from "./helpers";

beforeEach(() => reset());

async function statuses(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fub("/v1/people")).status);
  return out;
}

describe("request faults", () => {
  it("injects 500/502/503 at the configured rate, in the vendor's error format", async () => {
    await setSettings("followupboss", { errorRate: 1 });
    const res = await fub("/v1/people");
    expect([500, 502, 503]).toContain(res.status);
    expect(await res.json()).toHaveProperty("errorMessage");
    const all = await statuses(20);
    expect(all.every((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(new Set(all).size).toBeGreaterThan(1);
    expect((await counters("followupboss")).injectedErrors).toBe(21);
  });

  it("replays the same faults for the same seed", async () => {
    await reset(5);
    await setSettings("followupboss", { errorRate: 0.4 });
    const a = await statuses(30);
    await reset(5);
    await setSettings("followupboss", { errorRate: 0.4 });
    const b = await statuses(30);
    expect(b).toEqual(a);
    expect(a).toContain(200);
    expect(a.some((s) => s >= 500)).toBe(true);
    await reset(6);
    await setSettings("followupboss", { errorRate: 0.4 });
    expect(await statuses(30)).not.toEqual(a);
  });

  it("adds latency, and times out with 504 after timeoutMs", async () => {
    await setSettings("followupboss", { latencyMs: 150 });
    let t = Date.now();
    expect((await fub("/v1/people")).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    await setSettings("followupboss", { latencyMs: 0, timeoutRate: 1, timeoutMs: 200 });
    t = Date.now();
    expect((await fub("/v1/people")).status).toBe(504);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    expect((await counters("followupboss")).timeouts).toBe(1);
  });

  it("answers 429 storms with Retry-After until stormUntil passes", async () => {
    await setSettings("followupboss", { stormUntil: Date.now() + 5_000 });
    const res = await fub("/v1/people");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(4);
    await sendJson("/_sandbox/followupboss/clock", { advanceMs: 6_000 });
    expect((await fub("/v1/people")).status).toBe(200);
    await setSettings("followupboss", { stormUntil: null, stormRate: 1 });
    const stormed = await fub("/v1/people");
    expect(stormed.status).toBe(429);
    expect(stormed.headers.get("retry-after")).toBe("10");
    await setSettings("followupboss", { stormRetryAfterSeconds: 2 });
    expect((await fub("/v1/people")).headers.get("retry-after")).toBe("2");
    expect((await counters("followupboss")).rateLimited).toBe(3);
  });

  it("refuses the writes that match rejectWrites, every time, and serves everything else", async () => {
    await setSettings("followupboss", { rejectWrites: { match: "refused\\d*7@example\\.com" } });
    const person = (email: string) =>
      fub("/v1/people", { method: "POST", body: { firstName: "Ria", lastName: "Refused", emails: [{ value: email }] } });
    for (let i = 0; i < 3; i++) {
      const res = await person("ria.refused17@example.com");
      expect(res.status).toBe(422);
      expect(await res.json()).toHaveProperty("errorMessage");
    }
    expect((await person("ria.refused18@example.com")).status).toBe(201);
    // Reads are never refused, even when the query names the record.
    expect((await fub("/v1/people?email=ria.refused17@example.com")).status).toBe(200);
    // The path is part of what is matched, so a soak can pick records by id.
    await setSettings("followupboss", { rejectWrites: { match: "^POST /followupboss/v1/notes", status: 400 } });
    expect((await fub("/v1/notes", { method: "POST", body: { personId: 1, body: "hi" } })).status).toBe(400);
    expect((await counters("followupboss")).rejectedWrites).toBe(4);
    await setSettings("followupboss", { rejectWrites: null });
    expect((await person("ria.refused17@example.com")).status).toBe(201);
    expect((await sendJson("/_sandbox/followupboss/settings", { rejectWrites: { match: "(" } }, "PUT")).status).toBe(400);
    expect((await sendJson("/_sandbox/followupboss/settings", { rejectWrites: { match: "x", status: 503 } }, "PUT")).status).toBe(400);
  });

  it("makes the writes that match loseAnswers and answers them 504, so only a read finds what was made", async () => {
    await setSettings("followupboss", { loseAnswers: { match: "lost\\.answer@example\\.com" } });
    const made = await fub("/v1/people", {
      method: "POST",
      body: { firstName: "Lou", lastName: "Lost", emails: [{ value: "lou.lost.answer@example.com" }] },
    });
    expect(made.status).toBe(504);
    expect(await made.json()).toHaveProperty("errorMessage");
    const found = await (await fub("/v1/people?email=lou.lost.answer@example.com")).json<{ people: Array<{ lastName: string }> }>();
    expect(found.people.map((p) => p.lastName)).toEqual(["Lost"]);
    expect((await counters("followupboss")).lostAnswers).toBe(1);
  });

  it("refuses unknown or out-of-range settings", async () => {
    expect((await sendJson("/_sandbox/followupboss/settings", { errorRat: 1 }, "PUT")).status).toBe(400);
    expect((await sendJson("/_sandbox/followupboss/settings", { errorRate: 2 }, "PUT")).status).toBe(400);
    expect((await sb("/_sandbox/nosuchvendor/settings")).status).toBe(404);
    const s = await (await sb("/_sandbox/quickbooks/settings")).json<{ errorRate: number; autoWebhooks: boolean }>();
    expect(s).toMatchObject({ errorRate: 0, autoWebhooks: true });
  });
});

describe("QuickBooks concurrency", () => {
  it("refuses requests beyond the in-flight limit with 429 and records max in-flight", async () => {
    await setSettings("quickbooks", { concurrencyLimit: 2, latencyMs: 300 });
    const q = new URLSearchParams({
      client_id: env.QUICKBOOKS_CLIENT_ID,
      response_type: "code",
      redirect_uri: "http://h.test/cb",
      state: "s",
    });
    const back = new URL((await sb(`/quickbooks/connect/oauth2?${q}`, { redirect: "manual" })).headers.get("location") ?? "");
    const tok = await (
      await sb("/quickbooks/oauth2/v1/tokens/bearer", {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${env.QUICKBOOKS_CLIENT_ID}:${env.QUICKBOOKS_CLIENT_SECRET}`)}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: back.searchParams.get("code") ?? "",
          redirect_uri: "http://h.test/cb",
        }).toString(),
      })
    ).json<{ access_token: string }>();
    const realm = back.searchParams.get("realmId") ?? "";
    const all = await Promise.all(
      Array.from({ length: 6 }, () =>
        sb(`/quickbooks/v3/company/${realm}/query?query=select%20*%20from%20Customer`, {
          headers: { authorization: `Bearer ${tok.access_token}` },
        }),
      ),
    );
    const codes = all.map((r) => r.status);
    expect(codes).toContain(200);
    expect(codes).toContain(429);
    expect((await counters("quickbooks")).maxInFlight).toBeGreaterThan(2);
  });
});

describe("schema drift", () => {
  it("renames fields and adds unknown ones in API responses and webhook bodies, still signed", async () => {
    await setSettings("followupboss", { drift: { rename: { firstName: "first_name", resourceIds: "resource_ids" }, addUnknown: true } });
    const res = await fub("/v1/people", { method: "POST", body: { firstName: "Ana", emails: [{ value: "ana@example.com" }] } });
    const body = await res.json<Record<string, unknown>>();
    expect(body["first_name"]).toBe("Ana");
    expect(body["firstName"]).toBeUndefined();
    expect(body).toHaveProperty("x_sandbox_new_field");
    const [d] = await drain("followupboss");
    const hook = JSON.parse(d?.body ?? "{}") as Record<string, unknown>;
    expect(hook["resource_ids"]).toBeDefined();
    expect(hook).toHaveProperty("x_sandbox_new_field");
    const verdict = await verifyWebhook({
      scheme: "followupboss",
      secret: env.WEBHOOK_SECRET_FOLLOWUPBOSS,
      headers: d?.headers ?? {},
      body: d?.body ?? "",
      now: Math.floor(Date.now() / 1000),
    });
    expect(verdict.ok).toBe(true);
  });
});

describe("webhook faults", () => {
  it("drops deliveries at dropRate and counts them", async () => {
    await setSettings("leads", { dropRate: 1 });
    const out = await (await sendJson("/_sandbox/leads", { source: "idx", count: 4, seed: 1 })).json<{
      leads: Array<{ dropped: boolean }>;
    }>();
    expect(out.leads.every((l) => l.dropped)).toBe(true);
    expect(await drain()).toHaveLength(0);
    expect((await counters("leads")).webhooksDropped).toBe(4);
  });

  it("duplicates deliveries with the same message id", async () => {
    await setSettings("leads", { duplicateRate: 1 });
    await sendJson("/_sandbox/leads", { source: "zillow", count: 2, seed: 1 });
    const out = await drain("zillow");
    expect(out).toHaveLength(4);
    expect(new Set(out.map((d) => d.headers["webhook-id"])).size).toBe(2);
    expect(new Set(out.map((d) => d.body)).size).toBe(2);
  });

  it("holds and shuffles deliveries when outOfOrder is set, deterministically per seed", async () => {
    const order = async () => {
      await setSettings("leads", { outOfOrder: true });
      const sent = await (await sendJson("/_sandbox/leads", { source: "realtor", count: 12, seed: 3 })).json<{
        leads: Array<{ webhookId: string }>;
      }>();
      const got = (await drain("realtor")).map((d) => d.headers["webhook-id"]);
      return { sent: sent.leads.map((l) => l.webhookId), got };
    };
    await reset(11);
    const a = await order();
    expect([...a.got].sort()).toEqual([...a.sent].sort());
    expect(a.got).not.toEqual(a.sent);
    await reset(11);
    const b = await order();
    expect(b.got).toEqual(a.got);
  });
});
