/**
 * Schema drift: renames keys wherever they appear and adds a field the client has never seen,
 * to the root and to every record-like object (one with an id), as vendors do when they ship
 * a new API version under the old one.
 */

export interface Drift {
  rename: Record<string, string>;
  addUnknown: boolean;
}

/** The field name drift adds. */
export const UNKNOWN_FIELD = "x_sandbox_new_field";

const ID_KEYS = ["id", "Id", "saleGuid", "listingGuid", "eventId"];

/** Returns a drifted deep copy of a JSON value. */
export function applyDrift(value: unknown, drift: Drift): unknown {
  return walk(value, drift, true);
}

function walk(value: unknown, drift: Drift, root: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, drift, false));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[drift.rename[k] ?? k] = walk(v, drift, false);
  if (drift.addUnknown && (root || ID_KEYS.some((k) => k in value))) out[UNKNOWN_FIELD] = "added by drift";
  return out;
}
