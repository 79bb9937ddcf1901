import { membersByKeys, officesByKeys, upsertMemberStatements, upsertOfficeStatements } from "../store/mls-roster";
import { RUN_MEMBERS } from "../queues/messages";
import { refusal } from "./refusal";
import { newestStamp, notAhead, toMember, toOffice, type RosterMap } from "./roster";

/**
 * The rows a page maps to and their writes, with a trace for each record the hub cannot read
 * (never silently dropped) and, in `refused`, its key and why.
 */
function mapAll<T extends { modifiedMs: number }>(
  db: D1Database,
  records: Array<Record<string, unknown>>,
  map: (r: Record<string, unknown>) => RosterMap<T>,
  subject: string,
  now: number,
  upsert: (rows: T[]) => D1PreparedStatement[],
) {
  const rows: T[] = [];
  const writes: D1PreparedStatement[] = [];
  const refused: string[] = [];
  for (const r of records) {
    const m = map(r);
    if (m.ok) rows.push(notAhead(m.row, now));
    else {
      const unread = refusal(db, "ROSTER_REJECTED", (key) => `${subject}:${key}`, m, now);
      refused.push(unread.line);
      writes.push(unread.trace);
    }
  }
  writes.push(...upsert(rows));
  return { rows, writes, refused };
}

/**
 * The D1 writes of one page of Member or Office records, with the page's counts and cursor.
 * `stored` leaves out what the hub holds at the run's cursor (`reread`) and read there again, as
 * `listingWrites` does, so a run counts each record once.
 */
export async function rosterWrites(
  db: D1Database,
  connection: string,
  resource: string,
  records: Array<Record<string, unknown>>,
  now: number,
  reread: string | null,
) {
  const member = resource === RUN_MEMBERS;
  const { rows, writes, refused } = member
    ? mapAll(db, records, toMember, "member", now, (r) => upsertMemberStatements(db, connection, r, now))
    : mapAll(db, records, toOffice, "office", now, (r) => upsertOfficeStatements(db, connection, r, now));
  const again = Date.parse(reread ?? "");
  const atCursor = rows.filter((r) => r.modifiedMs === again);
  const held = await (member ? membersByKeys : officesByKeys)(
    db,
    atCursor.map((r) => r.key),
  );
  const readAgain = atCursor.filter((r) => held.get(r.key)?.modified_ms === again).length;
  return { writes, stored: rows.length - readAgain, refused, cursor: newestStamp(records, now) };
}
