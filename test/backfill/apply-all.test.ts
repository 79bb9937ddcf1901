import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyBackfill } from "../../src/backfill/apply";
import type { CanonicalMessage } from "../../src/queues/messages";
import { overriding } from "../helpers/env";

/** `env` whose CRM and TMS queues keep what they are sent and deliver nothing. */
function recording(): { env: Env; crm: CanonicalMessage[] } {
  const crm: CanonicalMessage[] = [];
  const keep = (into: CanonicalMessage[]) => ({
    send: async (body: CanonicalMessage) => void into.push(body),
    sendBatch: async (batch: Iterable<{ body: CanonicalMessage }>) => void into.push(...[...batch].map((m) => m.body)),
  });
  return { env: overriding(env, { CRM: keep(crm), TMS: keep([]) }), crm };
}

describe("applying a reviewed backfill", () => {
  it("sends every write-back and contact, however many, and counts only what it sent", async () => {
    const run = `bf_apply_${crypto.randomUUID().slice(0, 8)}`;
    const now = Date.now();
    const stmts: D1PreparedStatement[] = [
      env.DB.prepare(
        "INSERT INTO backfill_runs (id, status, phase, started_at, updated_at, finished_at) VALUES (?1, 'done', 'done', ?2, ?2, ?2)",
      ).bind(run, now),
    ];
    const WRITEBACKS = 5_200;
    for (let i = 0; i < WRITEBACKS; i++) {
      const deal = `deal_${run}_${String(i).padStart(5, "0")}`;
      stmts.push(
        env.DB.prepare("INSERT INTO deals (id, name, fields, created_at, updated_at) VALUES (?1, ?2, '{}', ?3, ?3)").bind(
          deal,
          `${i} Main St`,
          now,
        ),
        env.DB.prepare(
          "INSERT INTO backfill_items (run_id, category, subject, field, detail, at) VALUES (?1, 'writeback', ?2, '', ?3, ?4)",
        ).bind(run, deal, JSON.stringify({ system: "dotloop", externalId: String(900_000 + i) }), now),
      );
    }
    // Conflicts: one person with an email (synced), one with no way to reach them (skipped), one unknown (skipped).
    const reachable = `per_${run}_a`;
    const unreachable = `per_${run}_b`;
    const fields = (email?: string) =>
      JSON.stringify({
        firstName: { value: "Ada", system: "followupboss", at: "2026-12-01T00:00:00Z" },
        ...(email ? { emails: { value: [email], system: "followupboss", at: "2026-12-01T00:00:00Z" } } : {}),
      });
    stmts.push(
      env.DB.prepare("INSERT INTO people (id, first_name, email, fields, created_at, updated_at) VALUES (?1, 'Ada', ?2, ?3, ?4, ?4)").bind(
        reachable,
        `ada.${run}@example.com`,
        fields(`ada.${run}@example.com`),
        now,
      ),
      env.DB.prepare("INSERT INTO people (id, first_name, fields, created_at, updated_at) VALUES (?1, 'Bea', ?2, ?3, ?3)").bind(
        unreachable,
        fields(),
        now,
      ),
    );
    for (const subject of [reachable, unreachable, `per_${run}_gone`]) {
      stmts.push(
        env.DB.prepare(
          "INSERT INTO backfill_items (run_id, category, subject, field, detail, at) VALUES (?1, 'conflict', ?2, 'phones', '{}', ?3)",
        ).bind(run, subject, now),
      );
    }
    for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));

    const q = recording();
    const r = await applyBackfill(q.env, run, now);
    expect(r).toEqual({ ok: true, value: { id: run, transactionIds: WRITEBACKS, contacts: 1 } });
    const written = new Set(q.crm.filter((m) => m.event.type === "transaction.created").map((m) => m.event.subject.externalId));
    expect(written.size).toBe(WRITEBACKS);
    expect(q.crm.filter((m) => m.event.type === "person.upserted").map((m) => m.event.subject.externalId)).toEqual([reachable]);
  });
});
