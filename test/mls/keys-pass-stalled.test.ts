import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { watchReplication } from "../../src/cron";
import { scheduleMls } from "../../src/cron/mls";
import { mlsMessage } from "../../src/consumers/mls";
import { checkReso } from "../../src/doctor/reso";
import { connectionHealth } from "../../src/ops/health";
import { setSettings } from "../helpers/sandbox";
import { drain, freshReplica, mlsSetup, MLS_ID } from "./helpers";

const KEYS_ALERT = `mls_lag:${MLS_ID}:Property#keys`;
const alert = () => env.DB.prepare("SELECT state, detail FROM alerts WHERE key = ?1").bind(KEYS_ALERT).first();

describe("a keys-only pass whose page keeps failing", () => {
  const s = mlsSetup();
  /** The keys pass's doctor row and its run in the health API at `now` (null: not shown). */
  async function keysSeen(now: number): Promise<{ doctor: string | null; health: string | null }> {
    const conn = brokerageConfig(s.appEnv).connections.find((c) => c.id === MLS_ID);
    if (!conn) throw new Error("no MLS connection");
    const row = (await checkReso(s.appEnv, conn, now)).rows.find((r) => r.id === "reso.replication.keys");
    const health = (await connectionHealth(s.appEnv, now)).find((c) => c.connection === MLS_ID);
    const run = health?.replication?.runs.find((r) => r.run === "Property#keys");
    return { doctor: row?.status ?? null, health: run?.state ?? null };
  }
  afterEach(() => setSettings("reso", { errorRate: 0 }));

  it("raises its own replication alert once stalled, none before the first pass, and resolves once it completes", async () => {
    const { config, t0 } = await freshReplica(s, 20);
    // The first sync is complete and no keys pass has started: nothing to watch yet.
    await watchReplication(s.appEnv, config, t0 + 60_000);
    expect(await alert()).toBeNull();
    expect(await keysSeen(t0 + 60_000)).toEqual({ doctor: null, health: null });

    const at = t0 + 6 * 60_000;
    expect(await scheduleMls(s.appEnv, config, at)).toContain("Property#keys:started:1");
    const keysPage = s.queued.find((m) => (m as { run?: string }).run === "Property#keys");
    s.queued.splice(0);
    await setSettings("reso", { errorRate: 1, errorStatuses: [503] });
    expect((await mlsMessage(keysPage, s.appEnv)).ok).toBe(false);
    await setSettings("reso", { errorRate: 0 });

    await watchReplication(s.appEnv, config, at + 4 * 60_000);
    expect(await alert()).toMatchObject({
      state: "firing",
      detail: expect.stringMatching(/^the keys run applied no page for \d+ min after 0 records/),
    });
    expect(await keysSeen(at + 4 * 60_000)).toEqual({ doctor: "fail", health: "stalled" });

    expect((await mlsMessage(keysPage, s.appEnv)).ok).toBe(true);
    await drain(s);
    await watchReplication(s.appEnv, config, Date.now());
    expect(await alert()).toMatchObject({ state: "resolved" });
    expect(await keysSeen(Date.now())).toEqual({ doctor: "pass", health: "current" });
  });
});
