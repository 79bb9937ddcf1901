import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mlsMessage } from "../../src/consumers/mls";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
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
