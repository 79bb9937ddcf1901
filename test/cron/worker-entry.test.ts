import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { lastBeat } from "../../src/store/heartbeats";
import { loadJobState } from "../../src/store/job-state";
import wrangler from "../../wrangler.toml?raw";
import { overriding } from "../helpers/env";
import { withJobsHeld } from "../helpers/queues";

/** The cron expressions `wrangler deploy` registers for the hub. */
const crons = [...(/^crons\s*=\s*\[(.*)\]/m.exec(wrangler)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");

async function scheduled(cron: string, scheduledTime: number, runEnv: Env): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), runEnv, ctx);
  await waitOnExecutionContext(ctx);
}

const BEATS = ["every-5-minutes", "nightly"] as const;

describe("the Worker's scheduled entry", () => {
  it("runs each cron trigger wrangler.toml registers as a schedule of its own: one the five-minute run, one the nightly", async () => {
    const held = withJobsHeld(env);
    const t0 = Date.parse("2026-11-20T07:00:00Z");
    const ranBy = new Map<string, string[]>();
    for (const [i, cron] of crons.entries()) {
      const at = t0 + i * 300_000;
      await scheduled(cron, at, held);
      for (const beat of BEATS) if ((await lastBeat(env.DB, beat)) === at) ranBy.set(beat, [...(ranBy.get(beat) ?? []), cron]);
    }
    expect(crons).toHaveLength(2);
    expect(ranBy.get("every-5-minutes")).toHaveLength(1);
    expect(ranBy.get("nightly")).toHaveLength(1);
    expect(ranBy.get("nightly")).not.toEqual(ranBy.get("every-5-minutes"));
  });

  it("ends a run in which a step failed with an error, which the Cron Events log shows, after the other steps ran", async () => {
    const refusing = {
      send: async () => Promise.reject(new Error("Queue send failed")),
      sendBatch: async () => Promise.reject(new Error("Queue send failed")),
    };
    const down = overriding(withJobsHeld(env), { CRM: refusing, TMS: refusing, ACCOUNTING: refusing, MLS: refusing });
    const at = Date.parse("2026-11-21T07:05:00Z");
    await expect(scheduled("*/5 * * * *", at, down)).rejects.toThrow(/scheduled run: .*enqueuePolls.* failed/);
    expect(await lastBeat(env.DB, "every-5-minutes")).toBe(at);
    const alert = await env.DB.prepare("SELECT state FROM alerts WHERE key = 'cron_steps_failed'").first<{ state: string }>();
    expect(alert?.state).toBe("firing");
  });

  it("keeps beating and alerting under a configuration that does not load, and says the configuration is the step that failed", async () => {
    const broken = overriding(withJobsHeld(env), { BROKERAGE_CONFIG: '{"connections": "not a list"}' });
    const at = Date.parse("2026-11-21T08:05:00Z");
    await expect(scheduled("*/5 * * * *", at, broken)).rejects.toThrow("scheduled run: brokerageConfig failed");
    expect(await lastBeat(env.DB, "every-5-minutes")).toBe(at);
    const alert = await env.DB.prepare("SELECT state, detail FROM alerts WHERE key = 'cron_steps_failed'").first<{
      state: string;
      detail: string;
    }>();
    expect(alert).toMatchObject({ state: "firing" });
    expect(alert?.detail).toContain("brokerageConfig");
  });

  it("ends a nightly run whose purges failed in an error and its own alert, after the dedupe run started", async () => {
    // The purges' statements (retention, then auth state) are the run's only deletes: D1 refuses the batches that hold them.
    const deletion = { bind: () => deletion };
    const purgeRefused = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") return (sql: string) => (sql.trimStart().startsWith("DELETE") ? deletion : target.prepare(sql));
        if (prop === "batch")
          return async (stmts: unknown[]) =>
            stmts.includes(deletion)
              ? Promise.reject(new Error("D1_ERROR: Network connection lost."))
              : target.batch(stmts as D1PreparedStatement[]);
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const at = Date.parse("2026-11-22T07:00:00Z");
    await expect(scheduled("0 7 * * *", at, overriding(withJobsHeld(env), { DB: purgeRefused }))).rejects.toThrow(
      "scheduled run: purgeExpired, purgeAuthState failed",
    );
    expect(JSON.parse((await loadJobState(env.DB, "dedupe")) ?? "{}")).toMatchObject({ startedAt: at, done: false });
    const alert = () => env.DB.prepare("SELECT state FROM alerts WHERE key = 'cron_steps_failed:nightly'").first<{ state: string }>();
    expect((await alert())?.state).toBe("firing");

    // The next night's run, whole, resolves it.
    await scheduled("0 7 * * *", at + 86_400_000, withJobsHeld(env));
    expect((await alert())?.state).toBe("resolved");
  });
});
