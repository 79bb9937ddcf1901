import type { Listing } from "../canonical/listing";
import { listingsByKeys, upsertListingStatements } from "../store/listings";
import { traceStatement } from "../store/traces";
import { listingChanges, listingSubject, toListing } from "./listing";
import { refusal } from "./refusal";
import { newestStamp, notAhead } from "./roster";

/**
 * The D1 writes a page of Property records maps to, as `rosterWrites` is for Member and Office,
 * and, for listings whose status or price changed, what changed (traced, and told to the people
 * who inquired when the brokerage asks). `stored` leaves out what the hub holds at the run's
 * cursor (`reread`) and read there again (a query from the cursor is `ge` it; so is the page
 * after one without a next link, `selfNext`), so a run counts each record once.
 */
export async function listingWrites(
  db: D1Database,
  connection: string,
  records: Array<Record<string, unknown>>,
  now: number,
  reread?: string | null,
) {
  const listings: Listing[] = [];
  const writes: D1PreparedStatement[] = [];
  const refused: string[] = [];
  for (const r of records) {
    const m = toListing(r, connection);
    if (m.ok) listings.push(notAhead(m.listing, now));
    else {
      const unread = refusal(db, "LISTING_REJECTED", listingSubject, m, now);
      refused.push(unread.line);
      writes.push(unread.trace);
    }
  }
  const before = await listingsByKeys(
    db,
    listings.map((l) => l.listingKey),
  );
  const changes: Array<{ listing: Listing; what: string[] }> = [];
  const again = Date.parse(reread ?? "");
  let readAgain = 0;
  for (const l of listings) {
    const b = before.get(l.listingKey);
    if (b?.modified_ms === again && l.modifiedMs === again) readAgain++;
    // Of one stamp too: an MLS stamping to the second gives two changes within it the same stamp.
    if (!b || l.modifiedMs < b.modified_ms) continue;
    const what = listingChanges(b, l);
    if (what.length) {
      changes.push({ listing: l, what });
      writes.push(
        traceStatement(db, { subject: listingSubject(l.listingKey), stage: "LISTING_CHANGED", detail: what.join("; "), at: now }),
      );
    }
  }
  // New listings are counted on the run, not traced one by one: a first sync of 100,000 listings
  // would otherwise write 100,000 trace rows beside them.
  writes.push(...upsertListingStatements(db, connection, listings, now));
  return { writes, changes, refused, stored: listings.length - readAgain, cursor: newestStamp(records, now) };
}
