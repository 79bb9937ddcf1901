import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { watchReplication } from "../../src/cron";
import { scheduleMls } from "../../src/cron/mls";
import { mlsMessage } from "../../src/consumers/mls";
import { setSettings } from "../helpers/sandbox";
import { drain, freshReplica, mlsSetup, MLS_ID } from "./helpers";

const KEYS_ALERT = `mls_lag:${MLS_ID}:Property#keys`;
const alert = () => env.DB.prepare("SELECT state, detail FROM alerts WHERE key = ?1").bind(KEYS_ALERT).first();

describe("a keys-only pass whose page keeps failing", () => {
  const s = mlsSetup();
  afterEach(() => setSettings("reso", { errorRate: 0 }));

  it("raises its own replication alert once stalled, none before the first pass, and resolves once it completes", async () => {
    const { config, t0 } = await freshReplica(s, 20);
    // The first sync is complete and no keys pass has started: nothing to watch yet.
    await watchReplication(s.appEnv, config, t0 + 60_000);
    expect(await alert()).toBeNull();

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

    expect((await mlsMessage(keysPage, s.appEnv)).ok).toBe(true);
    await drain(s);
    await watchReplication(s.appEnv, config, Date.now());
    expect(await alert()).toMatchObject({ state: "resolved" });
  });
});
