import { ok } from "../../lib/result";
import { laterCursor, type PolledChange, type Poller } from "../poller";
import type { DotloopTms } from "./tms";

const MAX_BATCHES = 10;

/** Loops changed since the cursor (`filter=updated_min=`), a batch of at most 50 at a time. */
export function dotloopPollers(tms: DotloopTms): Poller[] {
  return [
    {
      resource: "loop",
      rescanUnlinked: "transaction",
      async poll(cursor, now) {
        const since = cursor ?? new Date(now - 3_600_000).toISOString();
        const pid = await tms.profileId();
        if (!pid.ok) return pid;
        const changes: PolledChange[] = [];
        let newest = cursor;
        let batch: number | null = 1;
        for (let i = 0; i < MAX_BATCHES && batch !== null; i++) {
          const r = await tms.client.listLoops(pid.value, { batchNumber: batch, updatedMin: since, sort: "updated:asc" });
          if (!r.ok) return r;
          for (const loop of r.value.loops) {
            const updated = loop.updated ?? new Date(now).toISOString();
            changes.push({ resource: "loop", id: loop.id, updatedAt: updated });
            newest = laterCursor(newest, loop.updated ?? null);
          }
          batch = r.value.nextBatch;
        }
        return ok({ changes, cursor: newest ?? since });
      },
    },
  ];
}
