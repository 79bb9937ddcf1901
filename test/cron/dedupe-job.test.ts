import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { continueDedupeRun, startDedupeRun } from "../../src/cron/dedupe-job";
import { mergeFields } from "../../src/flows/golden";
import { proposeStatement } from "../../src/store/merges";
import { claimPerson } from "../../src/store/people";
import { mergeMessage } from "../../src/consumers/merge";
import { overriding } from "../helpers/env";

/** env whose CRM queue keeps what is sent to it: the test hands each job to its consumer itself. */
function heldCrmQueue(): { env: Env; sent: unknown[] } {
  const sent: unknown[] = [];
  const queue = {
    send: async (body: unknown) => void sent.push(body),
    sendBatch: async (msgs: Iterable<{ body: unknown }>) => void sent.push(...[...msgs].map((m) => m.body)),
  };
  return { env: overriding(env, { CRM: queue }), sent };
}

/** A whole nightly run at `t` with auto-merge on from 0.5: the merge jobs it sent the CRM's queue. */
async function autoMergeRun(t: number): Promise<unknown[]> {
  const base = brokerageConfig(env);
  const auto = { ...base, dedupe: { ...base.dedupe, threshold: 0.5, autoMergeAbove: 0.5 } };
  await startDedupeRun(env, t + 1_000);
  const crm = heldCrmQueue();
  let s = await continueDedupeRun(crm.env, auto, t + 2_000, 1000);
  while (s && !s.done) s = await continueDedupeRun(crm.env, auto, t + 2_000, 1000);
  return crm.sent;
}

async function person(id: string, first: string, last: string, email: string, phone: string, t: number) {
  const fields = mergeFields(
    {},
    { firstName: first, lastName: last, emails: [email], phones: [phone] },
    "zillow",
    new Date(t).toISOString(),
  ).fields;
  await claimPerson(env.DB, { id, firstName: first, lastName: last, keys: { emails: [email], phones: [phone] }, fields }, t);
}

describe("nightly dedupe job", () => {
  it("runs in bounded chunks resumed from D1, proposes probable duplicates, merges only above the auto-merge threshold", async () => {
    const t = Date.parse("2026-11-01T00:00:00Z");
    await person("per_a", "Robert", "Hannagan", "bob.hannagan@example.com", "+15125550301", t);
    await person("per_b", "Bob", "Hannagan", "rhannagan@work.example", "+15125550301", t + 1);
    await person("per_c", "Maria", "Lopez", "maria.lopez@example.com", "+15125550302", t + 2);
    await person("per_d", "Mariah", "Lopez", "mlopez77@example.com", "+15125550302", t + 3);
    const firsts = ["James", "Olivia", "Noah", "Emma", "Liam", "Ava", "Ethan", "Sophia", "Mason", "Isabella"];
    const lasts = ["Whitaker", "Nakamura", "Okonkwo", "Brennan", "Castellanos", "Dubois", "Ivanova", "Kowalski"];
    for (let i = 0; i < 40; i++) {
      const f = firsts[i % firsts.length] ?? "Pat";
      const l = `${lasts[i % lasts.length] ?? "Doe"}${String.fromCharCode(97 + (i % 26))}`;
      await person(`per_x${i}`, f, l, `${f}.${l}.${i}@example.com`.toLowerCase(), `+1737555${String(2000 + i * 37)}`, t + 10 + i);
    }

    await startDedupeRun(env, t + 1_000);
    const base = brokerageConfig(env);
    const config = { ...base, dedupe: { ...base.dedupe, threshold: 0.5, autoMergeAbove: 0.999 } };
    let state = await continueDedupeRun(env, config, t + 2_000, 1); // tiny budget: many invocations
    let invocations = 1;
    while (state && !state.done && invocations < 500) {
      state = await continueDedupeRun(env, config, t + 2_000, 1);
      invocations++;
    }
    expect(state?.done).toBe(true);
    expect(invocations).toBeGreaterThan(1);
    const { results } = await env.DB.prepare("SELECT a, b, status, reasons FROM merge_proposals ORDER BY a").all<{
      a: string;
      b: string;
      status: string;
      reasons: string;
    }>();
    const pairs = results.map((r) => `${r.a}~${r.b}`);
    expect(pairs).toContain("per_a~per_b");
    expect(pairs).toContain("per_c~per_d");
    expect(pairs.some((p) => p.includes("per_x"))).toBe(false);
    expect(JSON.parse(results.find((r) => r.a === "per_a")?.reasons ?? "[]")).toEqual(
      expect.arrayContaining([expect.stringMatching(/nickname|phone/)]),
    );
    // Nothing scored at the 0.999 bar in this set: proposals wait for an operator.
    expect(results.every((r) => r.status === "proposed")).toBe(true);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM people WHERE merged_into IS NOT NULL").first<{ n: number }>())?.n).toBe(0);

    // With auto-merge on at a bar these pairs clear, the next run enqueues their merges for the
    // CRM queue's consumer, which merges them: the earlier-created person survives, and identity
    // keys move to it.
    const auto = { ...config, dedupe: { ...config.dedupe, autoMergeAbove: 0.5 } };
    await startDedupeRun(env, t + 3_000);
    const crm = heldCrmQueue();
    let s2 = await continueDedupeRun(crm.env, auto, t + 4_000, 1000);
    while (s2 && !s2.done) s2 = await continueDedupeRun(crm.env, auto, t + 4_000, 1000);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM people WHERE merged_into IS NOT NULL").first<{ n: number }>())?.n).toBe(0);
    expect(crm.sent).toHaveLength(2);
    for (const job of crm.sent) expect(await mergeMessage(job, env)).toMatchObject({ ok: true, value: expect.stringMatching(/^merged:/) });
    const merged = await env.DB.prepare("SELECT id, merged_into FROM people WHERE merged_into IS NOT NULL ORDER BY id").all<{
      id: string;
      merged_into: string;
    }>();
    expect(merged.results).toEqual([
      { id: "per_b", merged_into: "per_a" },
      { id: "per_d", merged_into: "per_c" },
    ]);
    const key = await env.DB.prepare("SELECT person_id FROM person_keys WHERE value = 'rhannagan@work.example'").first<{
      person_id: string;
    }>();
    expect(key?.person_id).toBe("per_a");
  });

  it("merges three records of one person, their jobs run side by side, into one survivor that every key names", async () => {
    const t = Date.parse("2026-11-02T00:00:00Z");
    await person("per_t1", "Dana", "Whitfield", "dana.whitfield@example.com", "+15125550411", t);
    await person("per_t2", "Dana", "Whitfield", "dwhitfield@work.example", "+15125550411", t + 1);
    await person("per_t3", "Dana", "Whitfield", "dana.w@mail.example", "+15125550411", t + 2);
    const jobs = (await autoMergeRun(t)).filter((j) => JSON.stringify(j).includes("mp_"));
    expect(jobs.length).toBe(3);

    // One batch of the CRM queue runs its messages at once.
    const outcomes = await Promise.all(jobs.map((j) => mergeMessage(j, env)));
    expect(outcomes.filter((o) => o.ok && o.value.startsWith("merged:"))).toHaveLength(2);
    const { results } = await env.DB.prepare(
      "SELECT id, merged_into FROM people WHERE id IN ('per_t1', 'per_t2', 'per_t3') ORDER BY id",
    ).all<{ id: string; merged_into: string | null }>();
    // The earliest survives; the others are merged, into it or into one merged into it.
    expect(results.map((r) => r.merged_into !== null)).toEqual([false, true, true]);
    const keys = await env.DB.prepare(
      "SELECT DISTINCT person_id FROM person_keys WHERE value IN ('dwhitfield@work.example', 'dana.w@mail.example', 'dana.whitfield@example.com')",
    ).all<{ person_id: string }>();
    expect(keys.results).toEqual([{ person_id: "per_t1" }]);
  });

  it("never joins two records an operator kept apart through a third record that matches both", async () => {
    const t = Date.parse("2026-11-03T00:00:00Z");
    await person("per_k3", "Casey", "Morgan", "casey.morgan@example.com", "+15125550521", t);
    await person("per_k1", "Casey", "Morgan", "cmorgan@work.example", "+15125550521", t + 1);
    await person("per_k2", "Casey", "Morgan", "casey.m@mail.example", "+15125550521", t + 2);
    // An operator looked at the later two and decided they are two people.
    await proposeStatement(env.DB, { a: "per_k1", b: "per_k2", score: 0.9, reasons: [] }, t).run();
    await env.DB.prepare("UPDATE merge_proposals SET status = 'rejected' WHERE a = 'per_k1' AND b = 'per_k2'").run();

    const jobs = await autoMergeRun(t);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) await mergeMessage(job, env);

    // The earliest record takes one of them; the other stays apart, its proposal left to an operator.
    const { results } = await env.DB.prepare(
      "SELECT m.status, p.merged_into FROM merge_proposals m JOIN people p ON p.id = m.a WHERE m.b = 'per_k3' ORDER BY m.status",
    ).all<{ status: string; merged_into: string | null }>();
    expect(results).toEqual([
      { status: "merged", merged_into: "per_k3" },
      { status: "proposed", merged_into: null },
    ]);
  });
});
