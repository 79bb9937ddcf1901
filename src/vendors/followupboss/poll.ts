import { ok, type Result } from "../../lib/result";
import { laterCursor, type PolledChange, type Poller } from "../poller";
import type { Connection } from "../shared/transport";
import { FollowUpBossClient } from "./client";

const MAX_PAGES = 10;

/**
 * Follow Up Boss has no "changed since" filter: read newest-updated first and stop at the cursor.
 * On the first run (no cursor) only the last hour is taken, so a new install does not replay years.
 */
async function newestFirst(
  fetchPage: (next?: string) => Promise<Result<{ items: Array<{ id: number; updated: string | null }>; next: string | null }>>,
  resource: string,
  cursor: string | null,
  now: number,
): Promise<Result<{ changes: PolledChange[]; cursor: string | null }>> {
  const floor = cursor ?? new Date(now - 3_600_000).toISOString();
  const changes: PolledChange[] = [];
  let next: string | undefined;
  let newest = cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await fetchPage(next);
    if (!r.ok) return r;
    let reachedCursor = false;
    for (const item of r.value.items) {
      if (!item.updated) continue;
      // FUB times have one-second resolution: records updated in the cursor's own second are
      // taken again (the consumers are idempotent), so a change in that second is never skipped.
      if (Date.parse(item.updated) < Date.parse(floor)) {
        reachedCursor = true;
        break;
      }
      changes.push({ resource, id: String(item.id), updatedAt: item.updated });
      newest = laterCursor(newest, item.updated);
    }
    if (reachedCursor || !r.value.next) break;
    next = r.value.next;
  }
  return ok({ changes, cursor: newest ?? floor });
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
