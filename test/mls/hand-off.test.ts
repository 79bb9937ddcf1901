import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { mlsMessage } from "../../src/consumers/mls";
import { runBatch } from "../../src/queues/run-batch";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { resetSandbox } from "../helpers/sandbox";
import { drain, mlsControl, mlsRequests, mlsSetup, MLS_ID } from "./helpers";
import { overriding } from "../helpers/env";

const LISTINGS = 70;
const PAGE = 25;

/** One queue delivery of `body`, settled by the hub's own batch runner; says what it did. */
async function deliver(appEnv: Env, body: unknown, attempts: number): Promise<"ack" | "retry"> {
  let settled: "ack" | "retry" | null = null;
  const message = {
    id: `msg-${attempts}`,
    timestamp: new Date(),
    body,
    attempts,
    ack: () => void (settled ??= "ack"),
    retry: () => void (settled ??= "retry"),
  };
  const batch = {
    queue: "dealwire-mls",
    messages: [message],
    ackAll: () => undefined,
    retryAll: () => undefined,
  } as unknown as MessageBatch<unknown>;
  await runBatch(batch, appEnv, "mls", (b, meta) => mlsMessage(b, appEnv, meta));
  if (settled === null) throw new Error("the message was neither acked nor retried");
  return settled;
}

describe("every replication page ends by queueing the next one, retrying, or dead-lettering", () => {
  const s = mlsSetup();

  beforeAll(async () => {
    await resetSandbox();
    await mlsControl("seed", { count: LISTINGS });
  });

  it("a page applied while the queue refused its next page is retried, and the retry queues the next page instead of dropping it as stale", async () => {
    expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now())).toEqual(["Property:started:1"]);
    expect(await drain(s, 1)).toEqual([`page:Property:1:${PAGE}`]);
    const second = s.queued.shift();

    // Page 2 is fetched and stored, then the queue refuses page 3's message.
    s.refuse.sends = 1;
    expect(await deliver(s.appEnv, second, 1)).toBe("retry");
    expect(s.queued).toEqual([]);
    const mid = await env.DB.prepare("SELECT status, seq, records FROM listing_sync WHERE connection = ?1 AND job = 'Property'")
      .bind(MLS_ID)
      .first();
    expect(mid).toMatchObject({ status: "running", seq: 3, records: 2 * PAGE });

    // Its retry hands page 3 off (without fetching page 2 again), and the run completes.
    expect(await deliver(s.appEnv, second, 2)).toBe("ack");
    expect(s.queued).toEqual([expect.objectContaining({ job: "page", run: "Property", seq: 3 })]);
    // A first delivery of a copy of page 2 (a duplicate, a resume) queues nothing more.
    expect(await deliver(s.appEnv, second, 1)).toBe("ack");
    expect(s.queued).toHaveLength(1);
    expect(await drain(s)).toEqual([`page:Property:3:${LISTINGS - 2 * PAGE}`]);

    const sync = await env.DB.prepare("SELECT status, phase, records FROM listing_sync WHERE connection = ?1 AND job = 'Property'")
      .bind(MLS_ID)
      .first();
    expect(sync).toMatchObject({ status: "idle", phase: "incremental", records: LISTINGS });
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM listings WHERE connection = ?1").bind(MLS_ID).first<{ n: number }>();
    expect(n?.n).toBe(LISTINGS);
    const pages = (await mlsRequests()).filter((r) => r.url.startsWith("/reso/odata/Property"));
    expect(pages).toHaveLength(Math.ceil(LISTINGS / PAGE));
    expect(new Set(pages.map((r) => r.url)).size).toBe(pages.length);
  });

  it("a queue that keeps refusing the next page ends in a dead letter, not in silence", async () => {
    // More changes than a page holds: the incremental run's first page has a next page.
    await mlsControl("change", { action: "price", count: PAGE + 5 });
    const at = Date.now() + 6 * 60_000;
    expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), at)).toContain("Property:started:5");
    const first = s.queued.find((m) => (m as { run?: string }).run === "Property");
    s.queued.length = 0;
    s.refuse.sends = 1_000;
    const outcomes: string[] = [];
    const letters: unknown[] = [];
    const appEnv = overriding(s.appEnv, { DEAD_LETTER: { send: async (b: unknown) => void letters.push(b) } });
    for (let attempt = 1; attempt <= 11; attempt++) outcomes.push(await deliver(appEnv, first, attempt));
    expect(outcomes.slice(0, 10).every((o) => o === "retry")).toBe(true);
    expect(outcomes[10]).toBe("ack");
    expect(letters).toEqual([expect.objectContaining({ queue: "mls", reason: "exhausted", payload: first })]);
    s.refuse.sends = 0;
  });
});
