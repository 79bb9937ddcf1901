/**
 * The queries an MLS run asks, as the RESO Web API Core replication pattern pages a feed: its
 * first page, the same query resumed from a position, and the page after one the server sent
 * without a next link. Pure: the `mls` consumer sends them and keeps the run's state.
 */
import type { ResoOptions } from "../config/brokerage";
import { RUN_KEYS, RUN_MEMBERS, RUN_OFFICES } from "../queues/messages";
import { odataString, type PageRef } from "../vendors/reso/client";

export type PageQuery = Extract<PageRef, { resource: string }>;

/** The resource a run reads. */
const resourceOf = (run: string) => (run === RUN_MEMBERS || run === RUN_OFFICES ? run : "Property");
/** The key field of a resource's records: `ListingKey`, `MemberKey`, `OfficeKey`. */
const keyOf = (resource: string) => `${resource === "Property" ? "Listing" : resource}Key`;

/** A page of `resource` in `orderby` order, with these filters and, for Property, the feed's scope. */
function pageOf(resource: string, orderby: string, filters: Array<string | null>, opts: ResoOptions): PageQuery {
  // The feed's scope is a Property filter; the roster (Member, Office) is read whole.
  if (resource === "Property" && opts.filter) filters.push(`(${opts.filter})`);
  const filter = filters.filter(Boolean).join(" and ");
  return { resource, query: { $orderby: orderby, $top: String(opts.pageSize), ...(filter ? { $filter: filter } : {}) } };
}

/** A keys-only page, in key order, after `afterKey` when given. */
function keysPage(opts: ResoOptions, afterKey: string | null): PageQuery {
  const q = pageOf("Property", "ListingKey", [afterKey === null ? null : `ListingKey gt ${odataString(afterKey)}`], opts);
  return { ...q, query: { $select: "ListingKey", ...q.query } };
}

/** The first page of a run. */
export function firstPage(run: string, phase: string, cursor: string | null, opts: ResoOptions): PageQuery {
  if (run === RUN_KEYS) return keysPage(opts, null);
  // `ge`: a server stamping to the second can stamp a later change with the cursor's own second;
  // the records read again at the cursor are skipped as unchanged.
  const since = phase === "incremental" && cursor ? `ModificationTimestamp ge ${cursor}` : null;
  return pageOf(resourceOf(run), "ModificationTimestamp", [since], opts);
}

/** The run's own query from a position: after a keys pass's last key, else from a stamp (`ge`); from the start without one. */
export function resumeFrom(run: string, position: string | null, opts: ResoOptions): PageQuery {
  return run === RUN_KEYS ? keysPage(opts, position) : firstPage(run, "incremental", position, opts);
}

/**
 * The records of one stamp, `[from, to)`, in key order after `afterKey`. The stamp spans the
 * precision it is printed to, so a server that prints less than it keeps still matches it.
 */
function stampPage(run: string, from: string, to: string, afterKey: string | null, opts: ResoOptions): PageQuery {
  const resource = resourceOf(run);
  const key = keyOf(resource);
  const after = afterKey === null ? null : `${key} gt ${odataString(afterKey)}`;
  return pageOf(resource, key, [`ModificationTimestamp ge ${from}`, `ModificationTimestamp lt ${to}`, after], opts);
}

/** Where a stamp printed as `at` ends: a stamp to the second spans its second. */
function stampEnd(at: string): string {
  const digits = /\.(\d+)/.exec(at)?.[1]?.length ?? 0;
  return new Date(Date.parse(at) + 10 ** Math.max(0, 3 - digits)).toISOString();
}

/**
 * The stamp a page's query starts from, and where it stops when it reads one stamp's records in
 * key order (`[from, to)`).
 */
const STAMP_BOUNDS = /^ModificationTimestamp ge (\S+)(?: and ModificationTimestamp lt (\S+))?/;

/**
 * Where a run goes on after a page that came without a next link (RESO Web API Core pages by
 * `$top` and `$skip` and requires no link): after a keys pass's last key, or from the last stamp.
 * Only an empty answer ends such a run: a server may answer fewer records than `$top` asks (Core
 * §2.5.5) without saying so. A server paging by `$skiptoken` pages by link, and OData gives a
 * partial answer a next link, so its answer without one is its last. The records at the last
 * stamp are read again and skipped as unchanged: RESO does not require a server to order them
 * alike in two answers, so skipping them by count could skip others. So a full page all of one
 * stamp is followed by that stamp's records in key order, then the records past it; a shorter one,
 * likely all the stamp holds, by `$skip` past it, and by the key-order read should that find more
 * of the stamp.
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
  if (asked.has("$skiptoken")) return null;
  const [, from, to] = STAMP_BOUNDS.exec(asked.get("$filter") ?? "") ?? [];
  let q: PageQuery;
  if (from && to) {
    q = last ? stampPage(run, from, to, String(last[keyOf(resourceOf(run))]), opts) : resumeFrom(run, to, opts);
  } else if (!last) return null;
  else if (run === RUN_KEYS) q = resumeFrom(run, String(last["ListingKey"]), opts);
  else {
    const at = String(last["ModificationTimestamp"]);
    // A record without a stamp gives no place to go on from: the run ends, and the next poll reads on.
    if (Number.isNaN(Date.parse(at))) return null;
    const first = records[0]?.["ModificationTimestamp"];
    // A `$skip` past a short page of one stamp that finds more of it: read that stamp in key order.
    if (from && asked.has("$skip") && first === from) q = stampPage(run, from, stampEnd(from), null, opts);
    // In stamp order, the first record's stamp is the last's only on a page all of one stamp.
    else if (first !== at) q = resumeFrom(run, at, opts);
    else if (records.length >= Number(asked.get("$top"))) q = stampPage(run, at, stampEnd(at), null, opts);
    else {
      q = resumeFrom(run, at, opts);
      q.query["$skip"] = String(records.length);
    }
  }
  return `${base.replace(/\/$/, "")}/${q.resource}?${new URLSearchParams(q.query)}`;
}

/**
 * Whether a page's link goes on by `$skip`, an offset into its query's answer (OData 4.01 takes
 * the option in any case and without its `$`).
 */
export const pagesBySkip = (link: string): boolean => /[?&](\$|%24)?skip=/i.test(link);
