/**
 * The alerts one delivery's drift raises: one per source and kind, whatever the number of fields,
 * so a flood of new keys is one notification that names a few of them and counts the rest.
 */
import type { AlertInput } from "./index";

/** The part of a drift record an alert needs. */
export interface DriftSighting {
  source: string;
  field: string;
  kind: string;
}

const FIELDS_NAMED = 5;

/** Where a new field gets its mapping decided: the dashboard's mapping audit. */
export const MAPPING_AUDIT_PATH = "/ops/mapping";
const FIELD_CHARS = 60;

/** Alert inputs for the drift of one delivery (declared aliases are expected, so never alerted). */
export function driftAlerts(deliveryId: string, drift: readonly DriftSighting[]): AlertInput[] {
  const groups = new Map<string, { source: string; kind: string; fields: string[] }>();
  for (const d of drift) {
    if (d.kind === "alias_used") continue;
    const key = `drift:${d.source}:${d.kind}`;
    const g = groups.get(key) ?? { source: d.source, kind: d.kind, fields: [] };
    g.fields.push(d.field);
    groups.set(key, g);
  }
  return [...groups].map(([key, g]) => {
    const named = g.fields.slice(0, FIELDS_NAMED).map((f) => (f.length > FIELD_CHARS ? `${f.slice(0, FIELD_CHARS)}…` : f));
    const rest = g.fields.length - named.length;
    const count = `${g.fields.length} field${g.fields.length === 1 ? "" : "s"}`;
    return {
      key,
      severity: "warning",
      title: `Schema drift from ${g.source}: ${g.kind}`,
      // A new field is a mapping decision: the alert says where it is made.
      detail: `${count} in delivery ${deliveryId}: ${named.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}${g.kind === "unknown_field" ? `. Unmapped: see the mapping audit, ${MAPPING_AUDIT_PATH}` : ""}`,
    } satisfies AlertInput;
  });
}
