import { ok } from "../../lib/result";
import type { PolledChange, Poller } from "../poller";
import type { QuickBooksClient } from "./client";

/** Invoices and sales receipts changed since the cursor, through change data capture (≤ 30 days back). */
export function quickBooksPollers(client: QuickBooksClient): Poller[] {
  return [
    {
      resource: "invoice",
      async poll(cursor, now) {
        const floor = new Date(now - 29 * 86_400_000).toISOString();
        const since = cursor && cursor > floor ? cursor : cursor ? floor : new Date(now - 3_600_000).toISOString();
        const r = await client.cdc(["Invoice", "SalesReceipt"], since);
        if (!r.ok) return r;
        const changes: PolledChange[] = [];
        let newest = cursor;
        for (const [entity, list] of Object.entries(r.value)) {
          for (const item of list as Array<{ Id?: string; MetaData?: { LastUpdatedTime?: string } }>) {
            if (!item.Id) continue;
            const updated = item.MetaData?.LastUpdatedTime ?? new Date(now).toISOString();
            changes.push({ resource: entity.toLowerCase(), id: item.Id, updatedAt: updated });
            if (!newest || updated > newest) newest = updated;
          }
        }
        return ok({ changes, cursor: newest ?? since });
      },
    },
  ];
}
