import { ok, type Result } from "../../lib/result";
import { laterCursor, type PolledChange, type Poller, type PollPage } from "../poller";
import type { Connection } from "../shared/transport";
import { FollowUpBossClient } from "./client";

/** Pages of 100 one poll reads at most: 10,000 changes, a bulk import's worth. */
export const MAX_PAGES = 100;

/**
 * Follow Up Boss has no "changed since" filter: read newest-updated first and stop at the cursor.
 * On the first run (no cursor) only the last hour is taken, so a new install does not replay years.
 * Past MAX_PAGES the oldest changes since the cursor are not reached: the poll says which window
 * it left unread rather than waiting at a cursor it could never page back to.
 */
export async function newestFirst(
  fetchPage: (next?: string) => Promise<Result<{ items: Array<{ id: number; updated: string | null }>; next: string | null }>>,
  resource: string,
  cursor: string | null,
  now: number,
): Promise<Result<PollPage>> {
  const floor = cursor ?? new Date(now - 3_600_000).toISOString();
  const changes: PolledChange[] = [];
  let next: string | undefined;
  let newest = cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await fetchPage(next);
    if (!r.ok) return r;
    for (const item of r.value.items) {
      if (!item.updated) continue;
      // FUB times have one-second resolution: records updated in the cursor's own second are
      // taken again (the consumers are idempotent), so a change in that second is never skipped.
      if (Date.parse(item.updated) < Date.parse(floor)) return ok({ changes, cursor: newest ?? floor });
      changes.push({ resource, id: String(item.id), updatedAt: item.updated });
      newest = laterCursor(newest, item.updated);
    }
    if (!r.value.next) return ok({ changes, cursor: newest ?? floor });
    next = r.value.next;
  }
  return ok({ changes, cursor: newest ?? floor, unread: { from: floor, to: changes.at(-1)?.updatedAt ?? floor } });
}

export function followUpBossPollers(conn: Connection): Poller[] {
  const client = new FollowUpBossClient(conn);
  return [
    {
      resource: "person",
      poll: (cursor, now) =>
        newestFirst(
          async (next) => {
            const r = await client.listPeople({ sort: "-updated", limit: 100, ...(next ? { next } : {}) });
            return r.ok ? ok({ items: r.value.people.map((p) => ({ id: p.id, updated: p.updated ?? null })), next: r.value.next }) : r;
          },
          "person",
          cursor,
          now,
        ),
    },
    {
      resource: "deal",
      rescanUnlinked: "deal",
      poll: (cursor, now) =>
        newestFirst(
          async (next) => {
            const r = await client.listDeals({ sort: "-updated", limit: 100, ...(next ? { next } : {}) });
            return r.ok
              ? ok({ items: r.value.deals.map((d) => ({ id: d.id, updated: d.updated ?? d.updatedAt ?? null })), next: r.value.next })
              : r;
          },
          "deal",
          cursor,
          now,
        ),
    },
  ];
}
