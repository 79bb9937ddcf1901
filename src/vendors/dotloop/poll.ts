import { ok } from "../../lib/result";
import { laterCursor, type PolledChange, type Poller } from "../poller";
import type { DotloopTms } from "./tms";

const MAX_BATCHES = 10;

/**
 * Loops changed since the cursor (`filter=updated_min=`), oldest first, 50 at a time. Each batch
 * after the first is asked afresh from the last one read rather than by batch number: an agent's
 * edit moves a loop to the end of the list while the hub pages, and the next batch by number would
 * then start one loop late. Only a batch all within one second goes on by number. Each ask starts a
 * second early: Dotloop stamps to the second and does not say whether `updated_min` keeps loops of
 * its own instant.
 */
export function dotloopPollers(tms: DotloopTms): Poller[] {
  return [
    {
      resource: "loop",
      rescanUnlinked: "transaction",
      async poll(cursor, now) {
        const since = cursor ?? new Date(now - 3_600_000).toISOString();
        const pid = await tms.profileId();
        if (!pid.ok) return pid;
        const changes = new Map<string, PolledChange>();
        let newest = cursor;
        let from = Date.parse(since) - 1000;
        let batch = 1;
        for (let i = 0; i < MAX_BATCHES; i++) {
          const r = await tms.client.listLoops(pid.value, {
            batchNumber: batch,
            updatedMin: new Date(from).toISOString(),
            sort: "updated:asc",
          });
          if (!r.ok) return r;
          for (const loop of r.value.loops) {
            const updatedAt = loop.updated ?? new Date(now).toISOString();
            changes.set(`${loop.id} ${updatedAt}`, { resource: "loop", id: loop.id, updatedAt });
            newest = laterCursor(newest, loop.updated ?? null);
          }
          if (r.value.nextBatch === null) break;
          const next = Date.parse(r.value.loops.at(-1)?.updated ?? "") - 1000;
          if (next > from) [from, batch] = [next, 1];
          else batch++;
        }
        return ok({ changes: [...changes.values()], cursor: newest ?? since });
      },
    },
  ];
}
