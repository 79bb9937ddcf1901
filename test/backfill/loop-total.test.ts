import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startBackfill } from "../../src/backfill/run";
import { listReads } from "../../src/store/backfill-reads";
import { setSettings } from "../helpers/sandbox";
import { drive, heldQueues, seededBrokerage } from "./helpers";

describe("a Dotloop loop list that answers meta.total 0 beside its rows", () => {
  it("reads every loop, paging on until a short batch", async () => {
    await seededBrokerage({ seed: 21, people: 30, deals: 0, transactions: 25, customers: 0 });
    await setSettings("dotloop", { dotloopLoopTotal: "zero" });
    const held = heldQueues();
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    const { run, failure } = await drive(held.env, held.sent, started.value.id);
    expect(failure).toBeNull();
    expect(run.status).toBe("done");
    const reads = await listReads(env.DB, started.value.id);
    expect(reads.find((r) => r.phase === "tms.transactions")).toMatchObject({ status: "done", records: 25 });
  }, 120_000);
});
