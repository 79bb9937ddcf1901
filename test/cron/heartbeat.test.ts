import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/cron";

const nightly = (scheduledTime: number) => runScheduled({ cron: "0 7 * * *", scheduledTime, noRetry() {} }, env);
const state = (key: string) => env.DB.prepare("SELECT state FROM alerts WHERE key = ?1").bind(key).first<{ state: string }>();

describe("scheduled-run heartbeats", () => {
  it("a nightly run a day after the last one is on time, and one skipped night is reported", async () => {
    const t0 = Date.parse("2026-11-03T07:00:00Z");
    await nightly(t0);
    await nightly(t0 + 86_400_000);
    expect((await state("heartbeat_missed:nightly"))?.state ?? "none").not.toBe("firing");
    await nightly(t0 + 4 * 86_400_000);
    expect((await state("heartbeat_missed:nightly"))?.state).toBe("firing");
  });
});
