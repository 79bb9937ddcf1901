import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startBackfill } from "../../src/backfill/run";
import { overriding } from "../helpers/env";

const running = () =>
  env.DB.prepare(`SELECT COUNT(*) AS n FROM backfill_runs WHERE status = 'running'`)
    .first<{ n: number }>()
    .then((r) => r?.n ?? 0);

describe("a backfill start the hub refuses", () => {
  it("under a broken configuration leaves no run behind, so the start after the fix is not refused as a conflict", async () => {
    const before = await running();
    const broken = overriding(env, { BROKERAGE_CONFIG: "{not json" });
    await expect(startBackfill(broken, Date.now(), { enqueue: false })).rejects.toMatchObject({ code: "config_invalid" });
    expect(await running()).toBe(before);
    const fixed = await startBackfill(env, Date.now(), { enqueue: false });
    expect(fixed).toMatchObject({ ok: true, value: { status: "running" } });
  });
});
