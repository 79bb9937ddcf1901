/**
 * One bad-input suite: sends a slice of the corpus group by group, then proves the hub still
 * accepts a valid delivery from every source and that nothing refused was queued or written.
 *
 * Each test file runs one slice: within one file every request through the Worker's entry gets
 * slower as the file's request count grows (a property of the test pool, not of the hub), so the
 * corpus is spread over files of a few hundred requests each.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, post, sampleBody, signedDelivery } from "../helpers/deliveries";
import type { Source } from "./corpus/signing";
import type { BadCase } from "./corpus/types";
import { runCases } from "./run";
import { deliveryIds, inboundFailures, intakeCounts, seenEntries, tableNames, tracedDeliveryIds } from "./state";

/** Generous per-group limit for a loaded 2-core machine; a group normally takes seconds. */
const GROUP_TIMEOUT_MS = 120_000;

/**
 * Declares the tests of one corpus slice: one test per group, the "nothing written" check, then
 * one `it.fails` per known bug (its cases must all be answered as expected once it is fixed).
 */
export function badInputSuite(
  title: string,
  build: () => Promise<BadCase[]>,
  groups: readonly string[],
  opts: { knownBugs?: readonly string[]; validSource?: Source } = {},
): void {
  const knownBugs = opts.knownBugs ?? [];
  describe(title, () => {
    let corpus: BadCase[] = [];
    let tablesBefore: string[] = [];
    beforeAll(async () => {
      tablesBefore = await tableNames();
      corpus = await build();
    });

    for (const group of groups) {
      it(`${group}: every case gets its 4xx problem document`, { timeout: GROUP_TIMEOUT_MS }, async () => {
        const cases = corpus.filter((c) => c.name.startsWith(`${group}/`) && c.knownBug === undefined);
        expect(cases.length).toBeGreaterThan(0);
        expect(await runCases(cases)).toEqual([]);
      });
    }

    it("afterwards accepts a valid delivery, and nothing refused was queued or written", { timeout: 60_000 }, async () => {
      expect(await hubStillServesAndNothingElseWasWritten(tablesBefore, opts.validSource)).toBe(true);
    });

    // Last: a known bug may write what the check above proves refused requests do not.
    for (const bug of knownBugs) {
      it.fails(`known bug: ${bug}`, { timeout: GROUP_TIMEOUT_MS }, async () => {
        const cases = corpus.filter((c) => c.knownBug === bug);
        expect(cases.length).toBeGreaterThan(0);
        expect(await runCases(cases)).toEqual([]);
      });
    }
  });
}

/**
 * Sends one valid delivery and waits until it is recorded. The inbound queue is FIFO, so
 * anything refused but queued earlier would be recorded by then: the deliveries table, the
 * traces and the KV `seen:` keys must hold exactly this one, with nothing spooled and no ingest
 * failure. Returns true, or throws an assertion naming what differs.
 */
export async function hubStillServesAndNothingElseWasWritten(tablesBefore: readonly string[], source: Source = "idx"): Promise<true> {
  const res = await post(await signedDelivery(source, sampleBody(source, `after-corpus-${crypto.randomUUID()}`)));
  expect(res.status, `valid ${source} delivery after the corpus`).toBe(202);
  const accepted = [(await res.json<{ id: string }>()).id];
  await eventually(async () => (await deliveryIds()).length >= accepted.length, 20_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(await deliveryIds(), "recorded deliveries").toEqual(accepted);
  expect(
    (await tracedDeliveryIds()).filter((id) => !accepted.includes(id)),
    "traces of other deliveries",
  ).toEqual([]);
  expect((await intakeCounts()).payload_spool, "spooled bodies").toBe(0);
  expect(await inboundFailures(), "ingest failures").toEqual([]);
  const seen = await eventually(async () => {
    const s = await seenEntries();
    return s.length >= accepted.length ? s : null;
  });
  expect(
    seen.map((s) => s.deliveryId),
    "KV seen: keys",
  ).toEqual(accepted);
  expect(await tableNames(), "tables").toEqual([...tablesBefore]);
  return true;
}
