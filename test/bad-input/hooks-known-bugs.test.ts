/**
 * Bugs the bad-input corpus found in the hub, kept visible: each test asserts the correct
 * behaviour for one case and is marked `it.fails`, so the suite stays green while the bug stands
 * and turns red once it is fixed (then drop the `.fails` and the case's `knownBug` flag).
 */
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/deliveries";
import { acceptedCases, KNOWN_BUGS, type AcceptedCase, type KnownBug } from "./corpus/accepted";
import { arrayForObjectCases } from "./corpus/hooks-body";
import { runCases } from "./run";

/** The longest the suite waits for ingest to process (or visibly fail) the sent cases. */
const INGEST_WITHIN_MS = 8_000;

// Built at collection so each case gets its own test; signatures stay fresh for minutes.
const buggy = (await acceptedCases()).filter((c) => c.knownBug !== undefined);
const arrays = await arrayForObjectCases();

async function countStuck(ids: readonly string[]): Promise<number> {
  const placeholders = ids.map((_, i) => `?${i + 1}`).join(",");
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'received' AND id IN (${placeholders})`).bind(...ids).first<number>("n");
  // A delivery not recorded yet is not processed either.
  const recorded = await env.DB.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE id IN (${placeholders})`).bind(...ids).first<number>("n");
  return (row ?? 0) + ids.length - (recorded ?? 0);
}

async function inboundAttempts(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM message_attempts WHERE queue = 'inbound'").first<number>("n")) ?? 0;
}

function send(c: AcceptedCase): Promise<Response> {
  return exports.default.fetch(`http://hub.test/hooks/${c.source}`, { method: "POST", headers: c.headers, body: c.body });
}

it("every known bug still has a case", () => {
  for (const bug of Object.keys(KNOWN_BUGS)) expect(buggy.some((c) => c.knownBug === bug), bug).toBe(true);
  expect(arrays.length).toBeGreaterThan(0);
});

for (const [key, bug] of Object.entries(KNOWN_BUGS) as Array<[KnownBug, (typeof KNOWN_BUGS)[KnownBug]]>) {
  const cases = buggy.filter((c) => c.knownBug === key);
  describe(`known bug ${key}: ${bug.text}`, () => {
    if (bug.check === "answer") {
      for (const c of cases) {
        it.fails(`${c.name}: should be accepted as data (202) or refused with a 4xx problem`, async () => {
          const res = await send(c);
          expect(res.status, (await res.text()).slice(0, 200)).toBeLessThan(500);
        });
      }
      return;
    }
    // Sent together; the wait ends once each delivery is processed, or each stuck one has
    // failed at least once (a crash is recorded as an inbound attempt within a second or so).
    const ids = new Map<string, string>();
    beforeAll(async () => {
      for (const c of cases) {
        const res = await send(c);
        if (res.status === 202) ids.set(c.name, (await res.json<{ id: string }>()).id);
      }
      await eventually(async () => {
        const stuck = await countStuck([...ids.values()]);
        return stuck === 0 || (await inboundAttempts()) >= stuck;
      }, INGEST_WITHIN_MS).catch(() => undefined);
    }, INGEST_WITHIN_MS + 10_000);
    for (const c of cases) {
      it.fails(`${c.name}: should be recorded as normalized or rejected`, async () => {
        expect(ids.get(c.name), "accepted with 202").toBeDefined();
        const status = await env.DB.prepare("SELECT status FROM deliveries WHERE id = ?1").bind(ids.get(c.name)).first<string>("status");
        expect(["normalized", "rejected"]).toContain(status);
      });
    }
  });
}

describe("known bug arraysForObjects: an array where the envelope declares an object is queued (202), because valibot's v.record accepts arrays", () => {
  for (const c of arrays) {
    it.fails(`${c.name}: should be 400 envelope_invalid`, async () => {
      expect(await runCases([c])).toEqual([]);
    });
  }
});
