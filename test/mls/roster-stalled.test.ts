import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { watchReplication } from "../../src/cron";
import { scheduleMls } from "../../src/cron/mls";
import { mlsMessage } from "../../src/consumers/mls";
import { checkReso } from "../../src/doctor/reso";
import { connectionHealth } from "../../src/ops/health";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { drain, mlsControl, mlsSetup, MLS_ID } from "./helpers";

const alert = (key: string) => env.DB.prepare("SELECT state, title, detail FROM alerts WHERE key = ?1").bind(key).first();

describe("a roster run (Member) whose page keeps failing while the listings replicate", () => {
  const s = mlsSetup({ resources: ["Property", "Member"] });
  afterEach(() => setSettings("reso", { errorRate: 0 }));

  it("raises its own replication alert, fails its own doctor row and shows stalled in the health API, and the alert resolves once the page applies", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 20 });
    const config = brokerageConfig(s.appEnv);
    const t0 = Date.now();
    expect(await scheduleMls(s.appEnv, config, t0)).toEqual(["Property:started:1", "Member:started:1"]);
    const [listings, members] = s.queued.splice(0);
    expect((await mlsMessage(listings, s.appEnv)).ok).toBe(true);
    await drain(s);
    await setSettings("reso", { errorRate: 1, errorStatuses: [503] });
    expect((await mlsMessage(members, s.appEnv)).ok).toBe(false);
    await setSettings("reso", { errorRate: 0 });

    await watchReplication(s.appEnv, config, t0 + 4 * 60_000);
    expect(await alert(`mls_lag:${MLS_ID}:Member`)).toMatchObject({
      state: "firing",
      detail: expect.stringMatching(/^the initial run applied no page for 4 min after 0 records \(last error: .*503/),
    });
    expect(await alert(`mls_lag:${MLS_ID}`)).toBeNull();
    const conn = config.connections.find((c) => c.id === MLS_ID);
    if (!conn) throw new Error("no MLS connection");
    const rows = (await checkReso(s.appEnv, conn, t0 + 4 * 60_000)).rows.filter((r) => r.id.startsWith("reso.replication"));
    expect(rows.map((r) => [r.id, r.name, r.status])).toEqual([
      ["reso.replication", "Replication current", "pass"],
      ["reso.replication.member", "Member replication current", "fail"],
    ]);
    const health = (await connectionHealth(s.appEnv, t0 + 4 * 60_000)).find((c) => c.connection === MLS_ID);
    expect(health?.replication?.runs.map((r) => [r.run, r.state, r.status])).toEqual([
      ["Property", "current", "idle"],
      ["Member", "stalled", "running"],
    ]);
    expect(health?.replication?.runs[1]?.detail).toMatch(/503/);

    expect((await mlsMessage(members, s.appEnv)).ok).toBe(true);
    await watchReplication(s.appEnv, config, Date.now());
    expect(await alert(`mls_lag:${MLS_ID}:Member`)).toMatchObject({ state: "resolved" });
  });
});
