import * as z from "../../lib/zod";
import type { SourceName } from "../../canonical/primitives";
import { dotPath } from "../../lib/issue-path";

/**
 * Cheap envelope checks on the hot path: only the shape the intake needs (an id to dedupe on,
 * an event name to record). Field-level validation happens in the ingest consumer's mapping,
 * where drift is recorded instead of refused. The schemas are built once per isolate.
 */
const ObjectRecord = z.custom<Record<string, unknown>>(
  (x) => typeof x === "object" && x !== null && !Array.isArray(x),
  "must be an object, not an array",
);
// Any JSON number (1e999 parses to Infinity, which z.number() would refuse) or string.
const RecordKey = z.custom<string | number>(
  (x) => typeof x === "string" || (typeof x === "number" && !Number.isNaN(x)),
  "expected a string or a number",
);

// Any value, but the key must be there (JSON has no undefined, so absent is the only undefined).
const Present = z.custom<unknown>((x) => x !== undefined, "required");

const StandardBody = z.looseObject({ type: z.string(), data: Present });
const FollowUpBossBody = z.looseObject({
  event: z.string(),
  eventId: z.optional(z.string()),
  resourceIds: z.optional(z.array(z.unknown())),
});
const DotloopBody = z.looseObject({ eventType: z.string(), eventId: z.optional(z.string()), event: z.optional(ObjectRecord) });
const QuickBooksLegacy = z.looseObject({ eventNotifications: z.array(ObjectRecord) });
const QuickBooksCloudEvents = z.array(z.looseObject({ id: z.string(), type: z.string() })).check(z.minLength(1));
const EntityEvent = z.looseObject({ ResourceName: z.string(), ResourceRecordKey: RecordKey });
const EntityEventBody = z.union([EntityEvent, z.looseObject({ value: z.array(EntityEvent).check(z.minLength(1)) })]);
const DocuSignBody = z.looseObject({ event: z.string(), data: z.optional(ObjectRecord) });

const ENVELOPES: Record<SourceName, z.ZodMiniType> = {
  standard: StandardBody,
  zillow: StandardBody,
  realtor: StandardBody,
  idx: StandardBody,
  followupboss: FollowUpBossBody,
  dotloop: DotloopBody,
  quickbooks: z.union([QuickBooksLegacy, QuickBooksCloudEvents]),
  docusign: DocuSignBody,
  reso: EntityEventBody,
};

export type EnvelopeCheck = { ok: true; eventType: string } | { ok: false; detail: string };

/** Checks a parsed body against its source's envelope and names the event it carries. */
export function checkEnvelope(source: SourceName, body: unknown): EnvelopeCheck {
  const r = ENVELOPES[source].safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue ? dotPath(issue.path) : "";
    return { ok: false, detail: `${path ? `${path}: ` : ""}${issue?.message ?? "unexpected shape"}` };
  }
  return { ok: true, eventType: eventTypeOf(body) };
}

/** The event's name, never empty: the queue message refuses an empty one, after the delivery was acknowledged. */
function eventTypeOf(body: unknown): string {
  if (Array.isArray(body)) return String((body[0] as { type?: unknown } | undefined)?.type || "cloudevents");
  const b = body as Record<string, unknown>;
  for (const k of ["type", "event", "eventType"]) if (typeof b[k] === "string" && b[k]) return b[k];
  if ("ResourceName" in b || "value" in b) return "EntityEvent";
  return "eventNotifications" in b ? "dataChangeEvent" : "unknown";
}
