import * as v from "valibot";
import type { SourceName } from "../../canonical/primitives";

/**
 * Cheap envelope checks on the hot path: only the shape the intake needs (an id to dedupe on,
 * an event name to record). Field-level validation happens in the ingest consumer's mapping,
 * where drift is recorded instead of refused.
 */
// valibot's record accepts arrays; an envelope field that must be an object must not be one.
const ObjectRecord = v.custom<Record<string, unknown>>(
  (x) => typeof x === "object" && x !== null && !Array.isArray(x),
  "must be an object, not an array",
);

const StandardBody = v.looseObject({ type: v.string(), data: v.unknown() });
const FollowUpBossBody = v.looseObject({ event: v.string(), eventId: v.optional(v.string()), resourceIds: v.optional(v.array(v.unknown())) });
const DotloopBody = v.looseObject({ eventType: v.string(), eventId: v.optional(v.string()), event: v.optional(ObjectRecord) });
const QuickBooksLegacy = v.looseObject({ eventNotifications: v.array(ObjectRecord) });
const QuickBooksCloudEvents = v.pipe(v.array(v.looseObject({ id: v.string(), type: v.string() })), v.minLength(1));
const EntityEvent = v.looseObject({ ResourceName: v.string(), ResourceRecordKey: v.union([v.string(), v.number()]) });
const EntityEventBody = v.union([EntityEvent, v.looseObject({ value: v.pipe(v.array(EntityEvent), v.minLength(1)) })]);
const DocuSignBody = v.looseObject({ event: v.string(), data: v.optional(ObjectRecord) });

const ENVELOPES: Record<SourceName, v.GenericSchema> = {
  standard: StandardBody,
  zillow: StandardBody,
  realtor: StandardBody,
  idx: StandardBody,
  followupboss: FollowUpBossBody,
  dotloop: DotloopBody,
  quickbooks: v.union([QuickBooksLegacy, QuickBooksCloudEvents]),
  docusign: DocuSignBody,
  reso: EntityEventBody,
};

export type EnvelopeCheck = { ok: true; eventType: string } | { ok: false; detail: string };

/** Checks a parsed body against its source's envelope and names the event it carries. */
export function checkEnvelope(source: SourceName, body: unknown): EnvelopeCheck {
  const r = v.safeParse(ENVELOPES[source], body);
  if (!r.success) {
    const issue = r.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    return { ok: false, detail: `${path ? `${path}: ` : ""}${issue?.message ?? "unexpected shape"}` };
  }
  return { ok: true, eventType: eventTypeOf(body) };
}

function eventTypeOf(body: unknown): string {
  if (Array.isArray(body)) return String((body[0] as { type?: unknown } | undefined)?.type ?? "cloudevents");
  const b = body as Record<string, unknown>;
  for (const k of ["type", "event", "eventType"]) if (typeof b[k] === "string") return b[k];
  if ("ResourceName" in b || "value" in b) return "EntityEvent";
  return "eventNotifications" in b ? "dataChangeEvent" : "unknown";
}
