/**
 * Bugs the bad-input corpus found in the hub and that still stand, kept visible: each test
 * asserts the correct behaviour for one case and is marked `it.fails`, so the suite stays green
 * while the bug stands and turns red once it is fixed (then move the case into the corpus proper
 * and delete its test here).
 *
 * Fixed already (now ordinary corpus cases): delivery ids too long or with a lone surrogate for
 * a KV key (500), bodies nested 10,000 deep (503), deliveries mapping to no events (ingest
 * crash). Other routes' known bugs run in their own suites (connect.test.ts, ops-dashboard.test.ts).
 */
import { describe, expect, it } from "vitest";
import { arrayForObjectCases } from "./corpus/hooks-body";
import { runCases } from "./run";

// Built at collection so each case gets its own test; signatures stay fresh for minutes.
const arrays = await arrayForObjectCases();

describe("known bug: an array where the envelope declares an object is queued (202), because valibot's v.record accepts arrays", () => {
  it("has its cases", () => {
    expect(arrays.length).toBe(3);
  });

  for (const c of arrays) {
    it.fails(`${c.name}: should be 400 envelope_invalid`, async () => {
      expect(await runCases([c])).toEqual([]);
    });
  }
});
