/** D1 access for MLS listings, their replication state and who inquired about them. */
import { fromRows, takeExcluded } from "./upsert";
import type { Listing } from "../canonical/listing";

export interface ListingRow {
  listing_key: string;
  listing_id: string | null;
  connection: string;
  standard_status: string | null;
  list_price_cents: number | null;
  close_price_cents: number | null;
  address: string | null;
  address_key: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  beds: number | null;
  baths: number | null;
  area_sqft: number | null;
  property_type: string | null;
  list_agent_key: string | null;
  list_agent_name: string | null;
  list_office_key: string | null;
  list_office_name: string | null;
  modified_at: string;
  modified_ms: number;
  data: string;
  provenance: string;
  keys_pass: string | null;
  out_of_feed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The listing columns replication compares a new version against. */
export type ListingBefore = Pick<ListingRow, "listing_key" | "standard_status" | "list_price_cents" | "modified_ms" | "out_of_feed_at">;

export async function listingsByKeys(db: D1Database, keys: string[]): Promise<Map<string, ListingBefore>> {
  if (keys.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT listing_key, standard_status, list_price_cents, modified_ms, out_of_feed_at FROM listings WHERE listing_key IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(keys))
    .all<ListingBefore>();
  return new Map(results.map((r) => [r.listing_key, r]));
}

/** Rows per upsert statement: one JSON parameter stays well under D1's value size even for wide records. */
const ROWS_PER_STATEMENT = 100;

/** The columns a listing upsert writes from each row, in the order its SELECT gives them. */
const LISTING_COLUMNS =
  "listing_id, connection, standard_status, list_price_cents, close_price_cents, address, address_key, city, state, zip, beds, baths," +
  " area_sqft, property_type, list_agent_key, list_agent_name, list_office_key, list_office_name, modified_at, modified_ms, data, provenance";

/**
 * Upserts listings, several rows per statement (D1 counts statements per invocation). A version
 * older than the stored one changes nothing, so a late page or a replayed message never rolls a
 * listing back; a listing seen again is back in the feed.
 */
export function upsertListingStatements(db: D1Database, connection: string, listings: Listing[], now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < listings.length; i += ROWS_PER_STATEMENT) {
    const rows = listings.slice(i, i + ROWS_PER_STATEMENT).map((l) => ({
      k: l.listingKey,
      id: l.listingId,
      st: l.status,
      lp: l.listPriceCents,
      cp: l.closePriceCents,
      ad: l.address,
      ak: l.addressKey,
      ci: l.address?.city ?? null,
      sa: l.address?.state ?? null,
      zi: l.address?.zip ?? null,
      be: l.beds,
      ba: l.baths,
      ar: l.areaSqft,
      pt: l.propertyType,
      agk: l.listAgentKey,
      agn: l.listAgentName,
      ofk: l.listOfficeKey,
      ofn: l.listOfficeName,
      ma: l.modifiedAt,
      mm: l.modifiedMs,
      da: l.data,
      pr: l.provenance,
    }));
    out.push(
      db
        .prepare(
          `INSERT INTO listings (listing_key, ${LISTING_COLUMNS}, created_at, updated_at)` +
            ` SELECT ${fromRows("k id ?1 st lp cp ad ak ci sa zi be ba ar pt agk agn ofk ofn ma mm da pr ?3 ?3")} FROM json_each(?2) WHERE true` +
            ` ON CONFLICT (listing_key) DO UPDATE SET ${takeExcluded(LISTING_COLUMNS)}, out_of_feed_at = NULL, updated_at = excluded.updated_at` +
            ` WHERE excluded.modified_ms >= listings.modified_ms`,
        )
        .bind(connection, JSON.stringify(rows), now),
    );
  }
  return out;
}

/**
 * A listing a lead or deal may be linked to: in the feed, and not one whose contract the MLS
 * nullified (RESO StandardStatus `Delete`), whose facts describe no sale.
 */
const LINKABLE = "out_of_feed_at IS NULL AND standard_status IS NOT 'Delete'";

/**
 * The linkable listing a property names: by MLS number first, else by normalized address. An MLS
 * number is unique only within its MLS: one naming a listing whose address key does not start
 * with the property's house (`house`, its key prefix) is another MLS's, and the address decides.
 */
export async function findListing(
  db: D1Database,
  by: { mlsId?: string | undefined; addressKey?: string | null; house?: string | undefined },
): Promise<ListingRow | null> {
  if (by.mlsId) {
    const row = await db
      .prepare(`SELECT * FROM listings WHERE listing_id = ?1 AND ${LINKABLE} ORDER BY modified_ms DESC LIMIT 1`)
      .bind(by.mlsId)
      .first<ListingRow>();
    const elsewhere = by.house && row?.address_key && !row.address_key.startsWith(by.house);
    if (row && !elsewhere) return row;
  }
  if (by.addressKey) {
    return db
      .prepare(`SELECT * FROM listings WHERE address_key = ?1 AND ${LINKABLE} ORDER BY modified_ms DESC LIMIT 1`)
      .bind(by.addressKey)
      .first<ListingRow>();
  }
  return null;
}

/**
 * The one linkable listing at a street address whatever its ZIP (`prefix` is a streetKey), or null
 * when none or several match: a deal name without a ZIP is linked only when it is unambiguous.
 */
export async function findListingByStreet(db: D1Database, prefix: string): Promise<ListingRow | null> {
  // A range on the key (not LIKE) so the address index serves it; U+FFFF sorts after any key text.
  const { results } = await db
    .prepare(`SELECT * FROM listings WHERE address_key >= ?1 AND address_key < ?2 AND ${LINKABLE} LIMIT 2`)
    .bind(prefix, `${prefix}\uffff`)
    .all<ListingRow>();
  return results.length === 1 ? (results[0] ?? null) : null;
}

/** Links a golden deal to the listing its property is (once; a repeat changes nothing). */
export function dealListingStatement(db: D1Database, listingKey: string, dealId: string, now: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO listing_deals (listing_key, deal_id, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`)
    .bind(listingKey, dealId, now);
}

export function inquiryStatement(db: D1Database, listingKey: string, personId: string, eventId: string, now: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO listing_inquiries (listing_key, person_id, event_id, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING`)
    .bind(listingKey, personId, eventId, now);
}

/** The people who inquired about any of these listings. */
export async function inquirersOf(db: D1Database, keys: string[]): Promise<Array<{ listing_key: string; person_id: string }>> {
  if (keys.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT listing_key, person_id FROM listing_inquiries WHERE listing_key IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(keys))
    .all<{ listing_key: string; person_id: string }>();
  return results;
}

/** Marks the listings with these keys out of feed (the MLS no longer serves them). */
export function outOfFeedStatement(db: D1Database, keys: string[], now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE listings SET out_of_feed_at = ?2, updated_at = ?2 WHERE out_of_feed_at IS NULL AND listing_key IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(keys), now);
}

export function markSeenStatement(db: D1Database, connection: string, passId: string, keys: string[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE listings SET keys_pass = ?2 WHERE connection = ?1 AND listing_key IN (SELECT value FROM json_each(?3))`)
    .bind(connection, passId, JSON.stringify(keys));
}

/**
 * After a complete keys-only pass: listings it did not see are out of the feed (deleted, or moved
 * out of the brokerage's scope). Listings stored or fetched after the pass began are left alone:
 * they were in the feed then, whatever the pass's earlier pages said.
 */
export async function markUnseenOutOfFeed(
  db: D1Database,
  connection: string,
  passId: string,
  passStartedAt: number,
  now: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `UPDATE listings SET out_of_feed_at = ?4, updated_at = ?4` +
        ` WHERE connection = ?1 AND out_of_feed_at IS NULL AND (keys_pass IS NULL OR keys_pass != ?2) AND updated_at < ?3 RETURNING listing_key`,
    )
    .bind(connection, passId, passStartedAt, now)
    .all<{ listing_key: string }>();
  return results.map((r) => r.listing_key);
}

/** Of the listings a connection holds in the feed, how many the keys pass `passId` saw. */
export async function keysPassCensus(db: D1Database, connection: string, passId: string): Promise<{ held: number; seen: number }> {
  const row = await db
    .prepare(
      // SUM of no row is NULL: read as 0 below.
      `SELECT COUNT(*) AS held, SUM(keys_pass = ?2) AS seen FROM listings WHERE connection = ?1 AND out_of_feed_at IS NULL`,
    )
    .bind(connection, passId)
    .first<{ held: number; seen: number }>();
  return { held: row?.held ?? 0, seen: row?.seen ?? 0 };
}

export interface SyncRow {
  connection: string;
  job: string;
  phase: string;
  status: string;
  seq: number;
  next_link: string | null;
  cursor: string | null;
  pass_id: string | null;
  pages: number;
  records: number;
  rejected: number;
  removed: number;
  last_page_bytes: number | null;
  started_at: number | null;
  completed_at: number | null;
  updated_at: number;
  error: string | null;
  /** When the current page first failed since the last applied one; null while pages apply. */
  error_since: number | null;
}

export async function getSync(db: D1Database, connection: string, job: string): Promise<SyncRow | null> {
  return db.prepare(`SELECT * FROM listing_sync WHERE connection = ?1 AND job = ?2`).bind(connection, job).first<SyncRow>();
}

export async function syncRows(db: D1Database): Promise<SyncRow[]> {
  return (await db.prepare(`SELECT * FROM listing_sync ORDER BY connection, job`).all<SyncRow>()).results;
}

/**
 * Starts a run of a job (a first sync, an incremental poll, a keys pass) unless one is running:
 * the new run's first page message carries the returned seq, and its counts start from zero (they
 * are the run's own). Null when a run is in progress.
 */
export async function startRun(
  db: D1Database,
  connection: string,
  job: string,
  phase: string,
  passId: string | null,
  now: number,
): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO listing_sync (connection, job, phase, status, seq, pass_id, started_at, updated_at) VALUES (?1, ?2, ?3, 'running', 1, ?4, ?5, ?5)` +
        ` ON CONFLICT (connection, job) DO UPDATE SET phase = excluded.phase, status = 'running', seq = listing_sync.seq + 1, next_link = NULL,` +
        ` pass_id = excluded.pass_id, started_at = excluded.started_at, updated_at = excluded.updated_at, error = NULL, error_since = NULL,` +
        ` pages = 0, records = 0, rejected = 0, removed = CASE WHEN excluded.pass_id IS NULL THEN listing_sync.removed ELSE 0 END,` +
        ` cursor = CASE WHEN excluded.pass_id IS NULL THEN listing_sync.cursor END` +
        ` WHERE listing_sync.status != 'running' RETURNING seq`,
    )
    .bind(connection, job, phase, passId, now)
    .first<{ seq: number }>();
  return row?.seq ?? null;
}

/**
 * Records one applied page, only if `seq` is still the run's current page: compare-and-set, so of
 * two copies of a page message exactly one advances the run. The next link (or null: the run is
 * done) and the cursor are stored with it, which is what a resumed run starts from. An applied
 * page clears the error an earlier try of it recorded.
 */
export function advanceStatement(
  db: D1Database,
  s: {
    connection: string;
    job: string;
    seq: number;
    nextLink: string | null;
    cursor: string | null;
    records: number;
    rejected: number;
    bytes: number;
    now: number;
    donePhase: string;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE listing_sync SET seq = seq + 1, next_link = ?4, cursor = COALESCE(?5, cursor), pages = pages + 1, records = records + ?6,` +
        ` rejected = rejected + ?7, last_page_bytes = ?8, updated_at = ?9, error = NULL, error_since = NULL,` +
        ` status = CASE WHEN ?4 IS NULL THEN 'idle' ELSE 'running' END, phase = CASE WHEN ?4 IS NULL THEN ?10 ELSE phase END,` +
        ` completed_at = CASE WHEN ?4 IS NULL THEN ?9 ELSE completed_at END` +
        ` WHERE connection = ?1 AND job = ?2 AND seq = ?3 AND status = 'running'`,
    )
    .bind(s.connection, s.job, s.seq, s.nextLink, s.cursor, s.records, s.rejected, s.bytes, s.now, s.donePhase);
}

/**
 * Records a page's failure. `updated_at` moves, so the cron leaves a page being retried to its
 * queue; `error_since` keeps the first failure since the last applied page, which the lag reads.
 */
export async function recordSyncError(db: D1Database, connection: string, job: string, error: string, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE listing_sync SET error = ?3, updated_at = ?4, error_since = COALESCE(error_since, ?4) WHERE connection = ?1 AND job = ?2`,
    )
    .bind(connection, job, error.slice(0, 300), now)
    .run();
}

export async function addRemoved(db: D1Database, connection: string, job: string, n: number): Promise<void> {
  await db.prepare(`UPDATE listing_sync SET removed = removed + ?3 WHERE connection = ?1 AND job = ?2`).bind(connection, job, n).run();
}

export async function listListings(
  db: D1Database,
  opts: { limit: number; offset: number; status?: string | undefined },
): Promise<{ rows: ListingRow[]; total: number }> {
  const where = opts.status ? `WHERE standard_status = ?3` : "";
  const { results } = await db
    .prepare(`SELECT * FROM listings ${where} ORDER BY modified_ms DESC, listing_key LIMIT ?1 OFFSET ?2`)
    .bind(opts.limit, opts.offset, ...(opts.status ? [opts.status] : []))
    .all<ListingRow>();
  const total = await db
    .prepare(`SELECT COUNT(*) AS n FROM listings ${opts.status ? "WHERE standard_status = ?1" : ""}`)
    .bind(...(opts.status ? [opts.status] : []))
    .first<{ n: number }>();
  return { rows: results, total: total?.n ?? 0 };
}
