import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/verify";
import { drain, hex, hmac, reset, sb, sendJson, setSettings } from "./helpers";

const REDIRECT = "http://127.0.0.1:8787/oauth/dotloop/callback";
const CLIENT = () => `Basic ${btoa(`${env.DOTLOOP_CLIENT_ID}:${env.DOTLOOP_CLIENT_SECRET}`)}`;

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

async function authorize(state = "s1"): Promise<URL> {
  const q = new URLSearchParams({ response_type: "code", client_id: env.DOTLOOP_CLIENT_ID, redirect_uri: REDIRECT, state });
  const res = await sb(`/dotloop/oauth/authorize?${q}`, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") ?? "");
}

async function login(): Promise<Tokens> {
  const code = (await authorize()).searchParams.get("code") ?? "";
  const res = await sb("/dotloop/oauth/token", {
    method: "POST",
    headers: { authorization: CLIENT(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }).toString(),
  });
  expect(res.status).toBe(200);
  return res.json<Tokens>();
}

function refresh(token: string): Promise<Response> {
  const q = new URLSearchParams({ grant_type: "refresh_token", refresh_token: token });
  return sb(`/dotloop/oauth/token?${q}`, { method: "POST", headers: { authorization: CLIENT() } });
}

const api = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  sb(`/dotloop/public/v2${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

beforeEach(() => reset());

describe("Dotloop OAuth", () => {
  it("approves at once with code and state, or denies when told to", async () => {
    const ok = await authorize("abc");
    expect(ok.searchParams.get("code")).toMatch(/\w{10,}/);
    expect(ok.searchParams.get("state")).toBe("abc");
    await setSettings("dotloop", { denyOAuth: true });
    const denied = await authorize("abc");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("code")).toBeNull();
  });

  it("exchanges a code once, with Basic client auth", async () => {
    const code = (await authorize()).searchParams.get("code") ?? "";
    const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }).toString();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await sb("/dotloop/oauth/token", { method: "POST", headers: { ...form, authorization: "Basic eDp5" }, body })).status).toBe(
      401,
    );
    const first = await sb("/dotloop/oauth/token", { method: "POST", headers: { ...form, authorization: CLIENT() }, body });
    expect(await first.json()).toMatchObject({ token_type: "Bearer", expires_in: 43199 });
    expect((await sb("/dotloop/oauth/token", { method: "POST", headers: { ...form, authorization: CLIENT() }, body })).status).toBe(400);
  });

  it("invalidates the previous access token as soon as it is refreshed", async () => {
    const t = await login();
    expect((await api(t.access_token, "/profile")).status).toBe(200);
    const r = await refresh(t.refresh_token);
    expect(r.status).toBe(200);
    const t2 = await r.json<Tokens>();
    expect(t2.access_token).not.toBe(t.access_token);
    expect((await api(t.access_token, "/profile")).status).toBe(401);
    expect((await api(t2.access_token, "/profile")).status).toBe(200);
  });

  it("rotates the refresh token: the answer carries a new one and the one just used is refused", async () => {
    const t = await login();
    const t2 = await (await refresh(t.refresh_token)).json<Tokens>();
    expect(t2.refresh_token).not.toBe(t.refresh_token);
    const again = await refresh(t.refresh_token);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    expect((await refresh(t2.refresh_token)).status).toBe(200);
  });

  it("expires access tokens after their lifetime", async () => {
    await setSettings("dotloop", { tokenLifetimeSeconds: 60 });
    const t = await login();
    expect(t.expires_in).toBe(60);
    expect((await api(t.access_token, "/profile")).status).toBe(200);
    await sendJson("/_sandbox/dotloop/clock", { advanceMs: 61_000 });
    const expired = await api(t.access_token, "/profile");
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: "invalid_token" });
  });
});

describe("Dotloop loops", () => {
  it("pages loops in batches of at most 50 and filters by type", async () => {
    const t = await login();
    for (let i = 0; i < 7; i++) {
      const type = i % 2 === 0 ? "PURCHASE_OFFER" : "LISTING_FOR_SALE";
      expect(
        (await api(t.access_token, "/profile/4711/loop", { method: "POST", body: { name: `Loop ${i}`, transactionType: type } })).status,
      ).toBe(201);
    }
    const ids: number[] = [];
    for (let batch = 1; ; batch++) {
      const page = await (await api(t.access_token, `/profile/4711/loop?batch_size=3&batch_number=${batch}`)).json<{
        meta: { total: number };
        data: Array<{ id: number }>;
      }>();
      expect(page.meta.total).toBe(7);
      ids.push(...page.data.map((l) => l.id));
      if (page.data.length < 3) break;
    }
    expect(new Set(ids).size).toBe(7);
    expect((await api(t.access_token, "/profile/4711/loop?batch_size=51")).status).toBe(400);
    const listings = await (await api(t.access_token, "/profile/4711/loop?filter=transaction_type=LISTING_FOR_SALE")).json<{
      data: unknown[];
    }>();
    expect(listings.data).toHaveLength(3);
  });

  it("rejects a status the transaction type does not allow", async () => {
    const t = await login();
    const bad = await api(t.access_token, "/profile/4711/loop", {
      method: "POST",
      body: { name: "X", transactionType: "PURCHASE_OFFER", status: "ACTIVE_LISTING" },
    });
    expect(bad.status).toBe(422);
    const loop = await (await api(t.access_token, "/profile/4711/loop", { method: "POST", body: { name: "X" } })).json<{
      data: { id: number; status: string };
    }>();
    expect(loop.data.status).toBe("PRE_OFFER");
    expect((await api(t.access_token, `/profile/4711/loop/${loop.data.id}`, { method: "PATCH", body: { status: "LEASED" } })).status).toBe(
      422,
    );
    expect(
      (await api(t.access_token, `/profile/4711/loop/${loop.data.id}`, { method: "PATCH", body: { status: "UNDER_CONTRACT" } })).status,
    ).toBe(200);
  });

  it("loop-it creates loop, address details and participants; details merge as strings", async () => {
    const t = await login();
    const res = await api(t.access_token, "/loop-it?profile_id=4711", {
      method: "POST",
      body: {
        name: "Brian Erwin",
        streetNumber: "14015",
        streetName: "Southington Rd",
        city: "Shaker Heights",
        state: "OH",
        zipCode: "44120",
        participants: [{ fullName: "Brian Erwin", email: "b@example.com", role: "BUYER" }],
      },
    });
    expect(res.status).toBe(201);
    const loop = (await res.json<{ data: { id: number; profileId: number } }>()).data;
    expect(loop.profileId).toBe(4711);
    const patched = await api(t.access_token, `/profile/4711/loop/${loop.id}/detail`, {
      method: "PATCH",
      body: { Financials: { "Purchase/Sale Price": 450000 }, "Contract Dates": { "Closing Date": "11/01/2026" } },
    });
    const details = (await patched.json<{ data: Record<string, Record<string, string>> }>()).data;
    expect(details["Financials"]).toEqual({ "Purchase/Sale Price": "450000" });
    expect(details["Property Address"]?.["City"]).toBe("Shaker Heights");
    expect(details["Offer Dates"]).toBeUndefined();
    const people = await (await api(t.access_token, `/profile/4711/loop/${loop.id}/participant`)).json<{ data: Array<{ role: string }> }>();
    expect(people.data.map((p) => p.role)).toEqual(["BUYER"]);
    expect(
      (await api(t.access_token, `/profile/4711/loop/${loop.id}/participant`, { method: "POST", body: { fullName: "Z", role: "WIZARD" } }))
        .status,
    ).toBe(422);
  });

  it("counts requests against a per-minute limit with X-RateLimit-Reset in ms, then 429", async () => {
    await setSettings("dotloop", { rateLimit: { limit: 2, windowSeconds: 60 } });
    const t = await login();
    const a = await api(t.access_token, "/profile");
    expect(a.headers.get("x-ratelimit-limit")).toBe("2");
    expect(a.headers.get("x-ratelimit-remaining")).toBe("1");
    const reset = Number(a.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThan(50_000);
    expect(reset).toBeLessThanOrEqual(60_000);
    await api(t.access_token, "/profile");
    const limited = await api(t.access_token, "/profile");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
  });
});

describe("Dotloop webhooks", () => {
  it("signs LOOP_UPDATED with HMAC-SHA1 of the raw body when a loop's status or details change", async () => {
    const t = await login();
    const loop = (
      await (await api(t.access_token, "/profile/4711/loop", { method: "POST", body: { name: "X" } })).json<{ data: { id: number } }>()
    ).data;
    await drain();
    await api(t.access_token, `/profile/4711/loop/${loop.id}`, { method: "PATCH", body: { status: "UNDER_CONTRACT" } });
    await api(t.access_token, `/profile/4711/loop/${loop.id}/detail`, {
      method: "PATCH",
      body: { Financials: { "Purchase/Sale Price": "1" } },
    });
    await api(t.access_token, `/profile/4711/loop/${loop.id}/detail`, {
      method: "PATCH",
      body: { Financials: { "Purchase/Sale Price": "1" } },
    }); // no change: no event
    const out = await drain("dotloop");
    expect(out).toHaveLength(2);
    for (const d of out) {
      const body = JSON.parse(d.body) as { eventType: string; event: { loopId: string; profileId: string }; timestamp: number };
      expect(body.eventType).toBe("LOOP_UPDATED");
      expect(body.event).toMatchObject({ loopId: String(loop.id), profileId: "4711" });
      expect(d.headers["X-DOTLOOP-SIGNATURE"]).toBe(hex(await hmac("SHA-1", env.WEBHOOK_SECRET_DOTLOOP, d.body)));
      expect(Number(d.headers["X-DOTLOOP-TIMESTAMP"])).toBeGreaterThan(1e12);
      const verdict = await verifyWebhook({
        scheme: "dotloop",
        secret: env.WEBHOOK_SECRET_DOTLOOP,
        headers: d.headers,
        body: d.body,
        now: Math.floor(Date.now() / 1000),
      });
      expect(verdict.ok).toBe(true);
    }
  });

  it("delivers to subscriptions with their own key and external id", async () => {
    const t = await login();
    const sub = await api(t.access_token, "/subscription", {
      method: "POST",
      body: {
        targetType: "PROFILE",
        targetId: 4711,
        url: "https://hub.test/hooks/dotloop",
        eventTypes: ["LOOP_CREATED"],
        signingKey: "k-123",
        externalId: "tenant-42",
      },
    });
    expect(sub.status).toBe(201);
    await api(t.access_token, "/profile/4711/loop", { method: "POST", body: { name: "X" } });
    const [d, ...rest] = await drain("dotloop");
    expect(rest).toHaveLength(0);
    expect(d?.url).toBe("https://hub.test/hooks/dotloop");
    expect(JSON.parse(d?.body ?? "{}")).toMatchObject({ eventType: "LOOP_CREATED", subscriptionExternalId: "tenant-42" });
    expect(d?.headers["X-DOTLOOP-SIGNATURE"]).toBe(hex(await hmac("SHA-1", "k-123", d?.body ?? "")));
  });
});
