import { ok } from "../../lib/result";
import { laterCursor, type PolledChange, type Poller } from "../poller";
import type { SkySlopeClient } from "./client";

const MAX_PAGES = 10;

/** SkySlope has no webhooks: sales modified since the cursor, from the bulk export. */
export function skySlopePollers(client: SkySlopeClient): Poller[] {
  return [
    {
      resource: "sale",
      async poll(cursor, now) {
        const since = cursor ?? new Date(now - 3_600_000).toISOString();
        const changes: PolledChange[] = [];
        let newest = cursor;
        let page: number | null = 1;
        for (let i = 0; i < MAX_PAGES && page !== null; i++) {
          const r = await client.listFiles({ modifiedAfter: since, type: "sale", pageNumber: page });
          if (!r.ok) return r;
          for (const f of r.value.files) {
            if (f.objectType !== "sale" || !f.saleGuid) continue;
            const modified = f.modifiedOn ?? new Date(now).toISOString();
            changes.push({ resource: "sale", id: f.saleGuid, updatedAt: modified });
            newest = laterCursor(newest, f.modifiedOn ?? null);
          }
          page = r.value.nextPage;
        }
        return ok({ changes, cursor: newest ?? since });
      },
    },
  ];
}
