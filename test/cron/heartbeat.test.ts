import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/cron";

const nightly = (scheduledTime: number) => runScheduled({ cron: "0 7 * * *", scheduledTime, noRetry() {} }, env);
const everyFiveMinutes = (scheduledTime: number) =>
  runScheduled({ cron: "*/5 * * * *", scheduledTime, noRetry() {} }, env).catch(() => undefined); // its other steps may fail here
const state = (key: string) => env.DB.prepare("SELECT state FROM alerts WHERE key = ?1").bind(key).first<{ state: string }>();

describe("scheduled-run heartbeats", () => {
  it("a nightly run a day after the last one is on time, and one skipped night is reported", async () => {
    const t0 = Date.parse("2026-11-03T07:00:00Z");
    await nightly(t0);
    await nightly(t0 + 86_400_000);
    expect((await state("heartbeat_missed:nightly"))?.state ?? "none").not.toBe("firing");
    await nightly(t0 + 3 * 86_400_000);
    expect((await state("heartbeat_missed:nightly"))?.state).toBe("firing");
    await nightly(t0 + 4 * 86_400_000);
    expect((await state("heartbeat_missed:nightly"))?.state).toBe("resolved");
  });

  it("a nightly schedule that stopped firing is reported by the five-minute run", async () => {
    const t0 = Date.parse("2026-11-13T07:00:00Z");
    await nightly(t0 - 86_400_000); // on time from here on, whatever ran before
    await nightly(t0);
    await everyFiveMinutes(t0 + 20 * 3_600_000);
    expect((await state("heartbeat_missed:nightly"))?.state ?? "none").not.toBe("firing");
    await everyFiveMinutes(t0 + 40 * 3_600_000);
    expect((await state("heartbeat_missed:nightly"))?.state).toBe("firing");
  });
});
