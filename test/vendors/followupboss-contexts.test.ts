import { beforeEach, describe, expect, it } from "vitest";
import { FollowUpBossClient } from "../../src/vendors/followupboss/client";
import { counters, open, sandbox, setSettings, uid } from "./support";

/** A FUB connection with a gate of its own, sharing the configured limits. */
function client(): FollowUpBossClient {
  return new FollowUpBossClient(open("followupboss:main", { id: `followupboss:ctx-${uid()}`, maxWaitMs: 3_000 }));
}

async function aPerson(fub: FollowUpBossClient): Promise<number> {
  const r = await fub.postEvent({
    source: "dealwire-test",
    system: "dealwire",
    type: "General Inquiry",
    person: { firstName: "Ctx", lastName: uid(), emails: [{ value: `ctx.${uid()}@example.com` }] },
  });
  if (!r.ok || !r.value.person) throw new Error("no person");
  return r.value.person.id;
}

describe("Follow Up Boss budgets are kept per context the vendor reports", () => {
  beforeEach(async () => {
    await sandbox("/_sandbox/reset", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  });

  it("a spent notes context does not stop calls the vendor counts in its global context", async () => {
    const fub = client();
    const personId = await aPerson(fub);
    // Spend the notes context (10 per 10 s at the vendor) to its last request.
    for (let i = 0; i < 10; i++) expect((await fub.addNote({ personId, body: `note ${i}` })).ok).toBe(true);
    const started = Date.now();
    const read = await fub.getPerson(personId);
    expect(read.ok, JSON.stringify(read)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await counters("followupboss")).rateLimited).toBe(0);
  });

  it("paces a context by the limit the vendor reports for it, without a 429", async () => {
    await setSettings("followupboss", { rateLimits: { notes: { limit: 3, windowSeconds: 2 } } });
    const fub = new FollowUpBossClient(open("followupboss:main", { id: `followupboss:ctx-${uid()}`, maxWaitMs: 10_000 }));
    const personId = await aPerson(fub);
    // The first note teaches the gate the notes context and its limit; the rest wait their turn.
    expect((await fub.addNote({ personId, body: "first" })).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => fub.addNote({ personId, body: `paced ${i}` })));
    expect(results.map((r) => r.ok)).toEqual(Array(6).fill(true));
    const c = await counters("followupboss");
    expect(c.rateLimited).toBe(0);
    // Meanwhile the global context was not charged for the notes.
    const times = (c as unknown as { requestTimes: Record<string, number[]> }).requestTimes;
    expect(times.notes?.length).toBe(7);
  });
});
