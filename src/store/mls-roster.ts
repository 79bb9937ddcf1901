/** D1 access for an MLS's roster: the members (list agents) and offices replicated from it. */
import type { MemberRow, OfficeRow } from "../canonical/roster";
import { fromRows, takeExcluded } from "./upsert";

/** Rows per upsert statement, as for listings. */
const ROWS_PER_STATEMENT = 100;

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += ROWS_PER_STATEMENT) out.push(xs.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/** The columns a member or office upsert writes after its key, in the order its SELECT gives them. */
const MEMBER_COLUMNS = "connection, member_mls_id, full_name, email, phone, status, office_key, modified_at, modified_ms, data, updated_at";
const OFFICE_COLUMNS = "connection, office_mls_id, name, phone, email, status, modified_at, modified_ms, data, updated_at";

/** Upserts members; an older version than the stored one changes nothing (no roll-back by a late page). */
export function upsertMemberStatements(db: D1Database, connection: string, rows: MemberRow[], now: number): D1PreparedStatement[] {
  return chunks(rows).map((part) =>
    db
      .prepare(
        `INSERT INTO mls_members (member_key, ${MEMBER_COLUMNS})` +
          ` SELECT ${fromRows("key ?1 mlsId fullName email phone status officeKey modifiedAt modifiedMs data ?3")} FROM json_each(?2) WHERE true` +
          ` ON CONFLICT (member_key) DO UPDATE SET ${takeExcluded(MEMBER_COLUMNS)} WHERE excluded.modified_ms >= mls_members.modified_ms`,
      )
      .bind(connection, JSON.stringify(part.map((r) => ({ ...r, data: JSON.stringify(r.data) }))), now),
  );
}

export function upsertOfficeStatements(db: D1Database, connection: string, rows: OfficeRow[], now: number): D1PreparedStatement[] {
  return chunks(rows).map((part) =>
    db
      .prepare(
        `INSERT INTO mls_offices (office_key, ${OFFICE_COLUMNS})` +
          ` SELECT ${fromRows("key ?1 mlsId name phone email status modifiedAt modifiedMs data ?3")} FROM json_each(?2) WHERE true` +
          ` ON CONFLICT (office_key) DO UPDATE SET ${takeExcluded(OFFICE_COLUMNS)} WHERE excluded.modified_ms >= mls_offices.modified_ms`,
      )
      .bind(connection, JSON.stringify(part.map((r) => ({ ...r, data: JSON.stringify(r.data) }))), now),
  );
}

export interface MemberRecord {
  member_key: string;
  member_mls_id: string | null;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  status: string | null;
  office_key: string | null;
  modified_ms: number;
}

export interface OfficeRecord {
  office_key: string;
  office_mls_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  status: string | null;
  modified_ms: number;
}

export async function membersByKeys(db: D1Database, keys: string[]): Promise<Map<string, MemberRecord>> {
  if (keys.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT member_key, member_mls_id, full_name, email, phone, status, office_key, modified_ms FROM mls_members WHERE member_key IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify([...new Set(keys)]))
    .all<MemberRecord>();
  return new Map(results.map((r) => [r.member_key, r]));
}

export async function officesByKeys(db: D1Database, keys: string[]): Promise<Map<string, OfficeRecord>> {
  if (keys.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT office_key, office_mls_id, name, phone, email, status, modified_ms FROM mls_offices WHERE office_key IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify([...new Set(keys)]))
    .all<OfficeRecord>();
  return new Map(results.map((r) => [r.office_key, r]));
}
