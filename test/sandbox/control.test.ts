import { beforeEach, describe, expect, it } from "vitest";
import { Counters } from "../../sandbox/src/core/counters";
import type { OutboxEntry } from "../../sandbox/src/core/outbox";
import { deliverDue } from "../../sandbox/src/state/deliver";
import { DEFAULT_SETTINGS } from "../../sandbox/src/state/settings";
import { counters, drain, fub, reset, sb, sendJson } from "./helpers";

beforeEach(() => reset());

describe("control API", () => {
  it("lists every record of a vendor grouped by kind, and reset clears them", async () => {
    await fub("/v1/people", { method: "POST", body: { firstName: "Ana" } });
    const records = await (await sb("/_sandbox/followupboss/records")).json<Record<string, unknown[]>>();
    expect(records["person"]).toHaveLength(1);
    expect(records["pipeline"]?.length).toBeGreaterThanOrEqual(1);
    await reset();
    const after = await (await sb("/_sandbox/followupboss/records")).json<Record<string, unknown[]>>();
    expect(after["person"]).toBeUndefined();
    expect((await sb("/_sandbox/nope/records")).status).toBe(404);
  });

  it("lists the outbox without consuming it; drain hands each delivery out once", async () => {
    await sendJson("/_sandbox/leads", { source: "idx", count: 2, seed: 1 });
    await fub("/v1/people", { method: "POST", body: { firstName: "Ana" } });
    const listed = await (await sb("/_sandbox/outbox")).json<OutboxEntry[]>();
    expect(listed.map((d) => d.source).sort()).toEqual(["followupboss", "idx", "idx"]);
    expect(await (await sb("/_sandbox/outbox?source=idx")).json<OutboxEntry[]>()).toHaveLength(2);
    expect(await drain("idx")).toHaveLength(2);
    expect((await drain()).map((d) => d.source)).toEqual(["followupboss"]);
    expect(await drain()).toHaveLength(0);
  });

  it("counts requests per rate-limit context with their times", async () => {
    const before = Date.now();
    await fub("/v1/people");
    await fub("/v1/events", { method: "POST", body: { person: { firstName: "A", emails: [{ value: "a@x.test" }] } } });
    await fub("/v1/people", { headers: {} });
    const c = await counters("followupboss");
    expect(c.requests).toBe(3);
    expect(c.status2xx).toBe(2);
    expect(c.status4xx).toBe(1);
    expect(c.requestTimes["global"]).toHaveLength(2);
    expect(c.requestTimes["POST.events"]).toHaveLength(1);
    expect(c.requestTimes["global"]?.[0]).toBeGreaterThanOrEqual(before);
  });
});

describe("HTTP delivery (HUB_URL is a URL)", () => {
  function fakeOutbox(entries: OutboxEntry[]) {
    const rows = entries.map((e) => ({ ...e, ladder: [60_000, 300_000], ref: "7", status: "pending" as string, nextAt: 0, lastStatus: 0 }));
    return {
      rows,
      due: async (now: number) => rows.filter((r) => r.status === "pending" && r.nextAt <= now),
      record(id: string, status: number, outcome: "delivered" | "failed" | { retryAt: number }) {
        const r = rows.find((x) => x.id === id);
        if (!r) return;
        r.attempts++;
        r.lastStatus = status;
        if (typeof outcome === "object") r.nextAt = outcome.retryAt;
        else r.status = outcome;
      },
    };
  }
  const entry = (id: string, source = "followupboss"): OutboxEntry => ({
    id,
    source,
    path: `/hooks/${source}`,
    url: null,
    headers: {},
    body: "{}",
    attempts: 0,
    orderKey: 0,
  });

  it("retries along the vendor ladder scaled by timeScale, then gives up", async () => {
    const outbox = fakeOutbox([entry("a")]);
    const c = new Counters();
    let clock = 1_000;
    const posted: string[] = [];
    const deps = {
      outbox,
      hubUrl: "http://hub.test",
      settings: { ...DEFAULT_SETTINGS, timeScale: 0.01 },
      counters: c,
      onGone: () => undefined,
      now: () => clock,
      post: async (url: string) => {
        posted.push(url);
        return 503;
      },
    };
    await deliverDue(deps);
    expect(posted).toEqual(["http://hub.test/hooks/followupboss"]);
    expect(outbox.rows[0]?.nextAt).toBe(1_000 + 600); // 60 s * 0.01
    await deliverDue(deps); // not due yet
    expect(posted).toHaveLength(1);
    clock = 1_600;
    await deliverDue(deps);
    expect(outbox.rows[0]?.nextAt).toBe(1_600 + 3_000);
    clock = 4_600;
    await deliverDue(deps);
    expect(outbox.rows[0]?.status).toBe("failed");
    expect(c.values).toMatchObject({ webhookAttempts: 3, webhookFailures: 1, webhooksSent: 0 });
  });

  it("marks 2xx delivered and lets the vendor disable an endpoint that answers 410", async () => {
    const outbox = fakeOutbox([entry("ok"), entry("gone")]);
    const gone: string[] = [];
    const c = new Counters();
    await deliverDue({
      outbox,
      hubUrl: "http://hub.test/",
      settings: DEFAULT_SETTINGS,
      counters: c,
      onGone: (ref) => gone.push(ref),
      post: async (_u, _h, _b) => (gone.length === 0 && outbox.rows[0]?.attempts === 0 ? 202 : 410),
    });
    expect(outbox.rows.map((r) => r.status)).toEqual(["delivered", "failed"]);
    expect(gone).toEqual(["7"]);
    expect(c.values.webhooksSent).toBe(1);
  });
});
