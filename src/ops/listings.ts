import * as z from "../lib/zod";
import { listListings, syncRows } from "../store/listings";
import { membersByKeys, officesByKeys } from "../store/mls-roster";
import { intString } from "./schemas";

/** GET /listings: a page of replicated listings (newest change first), optionally by StandardStatus. */
export const ListingsQuery = z.object({
  limit: z._default(intString(1, 200), 50),
  offset: z._default(intString(0, 999_999), 0),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(30))),
});
export type ListingsQuery = z.infer<typeof ListingsQuery>;

/** Replication progress of every MLS feed, and a page of listings. */
export async function listingsReport(db: D1Database, q: ListingsQuery) {
  const [runs, page] = await Promise.all([syncRows(db), listListings(db, q)]);
  // The list agents and offices from the replicated roster (when the feed names Member, Office).
  const [members, offices] = await Promise.all([
    membersByKeys(
      db,
      page.rows.flatMap((l) => (l.list_agent_key ? [l.list_agent_key] : [])),
    ),
    officesByKeys(
      db,
      page.rows.flatMap((l) => (l.list_office_key ? [l.list_office_key] : [])),
    ),
  ]);
  return {
    replication: runs.map((r) => ({
      connection: r.connection,
      run: r.job,
      phase: r.phase,
      status: r.status,
      pages: r.pages,
      records: r.records,
      rejected: r.rejected,
      removed: r.removed,
      cursor: r.cursor,
      resumesFrom: r.next_link,
      lastPageBytes: r.last_page_bytes,
      startedAt: r.started_at,
      completedAt: r.completed_at,
      updatedAt: r.updated_at,
      error: r.error,
    })),
    total: page.total,
    listings: page.rows.map((l) => {
      const m = l.list_agent_key ? members.get(l.list_agent_key) : undefined;
      const o = l.list_office_key ? offices.get(l.list_office_key) : undefined;
      return {
        listingKey: l.listing_key,
        listingId: l.listing_id,
        status: l.standard_status,
        listPriceCents: l.list_price_cents,
        address: l.address ? (JSON.parse(l.address) as unknown) : null,
        city: l.city,
        zip: l.zip,
        beds: l.beds,
        baths: l.baths,
        // The roster's current name first: the listing's own copy changes only with the listing.
        listAgent: m?.full_name ?? l.list_agent_name,
        listOffice: o?.name ?? l.list_office_name,
        listAgentMember: m
          ? { key: m.member_key, mlsId: m.member_mls_id, name: m.full_name, email: m.email, phone: m.phone, status: m.status }
          : null,
        listOfficeRecord: o
          ? { key: o.office_key, mlsId: o.office_mls_id, name: o.name, phone: o.phone, email: o.email, status: o.status }
          : null,
        modifiedAt: l.modified_at,
        outOfFeedAt: l.out_of_feed_at,
      };
    }),
  };
}
export type ListingsReport = Awaited<ReturnType<typeof listingsReport>>;
