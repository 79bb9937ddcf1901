import { describe, expect, it } from "vitest";
import { firstPage, selfNext } from "../../src/mls/paging";
import { RUN_LISTINGS, RUN_MEMBERS } from "../../src/queues/messages";

const BASE = "https://mls.example/odata";
const opts = { resources: ["Property" as const], pageSize: 3, keysEveryMinutes: 1440, notifyInquirers: false, filter: "City eq 'Austin'" };

/** The query options of a next link, decoded. */
const asked = (link: string | null) => Object.fromEntries(new URL(link ?? "about:blank").searchParams);

// An MLS may stamp to the second: a bulk update can give a whole second's records one stamp.
describe("the hub's own next query past a page all of one timestamp", () => {
  const stamp = "2026-12-07T01:00:00Z";
  const page = ["L3", "L1", "L2"].map((k) => ({ ListingKey: k, ModificationTimestamp: stamp }));

  it("reads that timestamp's records in key order, over the whole second it was printed to, within the feed's scope", () => {
    const next = selfNext(RUN_LISTINGS, page, firstPage(RUN_LISTINGS, "incremental", "2026-12-06T00:00:00Z", opts), opts, BASE);
    expect(next?.startsWith(`${BASE}/Property?`)).toBe(true);
    expect(asked(next)).toEqual({
      $orderby: "ListingKey",
      $top: "3",
      $filter: `ModificationTimestamp ge ${stamp} and ModificationTimestamp lt 2026-12-07T01:00:01.000Z and (City eq 'Austin')`,
    });
  });

  it("goes on after the last key read, then past the timestamp's end once an answer is empty", () => {
    const walk = selfNext(RUN_LISTINGS, page, firstPage(RUN_LISTINGS, "incremental", stamp, opts), opts, BASE) ?? "";
    const byKey = ["L1", "L2", "L3"].map((k) => ({ ListingKey: k, ModificationTimestamp: stamp }));
    const after = selfNext(RUN_LISTINGS, byKey, { nextLink: walk }, opts, BASE);
    expect(asked(after).$filter).toBe(
      `ModificationTimestamp ge ${stamp} and ModificationTimestamp lt 2026-12-07T01:00:01.000Z and ListingKey gt 'L3' and (City eq 'Austin')`,
    );
    const past = selfNext(RUN_LISTINGS, [], { nextLink: after ?? "" }, opts, BASE);
    expect(asked(past)).toEqual({
      $orderby: "ModificationTimestamp",
      $top: "3",
      $filter: "ModificationTimestamp ge 2026-12-07T01:00:01.000Z and (City eq 'Austin')",
    });
  });

  it("reads a member timestamp's records by MemberKey, with no listing scope", () => {
    const members = ["M2", "M1", "M3"].map((k) => ({ MemberKey: k, ModificationTimestamp: "2026-12-07T01:00:00.250Z" }));
    const walk = selfNext(RUN_MEMBERS, members, firstPage(RUN_MEMBERS, "full", null, opts), opts, BASE);
    expect(walk?.startsWith(`${BASE}/Member?`)).toBe(true);
    expect(asked(walk)).toEqual({
      $orderby: "MemberKey",
      $top: "3",
      $filter: "ModificationTimestamp ge 2026-12-07T01:00:00.250Z and ModificationTimestamp lt 2026-12-07T01:00:00.251Z",
    });
    const after = selfNext(
      RUN_MEMBERS,
      [{ MemberKey: "M3", ModificationTimestamp: "2026-12-07T01:00:00.250Z" }],
      { nextLink: walk ?? "" },
      opts,
      BASE,
    );
    expect(asked(after).$filter).toContain("MemberKey gt 'M3'");
  });

  it("asks past a shorter page of one timestamp by $skip, as it is likely all that timestamp holds", () => {
    const short = page.slice(0, 2);
    const next = selfNext(RUN_LISTINGS, short, firstPage(RUN_LISTINGS, "incremental", stamp, opts), opts, BASE);
    expect(asked(next)).toMatchObject({
      $orderby: "ModificationTimestamp",
      $skip: "2",
      $filter: `ModificationTimestamp ge ${stamp} and (City eq 'Austin')`,
    });
    // The answer to that holds more of the timestamp: the server has more of it than the page showed.
    const more = selfNext(RUN_LISTINGS, [page[2] ?? {}], { nextLink: next ?? "" }, opts, BASE);
    expect(asked(more).$orderby).toBe("ListingKey");
  });
});
