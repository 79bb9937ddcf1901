import { traceStatement } from "../store/traces";

/**
 * A record of a page the hub cannot read: its trace under `subject(key)`, so it is never silently
 * dropped, and its line (`key: why`) for the page's alert.
 */
export function refusal(
  db: D1Database,
  stage: "LISTING_REJECTED" | "ROSTER_REJECTED",
  subject: (key: string) => string,
  m: { key: string | null; reason: string },
  now: number,
): { line: string; trace: D1PreparedStatement } {
  const key = m.key ?? "unknown";
  return {
    line: `${key}: ${m.reason}`,
    trace: traceStatement(db, { subject: subject(key), stage, outcome: "error", detail: m.reason.slice(0, 300), at: now }),
  };
}
