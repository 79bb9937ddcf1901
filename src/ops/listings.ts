import * as z from "zod";
import { listListings, syncRows } from "../store/listings";

const Limit = z.coerce.number().int().min(1).max(200).default(50);

/** GET /listings: a page of replicated listings (newest change first), optionally by StandardStatus. */
export const ListingsQuery = z.object({
  limit: Limit,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.string().min(1).max(30).optional(),
});
export type ListingsQuery = z.infer<typeof ListingsQuery>;

/** Replication progress of every MLS feed, and a page of listings. */
export async function listingsReport(db: D1Database, q: ListingsQuery) {
  const [runs, page] = await Promise.all([syncRows(db), listListings(db, q)]);
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
    listings: page.rows.map((l) => ({
      listingKey: l.listing_key,
      listingId: l.listing_id,
      status: l.standard_status,
      listPriceCents: l.list_price_cents,
      address: l.address ? (JSON.parse(l.address) as unknown) : null,
      city: l.city,
      zip: l.zip,
      beds: l.beds,
      baths: l.baths,
      listAgent: l.list_agent_name,
      listOffice: l.list_office_name,
      modifiedAt: l.modified_at,
      outOfFeedAt: l.out_of_feed_at,
    })),
  };
}
export type ListingsReport = Awaited<ReturnType<typeof listingsReport>>;
