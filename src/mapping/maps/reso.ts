/**
 * RESO EntityEvent webhook pushes (RESO transport proposal "webhooks-push", RCP-028): a single
 * EntityEvent, or a batch under `value`, each naming a resource and the key of a record that
 * changed. EntityEvents carry no record data, so each becomes a `vendor.resource_changed` notice
 * (one per resource) that the MLS consumer turns into a fetch of the changed records.
 */
import { CanonicalEvent } from "../../canonical";
import { maskSample } from "../mask";
import { isObject } from "../path";
import type { DriftRecord, MapContext, MapOutcome } from "../types";

const MAP = "reso.entity_event";
const KNOWN = new Set(["EntityEventSequence", "ResourceName", "ResourceRecordKey", "ResourceRecordUrl", "@reso.context"]);

export function mapEntityEvents(body: unknown, ctx: MapContext): MapOutcome {
  const seenAt = new Date(ctx.receivedAt).toISOString();
  const drift: DriftRecord[] = [];
  const items = isObject(body) && Array.isArray(body.value) ? body.value : [body];
  const byResource = new Map<string, { keys: string[]; seq: number[] }>();
  for (const item of items) {
    if (
      !isObject(item) ||
      typeof item.ResourceName !== "string" ||
      item.ResourceRecordKey === undefined ||
      item.ResourceRecordKey === null
    ) {
      return {
        ok: false,
        code: "shape_unknown",
        reason: "reso: an EntityEvent needs ResourceName and ResourceRecordKey",
        drift,
        issues: [],
      };
    }
    for (const k of Object.keys(item))
      if (!KNOWN.has(k)) drift.push({ source: "reso", map: MAP, field: k, kind: "unknown_field", sample: maskSample(item[k]), seenAt });
    const group = byResource.get(item.ResourceName) ?? { keys: [], seq: [] };
    group.keys.push(String(item.ResourceRecordKey));
    if (typeof item.EntityEventSequence === "number") group.seq.push(item.EntityEventSequence);
    byResource.set(item.ResourceName, group);
  }
  const events: CanonicalEvent[] = [];
  let i = 0;
  for (const [resource, g] of byResource) {
    const parsed = CanonicalEvent.safeParse({
      id: `${ctx.deliveryId}:${MAP}:${i++}`,
      schemaVersion: 1,
      type: "vendor.resource_changed",
      occurredAt: seenAt,
      receivedAt: seenAt,
      source: { system: "reso", deliveryId: ctx.deliveryId, ...(g.seq.length ? { externalId: String(Math.max(...g.seq)) } : {}) },
      subject: { kind: "other", externalId: g.keys[0] },
      data: { system: "reso", resource, ids: [...new Set(g.keys)], action: "updated", vendorEvent: "EntityEvent" },
    });
    if (!parsed.success)
      return { ok: false, code: "canonical_invalid", reason: `reso: ${parsed.error.issues[0]?.message ?? "invalid"}`, drift, issues: [] };
    events.push(parsed.data);
  }
  return { ok: true, events, drift, issues: [] };
}
