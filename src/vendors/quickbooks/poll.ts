import { ok } from "../../lib/result";
import { laterCursor, rewindCursor, type PolledChange, type Poller } from "../poller";
import type { QuickBooksClient } from "./client";
import { QboEntity } from "./schemas";

/** How far back change data capture reaches: QuickBooks refuses a `changedSince` over 30 days old. */
const CDC_REACH_MS = 29 * 86_400_000;

/** The most objects one change data capture answer holds, all entities together (Intuit: 1000). */
const CDC_CAP = 1000;

/**
 * Invoices and sales receipts changed since the cursor, through change data capture. Times are
 * compared as instants: QuickBooks stamps them in the company's UTC offset, which moves with DST.
 * `cap`: the most objects one answer holds (a sandbox set lower lets a test exceed it cheaply).
 */
export function quickBooksPollers(client: QuickBooksClient, cap = CDC_CAP): Poller[] {
  return [
    {
      resource: "invoice",
      async poll(cursor, now) {
        const reach = now - CDC_REACH_MS;
        // A cursor older than QuickBooks reaches (the polls stopped for a month) starts at its
        // reach, and what changed before it is left unread (alerted, for a backfill).
        const lost = cursor !== null && Date.parse(cursor) <= reach;
        const since = cursor === null ? new Date(now - 3_600_000).toISOString() : lost ? new Date(reach).toISOString() : cursor;
        const r = await client.cdc(["Invoice", "SalesReceipt"], since);
        if (!r.ok) return r;
        const changes: PolledChange[] = [];
        let newest = cursor;
        for (const [entity, list] of Object.entries(r.value)) {
          for (const raw of list) {
            const item = QboEntity.safeParse(raw);
            if (!item.success || !item.data.Id) continue;
            const updated = item.data.MetaData?.LastUpdatedTime ?? new Date(now).toISOString();
            // Change data capture lists a deleted entity as its id and `status: "Deleted"`.
            const deleted = item.data["status"] === "Deleted" ? { action: "deleted" as const } : {};
            changes.push({ resource: entity.toLowerCase(), id: item.data.Id, updatedAt: updated, ...deleted });
            newest = laterCursor(newest, item.data.MetaData?.LastUpdatedTime ?? null);
          }
        }
        // An answer at the cap may have left out any change since `since` (Intuit does not say which),
        // and changedSince has no upper bound to narrow by: what it holds is passed on, the window up
        // to its newest change is named unread (alerted), and the cursor moves there, at least a
        // second on, so a cap's worth of changes in one second cannot hold the poll in place.
        const full = Object.values(r.value).flat().length >= cap;
        const next = (full ? laterCursor(newest, rewindCursor(since, -1_000)) : newest) ?? since;
        const unread = lost || full ? { unread: { from: cursor ?? since, to: full ? next : since } } : {};
        return ok({ changes, cursor: next, ...unread });
      },
    },
  ];
}
