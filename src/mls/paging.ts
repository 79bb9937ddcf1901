/**
 * The queries an MLS run asks, as the RESO Web API Core replication pattern pages a feed: its
 * first page, the same query resumed from a position, and the page after one the server sent
 * without a next link. Pure: the `mls` consumer sends them and keeps the run's state.
 */
import type { ResoOptions } from "../config/brokerage";
import { RUN_KEYS, RUN_MEMBERS, RUN_OFFICES } from "../queues/messages";
import { odataString, type PageRef } from "../vendors/reso/client";

export type PageQuery = Extract<PageRef, { resource: string }>;

/** A keys-only page, in key order, after `afterKey` when given. */
function keysPage(opts: ResoOptions, afterKey: string | null): PageQuery {
  const scope = opts.filter ? `(${opts.filter})` : null;
  const filter = [afterKey === null ? null : `ListingKey gt ${odataString(afterKey)}`, scope].filter(Boolean).join(" and ");
  return {
    resource: "Property",
    query: { $select: "ListingKey", $orderby: "ListingKey", $top: String(opts.pageSize), ...(filter ? { $filter: filter } : {}) },
  };
}

/** The first page of a run. */
export function firstPage(run: string, phase: string, cursor: string | null, opts: ResoOptions): PageQuery {
  if (run === RUN_KEYS) return keysPage(opts, null);
  const scope = opts.filter ? `(${opts.filter})` : null;
  // `ge`: a server stamping to the second can stamp a later change with the cursor's own second;
  // the records read again at the cursor are skipped as unchanged.
  const since = phase === "incremental" && cursor ? `ModificationTimestamp ge ${cursor}` : null;
  // The feed's scope is a Property filter; the roster (Member, Office) is read whole.
  const resource = run === RUN_MEMBERS || run === RUN_OFFICES ? run : "Property";
  const filter = [since, resource === "Property" ? scope : null].filter(Boolean).join(" and ");
  return { resource, query: { $orderby: "ModificationTimestamp", $top: String(opts.pageSize), ...(filter ? { $filter: filter } : {}) } };
}

/** The run's own query from a position: after a keys pass's last key, else from a stamp (`ge`); from the start without one. */
export function resumeFrom(run: string, position: string | null, opts: ResoOptions): PageQuery {
  return run === RUN_KEYS ? keysPage(opts, position) : firstPage(run, "incremental", position, opts);
}

/**
 * Where a run goes on after a page that came without a next link (RESO Web API Core pages by
 * `$top` and `$skip` and requires no link): after a keys pass's last key, or from the last stamp.
 * Only an empty answer ends such a run: a server may answer fewer records than `$top` asks (Core
 * §2.5.5) without saying so. A server paging by `$skiptoken` pages by link, and OData gives a
 * partial answer a next link, so its answer without one is its last. The records at the last
 * stamp are read again and skipped as unchanged: RESO does not require a server to order them
 * alike in two answers, so skipping them by count could skip others. Only a page all of one stamp
 * skips its records (and those its own request skipped), to get past them.
 */
export function selfNext(
  run: string,
  records: Array<Record<string, unknown>>,
  ref: PageRef,
  opts: ResoOptions,
  base: string,
): string | null {
  const last = records.at(-1);
  const asked = "nextLink" in ref ? new URL(ref.nextLink).searchParams : new URLSearchParams(ref.query);
  if (!last || asked.has("$skiptoken")) return null;
  let q: PageQuery;
  if (run === RUN_KEYS) q = resumeFrom(run, String(last["ListingKey"]), opts);
  else {
    const at = String(last["ModificationTimestamp"]);
    // A record without a stamp gives no place to go on from: the run ends, and the next poll reads on.
    if (Number.isNaN(Date.parse(at))) return null;
    q = resumeFrom(run, at, opts);
    // In stamp order, the first record's stamp is the last's only on a page all of one stamp.
    if (records[0]?.["ModificationTimestamp"] === at) {
      const skipped = asked.get("$filter")?.includes(`ModificationTimestamp ge ${at}`) ? Number(asked.get("$skip")) || 0 : 0;
      q.query["$skip"] = String(records.length + skipped);
    }
  }
  return `${base.replace(/\/$/, "")}/${q.resource}?${new URLSearchParams(q.query)}`;
}

/**
 * Whether a page's link goes on by `$skip`, an offset into its query's answer (OData 4.01 takes
 * the option in any case and without its `$`).
 */
export const pagesBySkip = (link: string): boolean => /[?&](\$|%24)?skip=/i.test(link);
