/**
 * Pure mapping of RESO `Member` and `Office` records (a listing's agent and office) to the rows
 * the hub keeps of them, or why a record cannot be one (named by its key when it has one).
 */
import type { MemberRow, OfficeRow } from "../canonical/roster";
import { ResoMember, ResoOffice } from "../vendors/reso/schemas";

export type RosterMap<T> = { ok: true; row: T } | { ok: false; key: string | null; reason: string };

function refusal(
  raw: Record<string, unknown>,
  keyField: string,
  issue: { path: PropertyKey[]; message: string } | undefined,
): { ok: false; key: string | null; reason: string } {
  const key = raw[keyField];
  return {
    ok: false,
    key: typeof key === "string" ? key : null,
    reason: `${issue?.path.map(String).join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
  };
}

/** A RESO Member record as the hub keeps it; the full name is built from first and last when absent. */
export function toMember(raw: Record<string, unknown>): RosterMap<MemberRow> {
  const parsed = ResoMember.safeParse(raw);
  if (!parsed.success) return refusal(raw, "MemberKey", parsed.error.issues[0]);
  const m = parsed.data;
  const built = [m.MemberFirstName, m.MemberLastName].filter((s): s is string => typeof s === "string" && s !== "").join(" ");
  return {
    ok: true,
    row: {
      key: m.MemberKey,
      mlsId: m.MemberMlsId ?? null,
      fullName: m.MemberFullName ?? (built || null),
      email: m.MemberEmail ?? null,
      phone: m.MemberPreferredPhone ?? null,
      status: m.MemberStatus ?? null,
      officeKey: m.OfficeKey ?? null,
      modifiedAt: m.ModificationTimestamp,
      modifiedMs: Date.parse(m.ModificationTimestamp),
      data: m,
    },
  };
}

/** A RESO Office record as the hub keeps it. */
export function toOffice(raw: Record<string, unknown>): RosterMap<OfficeRow> {
  const parsed = ResoOffice.safeParse(raw);
  if (!parsed.success) return refusal(raw, "OfficeKey", parsed.error.issues[0]);
  const o = parsed.data;
  return {
    ok: true,
    row: {
      key: o.OfficeKey,
      mlsId: o.OfficeMlsId ?? null,
      name: o.OfficeName ?? null,
      phone: o.OfficePhone ?? null,
      email: o.OfficeEmail ?? null,
      status: o.OfficeStatus ?? null,
      modifiedAt: o.ModificationTimestamp,
      modifiedMs: Date.parse(o.ModificationTimestamp),
      data: o,
    },
  };
}

/**
 * The newest valid `ModificationTimestamp` among records: where the next incremental run starts.
 * A record stamped ahead of `now` (a skewed MLS clock) must not move the cursor past changes still
 * to come: it stops at `now`, and that record is read again by each poll until then.
 */
export function newestStamp(records: Array<Record<string, unknown>>, now: number): string | null {
  let cursor: string | null = null;
  for (const r of records) {
    const ts = r["ModificationTimestamp"];
    if (typeof ts === "string" && !Number.isNaN(Date.parse(ts)) && (cursor === null || Date.parse(ts) > Date.parse(cursor))) cursor = ts;
  }
  return cursor !== null && Date.parse(cursor) > now ? new Date(now).toISOString() : cursor;
}

/**
 * A record as the hub stores it: stamped no later than `now`. A stamp ahead of the hub's clock
 * (a skewed MLS clock) kept as it is would make every later change stamped rightly look older
 * than the record held, and be refused until the MLS's stamps passed it.
 */
export function notAhead<T extends { modifiedMs: number }>(record: T, now: number): T {
  return record.modifiedMs > now ? { ...record, modifiedMs: now } : record;
}
