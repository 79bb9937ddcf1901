import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../src/cron";
import { paceDelays } from "../../src/ops/dead-letters";
import { claimForReplay } from "../../src/store/dead-letters";
import { eventually } from "../helpers/deliveries";
import { withQueuesDown } from "../helpers/queues";
import { runCli } from "../../scripts/cli/run";
import { api, hub, phone, postJson, tag } from "./helpers";
import { crmLead, deadLetter, letterStatus, personByEmail, rawDeadLetter, storeLetters } from "./letters";

describe("paceDelays", () => {
  for (const [count, perSecond] of [
    [10, 3],
    [7, 1],
    [100, 25],
    [1, 50],
    [0, 5],
  ] as const) {
    it(`${count} messages at ${perSecond}/s: never more than ${perSecond} in one second, no idle second`, () => {
      const delays = paceDelays(count, perSecond);
      expect(delays).toHaveLength(count);
      const perSecondCounts = new Map<number, number>();
      for (const d of delays) perSecondCounts.set(d, (perSecondCounts.get(d) ?? 0) + 1);
      expect(Math.max(0, ...perSecondCounts.values())).toBeLessThanOrEqual(perSecond);
      expect(perSecondCounts.size).toBe(Math.ceil(count / perSecond)); // seconds 0..n-1 all used
      expect([...delays].sort((a, b) => a - b)).toEqual(delays); // oldest letters go first
    });
  }
});

describe("POST /ops/api/dead-letters/replay", () => {
  it("replays every open letter matching the filter, paced, and each is applied", async () => {
    const t = tag();
    const code = `followupboss_422_${t}`; // a code only this test's letters carry
    const leads = [1, 2, 3].map((i) => ({ email: `bulk${i}${t}@example.com`, name: `Bo Bulk${i}${t}`, phone: phone() }));
    const ids = [];
    for (const l of leads) ids.push(await deadLetter(crmLead(l), { queue: "crm", code, vendor: "followupboss" }));
    const res = await postJson(`/dead-letters/replay`, { code, perSecond: 2 });
    expect(res.status).toBe(200);
    const body = await res.json<{
      matched: number;
      replayed: number;
      failed: number;
      perSecond: number;
      spreadSeconds: number;
      ids: string[];
    }>();
    expect(body).toMatchObject({ matched: 3, replayed: 3, failed: 0, perSecond: 2, spreadSeconds: 2 });
    expect([...body.ids].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await letterStatus(id)).toBe("replayed");
    for (const l of leads) await eventually(() => personByEmail(l.email), 15_000);
    // A second bulk replay finds nothing left open.
    expect(await (await postJson(`/dead-letters/replay`, { code })).json()).toMatchObject({ matched: 0, replayed: 0 });
  });

  it("refuses to replay without a filter or window, or with a bad one, and changes nothing", async () => {
    const id = await deadLetter(crmLead({ email: `nf${tag()}@example.com`, name: "No Filter", phone: phone() }), {
      queue: "crm",
      code: "followupboss_400",
      vendor: "followupboss",
    });
    for (const body of [
      {},
      { perSecond: 5 },
      { code: "x", perSecond: 0 },
      { code: "x", perSecond: 500 },
      { from: "2026-01-01", to: "2026-03-01" },
      { from: "2026-02-01", to: "2026-01-01" },
      { code: "x", limit: 5000 },
      { queue: "email" },
    ]) {
      const res = await postJson(`/dead-letters/replay`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed" });
    }
    expect(await letterStatus(id)).toBe("open");
    const open = await env.DB.prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE id = ?1 AND status = 'open'`)
      .bind(id)
      .first<{ n: number }>();
    expect(open?.n).toBe(1);
  });

  it("sends a raw letter whose event is routed to several queues back to each, marked as a replay of it", async () => {
    const t = tag();
    const from = Date.now();
    const at = new Date().toISOString();
    const person = { emails: [{ value: `multi${t}@example.com` }], phones: [], roles: [], tags: [] };
    const message = {
      v: 1,
      event: {
        id: `multi-${t}:0`,
        type: "person.upserted",
        schemaVersion: 1,
        occurredAt: at,
        receivedAt: at,
        source: { system: "followupboss", deliveryId: `dlv_${t}` },
        subject: { kind: "person" },
        data: { person },
      },
    };
    const id = await rawDeadLetter(message, `multi-${t}`);
    const sent: Array<{ queue: string; body: unknown }> = [];
    const spy = (queue: string) => ({
      send: async () => undefined,
      sendBatch: async (msgs: Array<{ body: unknown }>) => void sent.push(...msgs.map((m) => ({ queue, body: m.body }))),
    });
    // Filtering on either inferred queue finds it.
    const res = await api(`/dead-letters/replay`, {
      method: "POST",
      body: JSON.stringify({ queue: "tms", from }),
      envOverride: { CRM: spy("crm"), TMS: spy("tms") } as unknown as Partial<Env>,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ matched: 1, replayed: 1, failed: 0, ids: [id] });
    expect(sent.map((m) => m.queue).sort()).toEqual(["crm", "tms"]);
    for (const m of sent) expect(m.body).toEqual({ ...message, replayOf: id });
    expect(await letterStatus(id)).toBe("replayed");
  });
});

describe("bulk replay of more open letters than one page holds", () => {
  /** Queues that only record what they are sent, so hundreds of replays cost no vendor calls. */
  function recordingQueues() {
    const sent: Array<{ queue: string; body: { replayOf?: string }; delaySeconds?: number }> = [];
    const spy = (queue: string) => ({
      send: async () => undefined,
      sendBatch: async (msgs: Array<{ body: { replayOf?: string }; delaySeconds?: number }>) =>
        void sent.push(...msgs.map((m) => ({ queue, body: m.body, delaySeconds: m.delaySeconds }))),
    });
    return {
      sent,
      envOverride: {
        CRM: spy("crm"),
        TMS: spy("tms"),
        ACCOUNTING: spy("accounting"),
        INBOUND: spy("inbound"),
        MLS: spy("mls"),
      } as unknown as Partial<Env>,
    };
  }
  type Answer = {
    matched: number;
    replayed: number;
    failed: number;
    remaining: number;
    done: boolean;
    ids: string[];
    spreadSeconds: number;
  };
  const replay = async (body: unknown, envOverride: Partial<Env>) => {
    const res = await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify(body), envOverride });
    expect(res.status).toBe(200);
    return res.json<Answer>();
  };

  it("replays every one of 250 letters matching the filter in one call, each sent once and paced", async () => {
    const code = `bulk_${tag()}`;
    const ids = await storeLetters(250, { code });
    const q = recordingQueues();
    const answer = await replay({ code, perSecond: 50 }, q.envOverride);
    expect(answer).toMatchObject({ matched: 250, replayed: 250, failed: 0, remaining: 0, done: true, spreadSeconds: 5 });
    expect(q.sent.map((m) => m.body.replayOf).sort()).toEqual([...ids].sort());
    // The pace holds across the call's chunks: never more than 50 in one second.
    const perSecond = new Map<number, number>();
    for (const m of q.sent) perSecond.set(m.delaySeconds ?? 0, (perSecond.get(m.delaySeconds ?? 0) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBe(50);
    const open = await env.DB.prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE error_code = ?1 AND status = 'open'`)
      .bind(code)
      .first<{ n: number }>();
    expect(open?.n).toBe(0);
  });

  it("with a limit per call, says how many remain; calling again until done replays them all exactly once", async () => {
    const code = `bulk_${tag()}`;
    const ids = await storeLetters(230, { code });
    const q = recordingQueues();
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) {
      const a = await replay({ code, limit: 100 }, q.envOverride);
      answers.push(a);
      if (a.done) break;
    }
    expect(answers.map((a) => [a.replayed, a.remaining])).toEqual([
      [100, 130],
      [100, 30],
      [30, 0],
    ]);
    expect(q.sent.map((m) => m.body.replayOf).sort()).toEqual([...ids].sort());
  });

  it("the CLI's replay --all holds --per-second across its calls, not only within each", async () => {
    const code = `bulk_${tag()}`;
    const ids = await storeLetters(250, { code });
    const q = recordingQueues();
    // The operator's clock: each message is sent when the CLI has waited so long, plus its delay.
    let clock = 0;
    const sentAt: number[] = [];
    const stamp = () => {
      while (sentAt.length < q.sent.length) sentAt.push(clock);
    };
    const out: string[] = [];
    const code_ = await runCli(["dead-letters", "replay", "--all", "--code", code, "--per-second", "50"], {
      fetch: async (url, init) => hub.request(url, init, { ...env, ...q.envOverride }),
      out: (l) => out.push(l),
      err: () => undefined,
      env: { DEALWIRE_URL: "http://hub.test", DEALWIRE_OPS_TOKEN: env.OPS_TOKEN },
      sleep: async (ms) => {
        stamp();
        clock += ms / 1000;
      },
    });
    stamp();
    expect(code_).toBe(0);
    expect(out.join("\n")).toMatch(/replayed 250 of 250/);
    expect(q.sent.map((m) => m.body.replayOf).sort()).toEqual([...ids].sort());
    const perSecond = new Map<number, number>();
    q.sent.forEach((m, i) => {
      const second = Math.floor((sentAt[i] ?? 0) + (m.delaySeconds ?? 0));
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    });
    expect(Math.max(...perSecond.values())).toBe(50);
  });

  it("replays the MLS queue's letters as it does every other queue's", async () => {
    const t = tag();
    const mls = await storeLetters(3, { code: `m_${t}`, queue: "mls" });
    const q = recordingQueues();
    const answer = await replay({ queue: "mls", code: `m_${t}`, perSecond: 50 }, q.envOverride);
    expect(answer).toMatchObject({ matched: 3, replayed: 3, remaining: 0, done: true });
    expect(
      q.sent
        .filter((m) => m.queue === "mls")
        .map((m) => m.body.replayOf)
        .sort(),
    ).toEqual([...mls].sort());
  });

  it("all: true replays every open letter, whatever its queue or code", async () => {
    const t = tag();
    const crm = await storeLetters(60, { code: `a_${t}` });
    const tms = await storeLetters(60, { code: `b_${t}`, queue: "tms" });
    const q = recordingQueues();
    let answer: Answer;
    do answer = await replay({ all: true, perSecond: 50 }, q.envOverride);
    while (!answer.done && answer.replayed > 0);
    expect(answer.remaining).toBe(0);
    const replayed = new Set(q.sent.map((m) => m.body.replayOf));
    for (const id of [...crm, ...tms]) expect(replayed.has(id), id).toBe(true);
    expect(q.sent.filter((m) => tms.includes(m.body.replayOf ?? "")).every((m) => m.queue === "tms")).toBe(true);
  });
});

/** D1 losing its connection on the first statement that reopens letters, as in a D1 blip. */
function reopenDroppedOnce(db: D1Database): D1Database {
  let dropped = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) =>
          !dropped && sql.includes("SET status = 'open'")
            ? {
                bind: () => ({
                  run: () => {
                    dropped = true;
                    return Promise.reject(new Error("D1_ERROR: Network connection lost."));
                  },
                }),
              }
            : target.prepare(sql);
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("a replay the queue does not accept", () => {
  /** The CRM queue refusing every send, as a queue does while it is unavailable. */
  const crmDown = { CRM: withQueuesDown(env, "CRM").CRM } as Partial<Env>;
  /** The CRM queue taking every send and delivering nothing, so a replay costs no vendor call. */
  const crmUp = { CRM: { send: async () => undefined, sendBatch: async () => undefined } } as unknown as Partial<Env>;

  it("of one letter is answered 503 queue_unavailable and leaves the letter open to replay again", async () => {
    const [id = ""] = await storeLetters(1, { code: `down_${tag()}` });
    const res = await api(`/dead-letters/${id}/replay`, { method: "POST", envOverride: crmDown });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "queue_unavailable" });
    expect(await letterStatus(id)).toBe("open");
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST", envOverride: crmUp })).status).toBe(200);
    expect(await letterStatus(id)).toBe("replayed");
  });

  it("leaves the letter open to replay again when D1 also drops the reopen once", async () => {
    const [one = ""] = await storeLetters(1, { code: `blip1_${tag()}` });
    const res = await api(`/dead-letters/${one}/replay`, { method: "POST", envOverride: { ...crmDown, DB: reopenDroppedOnce(env.DB) } });
    expect(res.status).toBe(503);
    expect(await letterStatus(one)).toBe("open");
    const code = `blip_${tag()}`;
    const ids = await storeLetters(2, { code });
    const bulk = await api(`/dead-letters/replay`, {
      method: "POST",
      body: JSON.stringify({ code }),
      envOverride: { ...crmDown, DB: reopenDroppedOnce(env.DB) },
    });
    expect(await bulk.json()).toMatchObject({ matched: 2, replayed: 0, failed: 2 });
    for (const id of ids) expect(await letterStatus(id)).toBe("open");
  });

  it("in bulk counts its letters as failed and leaves every one open to replay again", async () => {
    const code = `down_${tag()}`;
    const ids = await storeLetters(3, { code });
    const down = await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify({ code }), envOverride: crmDown });
    expect(await down.json()).toMatchObject({ matched: 3, replayed: 0, failed: 3 });
    for (const id of ids) expect(await letterStatus(id)).toBe("open");
    const up = await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify({ code }), envOverride: crmUp });
    expect(await up.json()).toMatchObject({ matched: 3, replayed: 3, failed: 0 });
  });
});

describe("a letter claimed for a replay whose message was never sent", () => {
  const HOUR = 3_600_000;
  const crmUp = { CRM: { send: async () => undefined, sendBatch: async () => undefined } } as unknown as Partial<Env>;
  const everyFiveMinutes = (at: number) =>
    runScheduled({ cron: "*/5 * * * *", scheduledTime: at, noRetry() {} }, env).catch(() => undefined);

  it("is reopened by the five-minute run an hour after its claim, and one that was sent is not", async () => {
    const now = Date.now();
    const [stranded = "", sent = ""] = await storeLetters(2, { code: `stranded_${tag()}` });
    // The claim a replay makes before it sends; the Worker dies before the send and its trace.
    expect([...(await claimForReplay(env.DB, [stranded], "bulk replay by ops", now))]).toEqual([stranded]);
    expect((await api(`/dead-letters/${sent}/replay`, { method: "POST", envOverride: crmUp })).status).toBe(200);
    await everyFiveMinutes(now + 10 * 60_000);
    expect(await letterStatus(stranded)).toBe("replayed"); // a replay may still be under way
    await everyFiveMinutes(now + HOUR + 60_000);
    expect(await letterStatus(stranded)).toBe("open");
    expect(await letterStatus(sent)).toBe("replayed");
    const alert = await env.DB.prepare(`SELECT state FROM alerts WHERE key = 'dead_letters:open'`).first<{ state: string }>();
    expect(alert?.state).toBe("firing");
    expect((await api(`/dead-letters/${stranded}/replay`, { method: "POST", envOverride: crmUp })).status).toBe(200);
  });

  it("stays claimed while its subject has a newer open letter, and the others are still reopened", async () => {
    const now = Date.now();
    const subject = `person:${tag()}`;
    const [untraced = ""] = await storeLetters(1, { code: `untraced_${tag()}`, subject });
    const [stranded = ""] = await storeLetters(1, { code: `stranded_${tag()}` });
    await claimForReplay(env.DB, [untraced, stranded], "bulk replay by ops", now);
    // The untraced letter's message went after all and failed again, as a new letter.
    const [again = ""] = await storeLetters(1, { code: `again_${tag()}`, subject });
    await everyFiveMinutes(now + HOUR + 60_000);
    expect(await letterStatus(again)).toBe("open");
    expect(await letterStatus(untraced)).toBe("replayed");
    expect(await letterStatus(stranded)).toBe("open");
  });
});
