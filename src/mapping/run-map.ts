/** Runs one field map over one body: split, map, build, and gather drift and issues. */
import type { CanonicalEvent } from "../canonical";
import { buildEvent } from "./build-event";
import { applyMap } from "./engine";
import { parsePath, viewsOf } from "./path";
import type { DriftRecord, FieldMap, MapContext, MapIssue, MapOutcome } from "./types";

/** Drift is an alert signal, not a log: one record per (kind, field, variant) per delivery. */
export function dedupeDrift(drift: DriftRecord[]): DriftRecord[] {
  const seen = new Set<string>();
  return drift.filter((d) => {
    const key = `${d.map}|${d.kind}|${d.field}|${d.variant ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Maps a body with one map. A body that splits into several events (QuickBooks arrays) fails as
 * a whole if any element fails, so the delivery dead-letters intact instead of half-applied.
 */
export function runMap(map: FieldMap, body: unknown, ctx: MapContext): MapOutcome {
  const views = map.each ? viewsOf(body, parsePath(map.each)) : [body];
  const events: CanonicalEvent[] = [];
  const drift: DriftRecord[] = [];
  const issues: MapIssue[] = [];
  for (const [i, view] of views.entries()) {
    const draft = applyMap(map, view, ctx);
    drift.push(...draft.drift);
    if (draft.missing.length > 0) {
      issues.push(...draft.issues);
      const reason = `${map.name}: required field absent or invalid: ${draft.missing.join(", ")}`;
      return { ok: false, code: "missing_required", reason, drift: dedupeDrift(drift), issues };
    }
    const built = buildEvent(map, draft, ctx, i);
    issues.push(...draft.issues); // after building: it drops half-records and lists them here
    if (!built.ok) return { ok: false, code: built.code, reason: built.reason, drift: dedupeDrift(drift), issues };
    events.push(built.event);
  }
  return { ok: true, events, drift: dedupeDrift(drift), issues };
}
