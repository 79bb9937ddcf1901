import { describe, expect, it } from "vitest";
import { cliAgainst } from "./cli-harness";
import { goLive } from "../doctor/stack";
import { setSettings } from "../helpers/sandbox";

/** `dealwire doctor` as an operator runs it: HTTP to the hub's admin API, with the brokerage's env. */
const dealwire = (appEnv: Env, ...argv: string[]) => cliAgainst(appEnv)(...argv);

describe("dealwire doctor against the hub and the sandbox", () => {
  it("prints a table of every check and exits 0 when the accounts are as the flows assume", async () => {
    const { env, ids } = await goLive("fub-dotloop-qbo");
    const r = await dealwire(env, "doctor");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^connection\s+check\s+result\s+fix$/m);
    expect(r.out).toMatch(new RegExp(`^${ids.followupboss}\\s+Trigger stage exists\\s+ok\\s*$`, "m"));
    expect(r.out).toMatch(new RegExp(`^${ids.dotloop}\\s+Loop-It permitted\\s+ok\\s*$`, "m"));
    expect(r.out).toMatch(/^all \d+ checks passed/m);
  });

  it("names the failed check and its fix, exits 1, and --json gives the same report", async () => {
    const { env, ids } = await goLive("fub-dotloop-qbo");
    await setSettings("followupboss", { broken: ["triggerStage"] });
    const r = await dealwire(env, "doctor");
    expect(r.code).toBe(1);
    const line = r.out.split("\n").find((l) => l.startsWith(ids.followupboss ?? "?") && l.includes("Trigger stage exists"));
    expect(line).toMatch(/FAIL no pipeline has a stage named 'Under.*Add a deal stage named exactly 'Under Contract' to the pipelines/);
    expect(r.out).toMatch(/^1 of \d+ checks failed/m);

    const json = await dealwire(env, "doctor", "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as { ok: boolean; failed: number; checks: Array<{ id: string; status: string; fix?: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["followupboss.trigger_stage"]);
  });
});
