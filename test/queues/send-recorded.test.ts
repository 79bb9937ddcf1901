import { env as hubEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendRecorded } from "../../src/queues/send";
import { outboxJobStatements } from "../../src/store/outbox";

/** The hub's D1 with queue producers that record what reaches them and deliver nothing. */
function spyEnv() {
  const sent: Record<string, unknown[]> = {};
  const calls: string[] = [];
  const producer = (queue: string) => ({
    send: async (body: unknown) => {
      calls.push(`${queue}.send`);
      (sent[queue] ??= []).push(body);
    },
    sendBatch: async (batch: Iterable<{ body: unknown }>) => {
      calls.push(`${queue}.sendBatch`);
      for (const m of batch) (sent[queue] ??= []).push(m.body);
    },
  });
  const env = { ...hubEnv, CRM: producer("crm"), MLS: producer("mls") } as unknown as Env;
  return { env, sent, calls };
}

describe("jobs recorded in the outbox", () => {
  it("reach each queue in their recorded order, fifty to a batch, and leave the outbox once sent", async () => {
    const run = crypto.randomUUID();
    const jobs = Array.from({ length: 120 }, (_, i) => ({
      id: `${run}:${i}`,
      queue: i % 12 < 7 ? "crm" : "mls",
      body: { v: 1, kind: "test", seq: i },
    }));
    await hubEnv.DB.batch(outboxJobStatements(hubEnv.DB, jobs, Date.now(), "always"));
    const { env, sent, calls } = spyEnv();

    await sendRecorded(env, jobs);

    expect(sent.crm).toEqual(jobs.filter((j) => j.queue === "crm").map((j) => j.body));
    expect(sent.mls).toEqual(jobs.filter((j) => j.queue === "mls").map((j) => j.body));
    expect(calls).toEqual(["crm.sendBatch", "crm.sendBatch", "mls.sendBatch"]);
    const left = await hubEnv.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE event_id LIKE ?1").bind(`${run}:%`).first<number>("n");
    expect(left).toBe(0);
  });
});
