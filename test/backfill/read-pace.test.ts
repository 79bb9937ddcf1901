import { describe, expect, it } from "vitest";
import { readPermitWaitMs } from "../../src/backfill/read-pace";
import { MAX_PERMIT_WAIT_MS } from "../../src/lib/call-bounds";
import { emptyBudget, grant, nextSlot, settle, type BudgetState } from "../../src/durable/rate-budget";

const DOTLOOP = { windows: [{ limit: 100, windowMs: 60_000 }], contexts: {} };

/**
 * The longest permit wait a Dotloop reader meets over `windows` minutes of reading, paced by the
 * gate's own rules: pages of ten loops, each page a list call, then each loop's details and
 * participants side by side; every call takes 40 ms.
 */
function longestReaderWait(windows: number): number {
  let state: BudgetState = emptyBudget();
  let now = 0;
  let longest = 0;
  const call = () => {
    const at = nextSlot(state, DOTLOOP, now);
    longest = Math.max(longest, at - now);
    state = grant(state, DOTLOOP, at, now);
    return at;
  };
  while (now < windows * 60_000) {
    const listed = call();
    state = settle(state, { slot: listed, sentAt: listed });
    now = listed + 40;
    for (let loop = 0; loop < 10; loop++) {
      const [a, b] = [call(), call()];
      state = settle(settle(state, { slot: a, sentAt: a }), { slot: b, sentAt: b });
      now = Math.max(a, b) + 40;
    }
  }
  return longest;
}

describe("a backfill reader's patience with its connection's gate", () => {
  it("waits out the longest wait steady reading meets at Dotloop's 100 a minute, where a consumer's wait would give a page back", () => {
    const longest = longestReaderWait(6);
    expect(longest).toBeGreaterThan(MAX_PERMIT_WAIT_MS);
    expect(longest).toBeLessThanOrEqual(readPermitWaitMs(DOTLOOP));
  });

  it("waits a whole window of the connection's longest limit, between a consumer's wait and a minute", () => {
    expect(readPermitWaitMs({ windows: [{ limit: 250, windowMs: 10_000 }], contexts: {} })).toBe(MAX_PERMIT_WAIT_MS);
    expect(
      readPermitWaitMs({
        windows: [{ limit: 10, windowMs: 1_000 }],
        contexts: { batch: { windows: [{ limit: 500, windowMs: 60_000 }] }, unmetered: null },
      }),
    ).toBe(60_000);
    expect(readPermitWaitMs({ windows: [{ limit: 1_000, windowMs: 3_600_000 }], contexts: {} })).toBe(60_000);
  });
});
