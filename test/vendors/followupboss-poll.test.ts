import { describe, expect, it } from "vitest";
import { ok } from "../../src/lib/result";
import { MAX_PAGES, newestFirst } from "../../src/vendors/followupboss/poll";

/** Follow Up Boss's list, newest-updated first, 100 a page: `count` records, one a second back from `newest`. */
function listOf(count: number, newest: number) {
  const items = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    updated: new Date(newest - i * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
  }));
  let calls = 0;
  const fetchPage = async (next?: string) => {
    calls++;
    const start = next ? Number(next) : 0;
    return ok({ items: items.slice(start, start + 100), next: start + 100 < items.length ? String(start + 100) : null });
  };
  return { items, fetchPage, calls: () => calls };
}

describe("the Follow Up Boss backup poll, newest first", () => {
  const now = Date.parse("2026-12-05T12:00:00Z");

  it("reads back to its cursor and reports every change since, with nothing left unread", async () => {
    const list = listOf(950, now);
    const cursor = list.items[899]?.updated ?? "";
    const r = await newestFirst(list.fetchPage, "person", cursor, now);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.changes).toHaveLength(900);
    expect(r.value.cursor).toBe(list.items[0]?.updated);
    expect(r.value.unread).toBeUndefined();
    expect(list.calls()).toBe(10);
  });

  it("with more changes since its cursor than it reads, names the window it left unread", async () => {
    const list = listOf(MAX_PAGES * 100 + 500, now);
    const cursor = list.items.at(-1)?.updated ?? "";
    const r = await newestFirst(list.fetchPage, "person", cursor, now);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.changes).toHaveLength(MAX_PAGES * 100);
    expect(list.calls()).toBe(MAX_PAGES);
    expect(r.value.unread).toEqual({ from: cursor, to: list.items[MAX_PAGES * 100 - 1]?.updated });
  });
});
