import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mlsMessage } from "../../src/consumers/mls";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { checkReso } from "../../src/doctor/reso";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { drain, mlsControl, mlsSetup, MLS_ID } from "./helpers";

describe("a page that failed and then succeeded", () => {
  const s = mlsSetup();

  it("clears the run's error once the page is applied: the dashboard shows a failing run only while it fails", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 30 });
    const started = await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    expect(started).toEqual([expect.stringMatching(/^Property:started:/)]);
    const page = s.queued.shift();
    await setSettings("reso", { errorRate: 1, errorStatuses: [503] });
    try {
      const failed = await mlsMessage(page, s.appEnv);
      expect(failed.ok).toBe(false);
    } finally {
      await setSettings("reso", { errorRate: 0 });
    }
    const during = await env.DB.prepare("SELECT error FROM listing_sync WHERE connection = ?1 AND job = 'Property'")
      .bind(MLS_ID)
      .first<{ error: string | null }>();
    expect(during?.error).toContain("503");
    expect((await mlsMessage(page, s.appEnv)).ok).toBe(true);
    await drain(s);
    const after = await env.DB.prepare("SELECT status, error FROM listing_sync WHERE connection = ?1 AND job = 'Property'")
      .bind(MLS_ID)
      .first();
    expect(after).toEqual({ status: "idle", error: null });
  });
});

describe("a first sync whose page keeps failing", () => {
  const s = mlsSetup();
  const MIN = 60_000;
  afterEach(async () => {
    vi.useRealTimers();
    await setSettings("reso", { errorRate: 0 });
  });

  it("fails the doctor's replication check once no page was applied for three minutes, however often the page is retried", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 30 });
    // A connection the hub has never replicated, so its first sync starts now.
    await env.DB.prepare("DELETE FROM listing_sync WHERE connection = ?1").bind(MLS_ID).run();
    const t0 = Date.now();
    expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), t0)).toEqual([expect.stringMatching(/^Property:started:/)]);
    const page = s.queued.shift();
    const conn = brokerageConfig(s.appEnv).connections.find((c) => c.id === MLS_ID);
    if (!conn) throw new Error("no MLS connection");
    const replication = async (now: number) => (await checkReso(s.appEnv, conn, now)).rows.find((r) => r.id === "reso.replication");

    await setSettings("reso", { errorRate: 1, errorStatuses: [503] });
    expect((await mlsMessage(page, s.appEnv)).ok).toBe(false);
    // The queue retries the page two minutes later, and it fails again.
    vi.useFakeTimers({ toFake: ["Date"], now: t0 + 2 * MIN });
    expect((await mlsMessage(page, s.appEnv)).ok).toBe(false);
    vi.useRealTimers();

    const failing = await replication(t0 + 4 * MIN);
    expect(failing?.status).toBe("fail");
    expect(failing?.detail).toMatch(/^the initial run applied no page for 4 min after 0 records \(last error: vendor_http: .*503.*\)$/);

    await setSettings("reso", { errorRate: 0 });
    vi.useFakeTimers({ toFake: ["Date"], now: t0 + 5 * MIN });
    expect((await mlsMessage(page, s.appEnv)).ok).toBe(true);
    vi.useRealTimers();
    expect((await replication(t0 + 5 * MIN))?.status).toBe("pass");
  });
});
