import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Deal } from "../../src/canonical";
import { DotloopClient } from "../../src/vendors/dotloop/client";
import { vendorRequest } from "../../src/vendors/shared/transport";
import { dotloopPollers } from "../../src/vendors/dotloop/poll";
import { DotloopTms } from "../../src/vendors/dotloop/tms";
import { referenceTag } from "../../src/vendors/dotloop/to-vendor";
import {
  configOf,
  connectFlow,
  counters,
  expectPollerFollows,
  expireAtHub,
  getSettings,
  hub,
  kind,
  open,
  opsAuth,
  sandbox,
  setSettings,
  sleep,
  slotsWithin,
  storedCredential,
  uid,
} from "./support";

interface SandboxToken {
  token: string;
  refreshToken: string;
  revoked: boolean;
}

/** A per-agent connection of its own, connected through the real flow. */
async function connected(): Promise<string> {
  const id = `dotloop:agent-t${uid()}`;
  const flow = await connectFlow("dotloop", id);
  expect(flow.done.status).toBe(200);
  return id;
}

const client = (id: string, overrides = {}) => new DotloopClient(open(id, overrides));

afterEach(async () => {
  await setSettings("dotloop", {
    denyOAuth: false,
    tokenLifetimeSeconds: null,
    rateLimit: null,
    stormUntil: null,
    dotloopUpdatedMin: "inclusive",
    dotloopEditWhilePaging: false,
  });
});

describe("Dotloop connect flow", () => {
  it("an operator connects a per-agent grant end to end, and calls then succeed with it", async () => {
    const id = `dotloop:agent-t${uid()}`;
    const before = await client(id).ping();
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.error).toMatchObject({ code: "not_connected", retryable: false });

    const flow = await connectFlow("dotloop", id);
    const authorize = new URL(flow.start.headers.get("location") ?? "");
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${env.DOTLOOP_AUTH_BASE_URL}/authorize`);
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("client_id")).toBe(env.DOTLOOP_CLIENT_ID);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${env.HUB_PUBLIC_URL}/connect/dotloop/callback`);
    expect(flow.start.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(flow.callbackUrl.searchParams.get("state")).toBe(authorize.searchParams.get("state"));
    expect(flow.done.status).toBe(200);
    expect(await flow.done.json()).toEqual({ status: "connected", vendor: "dotloop", connection: id });

    const profiles = await client(id).getProfiles();
    expect(profiles.ok).toBe(true);
    if (profiles.ok) expect(profiles.value.some((p) => p.type === "INDIVIDUAL")).toBe(true);
  });

  it("refuses a tampered state, a callback in another browser, and a state sent to another vendor", async () => {
    const id = `dotloop:agent-t${uid()}`;
    const tampered = await connectFlow("dotloop", id, env, (u) => {
      const s = u.searchParams.get("state") ?? "";
      u.searchParams.set("state", `${s.slice(0, 5)}${s[5] === "A" ? "B" : "A"}${s.slice(6)}`);
    });
    expect(tampered.done.status).toBe(401);
    expect(await tampered.done.json()).toMatchObject({ code: "unauthorized" });

    const flow = await connectFlow("dotloop", id, env, (u) => u.searchParams.set("code", "unused"));
    const app = hub();
    const otherBrowser = await app.request(`${flow.callbackUrl.pathname}${flow.callbackUrl.search}`, {}, env);
    expect(otherBrowser.status).toBe(401);
    const otherVendor = await app.request(
      `/connect/quickbooks/callback${flow.callbackUrl.search}`,
      { headers: { cookie: flow.cookie } },
      env,
    );
    expect(otherVendor.status).toBe(401);
    expect(await storedCredential(id)).toBeNull();
  });

  it("answers a denied consent, an unknown connection and an unknown vendor with problem documents", async () => {
    await setSettings("dotloop", { denyOAuth: true });
    const denied = await connectFlow("dotloop", `dotloop:agent-t${uid()}`);
    expect(denied.callbackUrl.searchParams.get("error")).toBe("access_denied");
    expect(denied.done.status).toBe(400);
    expect(await denied.done.json()).toMatchObject({ code: "bad_request" });

    const app = hub();
    const unknown = await app.request("/connect/dotloop?connection=dotloop:nobody", { headers: opsAuth() }, env);
    expect(unknown.status).toBe(400);
    const wrongVendor = await app.request("/connect/dotloop?connection=quickbooks:main", { headers: opsAuth() }, env);
    expect(wrongVendor.status).toBe(400);
    const notOAuth = await app.request("/connect/skyslope", { headers: opsAuth() }, env);
    expect(notOAuth.status).toBe(404);
  });
});

describe("Dotloop tokens", () => {
  it("10 concurrent calls after the token expired: one refresh, all succeed, the new token is stored", async () => {
    const id = await connected();
    const old = await expireAtHub(id);
    const tokensBefore = (await kind<SandboxToken>("dotloop", "accessToken")).length;

    const results = await Promise.all(Array.from({ length: 10 }, () => client(id).getProfiles()));
    expect(results.filter((r) => r.ok)).toHaveLength(10);

    const tokens = await kind<SandboxToken>("dotloop", "accessToken");
    expect(tokens.length - tokensBefore).toBe(1);
    const stored = await storedCredential(id);
    expect(stored?.accessToken).not.toBe(old.accessToken);
    expect(tokens.find((t) => t.token === stored?.accessToken)?.revoked).toBe(false);
    // Dotloop invalidates the previous access token on refresh.
    expect(tokens.find((t) => t.token === old.accessToken)?.revoked).toBe(true);
    expect(stored?.expiresAt).toBeGreaterThan(Date.now() + 60_000);
  });

  it("a token Dotloop stops honouring mid-flight (401) is renewed once and every call retried", async () => {
    await setSettings("dotloop", { tokenLifetimeSeconds: 120 });
    const id = await connected();
    const { clockOffsetMs } = await getSettings("dotloop");
    // The hub still trusts the token for a minute; Dotloop's clock says it has expired.
    await setSettings("dotloop", { clockOffsetMs: clockOffsetMs + 130_000 });
    const tokensBefore = (await kind<SandboxToken>("dotloop", "accessToken")).length;

    const results = await Promise.all(Array.from({ length: 5 }, () => client(id).getProfiles()));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect((await kind<SandboxToken>("dotloop", "accessToken")).length - tokensBefore).toBe(1);
  });

  it("a refresh token Dotloop no longer honours is a permanent not_connected", async () => {
    const id = await connected();
    const cred = await storedCredential(id);
    await sandbox("/dotloop/oauth/token/revoke", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: cred?.accessToken ?? "" }).toString(),
    });
    const r = await client(id).getProfiles();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "not_connected", retryable: false, vendor: "dotloop" });
  });
});

describe("Dotloop errors and limits", () => {
  it("a 422 (status not allowed for the transaction type) comes back permanent with Dotloop's message", async () => {
    const id = await connected();
    const c = client(id);
    const loop = await c.loopIt("4711", {
      name: `Bad status ${uid()}`,
      transactionType: "PURCHASE_OFFER",
      status: "PRE_OFFER",
      participants: [],
    });
    expect(loop.ok).toBe(true);
    if (!loop.ok) return;
    // The hub never changes a loop's status; the request is made on the transport every call uses.
    const r = await vendorRequest(open(id), {
      method: "PATCH",
      path: `/profile/4711/loop/${loop.value.id}`,
      json: { status: "ACTIVE_LISTING" },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: "vendor_http", status: 422, vendor: "dotloop", retryable: false });
      expect(r.error.message).toMatch(/not allowed/);
    }
  });

  it("a 429 with Retry-After is retryable with retryAfterSeconds, and pauses the gate so later calls stay local", async () => {
    const id = await connected();
    const { clockOffsetMs } = await getSettings("dotloop"); // storms are timed on Dotloop's clock
    await setSettings("dotloop", { stormUntil: Date.now() + clockOffsetMs + 4_000 });
    const r = await client(id).getProfiles();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ status: 429, retryable: true });
      expect(r.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(r.error.retryAfterSeconds).toBeLessThanOrEqual(5);
    }
    const stats = await env.VENDOR_GATE.getByName(id).stats();
    expect(stats.pausedUntil).toBeGreaterThan(Date.now());
    expect(stats.vendor429s).toBe(1);

    const seen = (await counters("dotloop")).requests;
    const local = await client(id, { maxWaitMs: 0 }).getProfiles();
    expect(local.ok).toBe(false);
    if (!local.ok) {
      expect(local.error).toMatchObject({ code: "rate_limited_local", retryable: true });
      expect(local.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect((await counters("dotloop")).requests).toBe(seen);
  });

  it("3L concurrent calls against a limit of L: no 429 from Dotloop, those without a slot within the wait go back to the queue with a delay", async () => {
    const L = 10;
    const windowMs = 3_000;
    const id = await connected();
    await setSettings("dotloop", { rateLimit: { limit: L, windowSeconds: windowMs / 1000 } });
    await sleep(windowMs + 100); // Dotloop's window holds none of the earlier tests' calls
    const before = await counters("dotloop");
    const limits = { windows: [{ limit: L, windowMs }], contexts: {} };
    const results = await Promise.all(Array.from({ length: 3 * L }, () => client(id, { limits, maxWaitMs: 500 }).getProfiles()));
    const after = await counters("dotloop");

    const granted = results.filter((r) => r.ok);
    const local = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(after.rateLimited - before.rateLimited).toBe(0);
    // Half the window's share at once, then spaced slots, as far as 500 ms of waiting reaches.
    expect(granted.length).toBe(
      slotsWithin({ ...limits, ...(configOf(id).limits.safety ? { safety: configOf(id).limits.safety } : {}) }, 3 * L, 500),
    );
    expect(granted.length).toBeGreaterThanOrEqual(Math.floor(Math.floor(L * 0.95) / 2));
    expect(after.requests - before.requests).toBe(granted.length);
    expect(local).toHaveLength(3 * L - granted.length);
    for (const e of local) {
      expect(e).toMatchObject({ code: "rate_limited_local", retryable: true });
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });
});

const buyer = () => ({
  role: "buyer" as const,
  person: { firstName: "Ana", lastName: "Ruiz", emails: [{ value: `ana.${uid()}@example.com` }], phones: [], roles: [], tags: [] },
});

function deal(): Deal {
  return {
    id: `deal_${crypto.randomUUID()}`,
    stage: "under_contract",
    purchasePrice: 42_500_050,
    dates: { contract: "2026-05-01", estimatedClosing: "2026-06-15" },
    participants: [buyer()],
    property: { address: { number: "12", street: "Oak", suffix: "Ln", city: "Austin", state: "TX", zip: "78701" }, mlsId: "1234567" },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
    commission: { grossCents: 1_275_000, splits: [], fees: [] },
  };
}

describe("Dotloop as the TMS", () => {
  it("search before create: a retry after a crash between Dotloop's yes and the hub's record finds the first loop", async () => {
    const id = await connected();
    const d = deal();
    const first = await new DotloopTms(open(id)).createTransaction({ reference: d.id ?? "", deal: d });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    // The worker died before recording `first`; the retry (a fresh instance) searches first.
    const retry = new DotloopTms(open(id));
    const found = await retry.findTransaction(d.id ?? "");
    expect(found.ok && found.value?.externalId).toBe(first.value.externalId);

    const tag = await referenceTag(d.id ?? "");
    const loops = await kind<{ name: string }>("dotloop", "loop");
    expect(loops.filter((l) => l.name.includes(tag))).toHaveLength(1);
    expect(await retry.findTransaction(`deal_${crypto.randomUUID()}`)).toEqual({ ok: true, value: null });
  });

  it("creates the loop with Dotloop roles, status and details, and reads it back as the same canonical deal", async () => {
    const id = await connected();
    const d = deal();
    const tms = new DotloopTms(open(id));
    const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const loop = await client(id).getLoop("4711", created.value.externalId);
    expect(loop.ok && loop.value).toMatchObject({ transactionType: "PURCHASE_OFFER", status: "UNDER_CONTRACT" });
    const people = await client(id).listParticipants("4711", created.value.externalId);
    expect(people.ok && people.value.map((p) => p.role).sort()).toEqual(["BUYER", "BUYING_AGENT"]);

    const tx = await tms.getTransaction(created.value.externalId);
    expect(tx.ok).toBe(true);
    if (!tx.ok || !tx.value) return;
    expect(tx.value.stage).toBe("under_contract");
    expect(tx.value.deal.purchasePrice).toBe(d.purchasePrice);
    expect(tx.value.deal.commission?.grossCents).toBe(d.commission?.grossCents);
    expect(tx.value.deal.dates.estimatedClosing).toBe("2026-06-15");
    const email = d.participants[0]?.person?.emails[0]?.value;
    expect(tx.value.deal.participants.find((p) => p.role === "buyer")?.person?.emails[0]?.value).toBe(email);
    expect(await tms.getTransaction("999999")).toEqual({ ok: true, value: null });
  });

  it("asks Dotloop for the grant's profile once, not once per adapter (one is made per queue message)", async () => {
    // GET /profile on every message would spend a third of Dotloop's 100 calls a minute, and
    // the loop work would wait behind the rate limit.
    const id = await connected();
    const d = deal();
    const created = await new DotloopTms(open(id)).createTransaction({ reference: d.id ?? "", deal: d });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const before = (await counters("dotloop")).requests;
    for (let i = 0; i < 3; i++) expect((await new DotloopTms(open(id)).getTransaction(created.value.externalId)).ok).toBe(true);
    // Loop, details and participants each time; no profile lookup.
    expect((await counters("dotloop")).requests - before).toBe(9);
  });

  it("updates the participant who is the person, found by email", async () => {
    const id = await connected();
    const d = deal();
    const tms = new DotloopTms(open(id));
    const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
    if (!created.ok) throw new Error(created.error.message);
    const person = d.participants[0]?.person;
    if (!person) throw new Error("no buyer");
    const moved = { ...person, lastName: "Ruiz-Ortega", phones: [{ value: "+15125550142" }] };
    const r = await tms.updateParticipant(created.value.externalId, { emails: person.emails.map((e) => e.value) }, moved);
    expect(r).toEqual({ ok: true, value: true });
    const people = await client(id).listParticipants("4711", created.value.externalId);
    expect(people.ok && people.value.find((p) => p.role === "BUYER")).toMatchObject({ fullName: "Ana Ruiz-Ortega", phone: "+15125550142" });
    expect(await tms.updateParticipant(created.value.externalId, { emails: ["nobody@example.com"] }, moved)).toEqual({
      ok: true,
      value: false,
    });
  });
});

describe("Dotloop polling (the backup to its webhooks)", () => {
  it("the poller reports a loop changed since its cursor, and a later change of it from the cursor it returned", async () => {
    const conn = open(await connected());
    const tms = new DotloopTms(conn);
    const [poller] = dotloopPollers(tms);
    if (!poller) throw new Error("no Dotloop poller");
    await expectPollerFollows(poller, "loop", tms, deal(), async (id) =>
      expect((await vendorRequest(conn, { method: "PATCH", path: `/profile/4711/loop/${id}`, json: { status: "SOLD" } })).ok).toBe(true),
    );
  });

  it("a first poll (no cursor) reports a loop changed just now, and a poll with nothing new keeps its cursor", async () => {
    const id = await connected();
    const tms = new DotloopTms(open(id));
    const [poller] = dotloopPollers(tms);
    if (!poller) throw new Error("no Dotloop poller");
    const d = deal();
    const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
    if (!created.ok) throw new Error(created.error.message);
    const first = await poller.poll(null, Date.now());
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.changes.map((c) => c.id)).toContain(created.value.externalId);

    const future = new Date(Date.now() + (await getSettings("dotloop")).clockOffsetMs + 3_600_000).toISOString();
    expect(await poller.poll(future, Date.now())).toEqual({ ok: true, value: { changes: [], cursor: future } });
  });

  for (const updatedMin of ["inclusive", "exclusive"] as const) {
    it(`a poll from a loop's own stamp reads that loop again, so a change later in the same second is not missed (updated_min ${updatedMin})`, async () => {
      await setSettings("dotloop", { dotloopUpdatedMin: updatedMin });
      const conn = open(await connected());
      const [poller] = dotloopPollers(new DotloopTms(conn));
      if (!poller) throw new Error("no Dotloop poller");
      const made = await vendorRequest<{ data: { id: number; updated: string } }>(conn, {
        method: "POST",
        path: "/profile/4711/loop",
        json: { name: `Same Second ${uid()}` },
      });
      if (!made.ok) throw new Error(made.error.message);
      const r = await poller.poll(made.value.data.data.updated, Date.now());
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.changes.map((c) => c.id)).toContain(String(made.value.data.data.id));
    });
  }

  it("a poll over more than one batch reads every loop though an agent's edit moves one to the end while it pages", async () => {
    await setSettings("dotloop", { rateLimit: { limit: 1000, windowSeconds: 60 } });
    const id = await connected();
    const [poller] = dotloopPollers(new DotloopTms(open(id)));
    if (!poller) throw new Error("no Dotloop poller");
    const since = new Date(Date.now() + (await getSettings("dotloop")).clockOffsetMs - 1_000).toISOString();
    // The agent's own loops, made in Dotloop directly (not through the hub's budget for this connection).
    const token = (await storedCredential(id))?.accessToken;
    const make = async (name: string) => {
      const res = await fetch(`${env.DOTLOOP_API_BASE_URL}/profile/4711/loop`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name }),
      });
      return String(((await res.json()) as { data?: { id?: number } }).data?.id);
    };
    const ids: string[] = [];
    // Four seconds' worth of changes, 60 loops: more than one batch of 50.
    for (let second = 0; second < 4; second++) {
      ids.push(...(await Promise.all(Array.from({ length: 15 }, (_, i) => make(`${second * 15 + i} Paging Way ${uid()}`)))));
      await sleep(1_100); // the agent's edit, too, comes a second later
    }
    for (const updatedMin of ["inclusive", "exclusive"] as const) {
      await setSettings("dotloop", { dotloopUpdatedMin: updatedMin, dotloopEditWhilePaging: true });
      const r = await poller.poll(since, Date.now());
      await setSettings("dotloop", { dotloopEditWhilePaging: false });
      if (!r.ok) throw new Error(r.error.message);
      const read = new Set(r.value.changes.map((c) => c.id));
      expect(ids.filter((id) => !read.has(id))).toEqual([]);
    }
  });
});
