/**
 * How much drift one delivery may record. Drift is a signal that a vendor changed its payload; a
 * body with thousands of unknown keys (a broken sender, or a hostile one with a valid signature)
 * must not become thousands of rows. The most telling kinds are kept first.
 */
import type { DriftKind, DriftRecord } from "./types";

/** Drift records written per delivery; the rest are counted, not listed. */
export const DRIFT_RECORDS_PER_DELIVERY = 20;

// What breaks mapping first, what is merely new last; a declared alias is expected, not news.
const RANK: Record<DriftKind, number> = { missing_required: 0, type_changed: 1, renamed: 2, unknown_field: 3, alias_used: 4 };

/** The records to write (at most `max`, most telling first, in order of appearance within a kind) and how many were left out. */
export function capDrift(drift: readonly DriftRecord[], max = DRIFT_RECORDS_PER_DELIVERY): { kept: DriftRecord[]; omitted: number } {
  if (drift.length <= max) return { kept: [...drift], omitted: 0 };
  const ranked = drift.map((d, i) => ({ d, i })).sort((a, b) => RANK[a.d.kind] - RANK[b.d.kind] || a.i - b.i);
  return { kept: ranked.slice(0, max).map((r) => r.d), omitted: drift.length - max };
}
