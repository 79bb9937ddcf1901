/**
 * The `standard` source: a generic Standard Webhooks sender whose `type` is already a canonical
 * event type and whose `data` is that type's canonical `data`. Nothing is renamed; the body is
 * validated against the canonical schema, and keys the schema does not know are drift.
 */
import { CanonicalEvent, EventType, type SubjectKind } from "../canonical";
import { maskSample } from "./mask";
import { normalize } from "./normalizers";
import { isObject } from "./path";
import type { DriftRecord, FieldMap, MapContext, MapOutcome } from "./types";

const MAP: FieldMap = { name: "standard.event", system: "standard", event: "lead.received", subject: "other", rules: [] };

function subjectOf(type: EventType, data: Record<string, unknown>): { kind: SubjectKind; externalId?: string } {
  const idOf = (o: unknown): string | undefined => (isObject(o) && typeof o.id === "string" ? o.id : undefined);
  const [kind, id]: [SubjectKind, string | undefined] =
    type === "lead.received" || type === "person.upserted"
      ? ["person", idOf(data.person)]
      : type.startsWith("deal.")
        ? ["deal", idOf(data.deal)]
        : type.startsWith("transaction.")
          ? ["transaction", idOf(data.transaction)]
          : type === "document.signed"
            ? ["document", typeof data.envelopeId === "string" ? data.envelopeId : undefined]
            : type === "invoice.changed"
              ? ["invoice", undefined]
              : ["other", undefined];
  return id ? { kind, externalId: id } : { kind };
}

/** Keys in `input` that zod stripped from `output`: fields the canonical model does not have. */
function stripped(input: unknown, output: unknown, path: string, out: Array<[string, unknown]>): void {
  if (Array.isArray(input) && Array.isArray(output)) {
    for (const [i, el] of input.entries()) stripped(el, output[i], `${path}[]`, out);
  } else if (isObject(input) && isObject(output)) {
    for (const [k, v] of Object.entries(input)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in output)) out.push([p, v]);
      else stripped(v, output[k], p, out);
    }
  }
}

export function mapStandard(body: unknown, ctx: MapContext): MapOutcome {
  const seenAt = new Date(ctx.receivedAt).toISOString();
  const drift: DriftRecord[] = [];
  const fail = (code: "shape_unknown" | "type_unknown" | "no_identity" | "canonical_invalid", reason: string): MapOutcome => ({
    ok: false,
    code,
    reason,
    drift,
    issues: [],
  });
  if (!isObject(body) || !isObject(body.data)) return fail("shape_unknown", "standard: body must be {type, timestamp, data}");
  const type = EventType.safeParse(body.type);
  if (!type.success) return fail("type_unknown", `standard: type is not a canonical event type`);
  for (const key of Object.keys(body)) {
    if (!["type", "timestamp", "data"].includes(key))
      drift.push({ source: "standard", map: MAP.name, field: key, kind: "unknown_field", sample: maskSample(body[key]), seenAt });
  }
  const at = normalize(body.timestamp, { from: "timestamp", to: "$.occurredAt", norm: "instant" }, MAP);
  const candidate = {
    id: `${ctx.deliveryId}:${MAP.name}:0`,
    schemaVersion: 1,
    type: type.data,
    occurredAt: at.ok && typeof at.value === "string" ? at.value : seenAt,
    receivedAt: seenAt,
    source: { system: "standard", deliveryId: ctx.deliveryId },
    subject: subjectOf(type.data, body.data),
    data: body.data,
  };
  const parsed = CanonicalEvent.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.map(String).join(".") ?? "";
    // The Person schema's identity rule reports on `person.emails` with a custom issue.
    const noIdentity = parsed.error.issues.some((i) => i.code === "custom" && i.path.slice(-2).join(".") === "person.emails");
    return fail(noIdentity ? "no_identity" : "canonical_invalid", `standard: ${where || "(root)"}: ${first?.message ?? "invalid"}`);
  }
  const extra: Array<[string, unknown]> = [];
  stripped(body.data, parsed.data.data, "data", extra);
  for (const [field, v] of extra)
    drift.push({ source: "standard", map: MAP.name, field, kind: "unknown_field", sample: maskSample(v), seenAt });
  return { ok: true, events: [parsed.data], drift, issues: [] };
}
