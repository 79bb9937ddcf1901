import { upsertMemberStatements, upsertOfficeStatements } from "../store/mls-roster";
import { traceStatement } from "../store/traces";
import { RUN_MEMBERS } from "../queues/messages";
import type { MemberRow, OfficeRow } from "../canonical/roster";
import { newestStamp, toMember, toOffice, type RosterMap } from "./roster";

/** The rows a page maps to, and a trace for each record the hub cannot read (never silently dropped). */
function mapAll<T>(
  db: D1Database,
  records: Array<Record<string, unknown>>,
  map: (r: Record<string, unknown>) => RosterMap<T>,
  subject: string,
  now: number,
) {
  const rows: T[] = [];
  const refused: D1PreparedStatement[] = [];
  for (const r of records) {
    const m = map(r);
    if (m.ok) rows.push(m.row);
    else
      refused.push(
        traceStatement(db, {
          subject: `${subject}:${m.key ?? "unknown"}`,
          stage: "ROSTER_REJECTED",
          outcome: "error",
          detail: m.reason.slice(0, 300),
          at: now,
        }),
      );
  }
  return { rows, refused };
}

/** The D1 writes of one page of Member or Office records, with the page's counts and cursor. */
export function rosterWrites(db: D1Database, connection: string, resource: string, records: Array<Record<string, unknown>>, now: number) {
  let writes: D1PreparedStatement[];
  let stored: number;
  if (resource === RUN_MEMBERS) {
    const m = mapAll<MemberRow>(db, records, toMember, "member", now);
    writes = [...m.refused, ...upsertMemberStatements(db, connection, m.rows, now)];
    stored = m.rows.length;
  } else {
    const o = mapAll<OfficeRow>(db, records, toOffice, "office", now);
    writes = [...o.refused, ...upsertOfficeStatements(db, connection, o.rows, now)];
    stored = o.rows.length;
  }
  return { writes, stored, rejected: records.length - stored, cursor: newestStamp(records) };
}
