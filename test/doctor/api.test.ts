import { describe, expect, it } from "vitest";
import { setSettings } from "../helpers/sandbox";
import { counters } from "../vendors/support";
import { hub, ORIGIN } from "../ops/helpers";
import { goLive } from "./stack";

describe("GET /ops/api/doctor", () => {
  it("answers the report with the one failed check and its fix", async () => {
    const { env, ids } = await goLive("fub-dotloop-qbo");
    await setSettings("quickbooks", { broken: ["item"] });
    const res = await hub.request(`${ORIGIN}/ops/api/doctor`, { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } }, env);
    expect(res.status).toBe(200);
    const r = await res.json<{
      ok: boolean;
      failed: number;
      hubUrl: string;
      checks: Array<{ connection: string; id: string; status: string; detail: string; fix?: string }>;
    }>();
    expect(r.ok).toBe(false);
    const bad = r.checks.filter((c) => c.status === "fail");
    expect(bad).toEqual([
      expect.objectContaining({
        connection: ids.quickbooks,
        id: "quickbooks.item",
        detail: "no item with Id 1",
        fix: expect.stringMatching(/accountingDocument\.itemRef/),
      }),
    ]);
  });

  it("is refused without the ops token, and asks no vendor", async () => {
    const { env } = await goLive("liondesk-skyslope");
    const before = await Promise.all([counters("liondesk"), counters("skyslope")]);
    const res = await hub.request(`${ORIGIN}/ops/api/doctor`, {}, env);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const after = await Promise.all([counters("liondesk"), counters("skyslope")]);
    expect(after.map((c) => c.requests)).toEqual(before.map((c) => c.requests));
  });
});
