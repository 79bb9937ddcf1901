/**
 * Draft → canonical event: wraps mapped data in the envelope, enforces the record-level rules
 * (a person needs identity, a participant needs a person, a property needs an address or MLS id)
 * and validates the result against the canonical schema, so nothing half-mapped leaves here.
 */
import { CanonicalEvent, type EventType, type SubjectKind } from "../canonical";
import type { Draft } from "./engine";
import { maskSample } from "./mask";
import { getAll, isObject, parsePath, type Json } from "./path";
import type { FieldMap, MapContext, MapErrorCode, MapIssue } from "./types";

export type Built = { ok: true; event: CanonicalEvent } | { ok: false; code: MapErrorCode; reason: string };

/** Which subject kind a vendor resource name stands for. */
const RESOURCE_KIND: Readonly<Record<string, SubjectKind>> = {
  person: "person",
  contact: "person",
  customer: "person",
  deal: "deal",
  loop: "transaction",
  sale: "transaction",
  listing: "transaction",
  invoice: "invoice",
  envelope: "document",
  document: "document",
};

function hasIdentity(person: unknown): boolean {
  if (!isObject(person)) return false;
  const emails = Array.isArray(person.emails) ? person.emails.length : 0;
  const phones = Array.isArray(person.phones) ? person.phones.length : 0;
  return emails + phones > 0;
}

function personLabel(person: unknown): string {
  if (!isObject(person)) return "absent";
  return maskSample([person.firstName, person.lastName].filter(Boolean).join(" ") || "unnamed");
}

/** A property that names neither an address nor an MLS id cannot be matched; drop it. */
function checkProperty(holder: Json, field: string, issues: MapIssue[]): void {
  const p = holder.property;
  if (p === undefined) return;
  if (isObject(p) && (p.address !== undefined || p.mlsId !== undefined)) return;
  delete holder.property;
  const sample = maskSample(p);
  issues.push({ code: "property_unidentified", field, sample, message: `property_unidentified: ${sample} dropped` });
}

/** Participants without a reachable person are dropped, never passed on half-formed. */
function checkDeal(deal: unknown, field: string, issues: MapIssue[]): void {
  if (!isObject(deal)) return;
  checkProperty(deal, `${field}.property`, issues);
  if (!Array.isArray(deal.participants)) return;
  deal.participants = deal.participants.filter((p: unknown) => {
    if (isObject(p) && (p.personRef !== undefined || hasIdentity(p.person))) {
      if (isObject(p) && p.person !== undefined && !hasIdentity(p.person)) delete p.person;
      return true;
    }
    const sample = isObject(p) ? personLabel(p.person) : "absent";
    issues.push({
      code: "participant_no_identity",
      field: `${field}.participants[]`,
      sample,
      message: `participant_no_identity: ${sample} dropped`,
    });
    return false;
  });
}

function eventType(map: FieldMap, data: Json): EventType {
  for (const w of map.eventWhen ?? []) {
    if (getAll(data, parsePath(w.path)).hits.some((h) => h.value === w.equals)) return w.event;
  }
  return map.event;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;
}

/** Builds and validates the event for one draft; `index` keeps ids unique within a delivery. */
export function buildEvent(map: FieldMap, draft: Draft, ctx: MapContext, index: number): Built {
  const { data, meta, issues } = draft;
  const type = eventType(map, data);
  if (type === "lead.received" || type === "person.upserted") {
    if (!hasIdentity(data.person)) {
      const dropped = issues.filter((i) => /^(email|phone)_invalid/.test(i.code)).map((i) => i.message);
      const why = dropped.length > 0 ? `; dropped: ${dropped.join("; ")}` : "";
      return { ok: false, code: "no_identity", reason: `person has no valid email or phone${why}` };
    }
    checkProperty(data, "property", issues);
  }
  if (isObject(data.deal)) checkDeal(data.deal, "deal", issues);
  if (isObject(data.transaction)) checkDeal(data.transaction, "transaction", issues);
  const ids = Array.isArray(data.ids) ? data.ids : [];
  const subjectId = str(meta.subjectId) ?? (ids.length === 1 ? str(ids[0]) : undefined);
  const kind = map.subject === "resource" ? (RESOURCE_KIND[String(data.resource)] ?? "other") : map.subject;
  const candidate = {
    id: `${ctx.deliveryId}:${map.name}:${index}`,
    schemaVersion: 1,
    type,
    occurredAt: str(meta.occurredAt) ?? new Date(ctx.receivedAt).toISOString(),
    receivedAt: new Date(ctx.receivedAt).toISOString(),
    source: {
      system: map.system,
      deliveryId: ctx.deliveryId,
      ...(str(meta.account) ? { account: str(meta.account) } : {}),
      ...(str(meta.externalId) ? { externalId: str(meta.externalId) } : {}),
    },
    subject: { kind, ...(subjectId ? { externalId: subjectId } : {}) },
    data,
  };
  const parsed = CanonicalEvent.safeParse(candidate);
  if (parsed.success) return { ok: true, event: parsed.data };
  const first = parsed.error.issues[0];
  const where = first ? first.path.map(String).join(".") : "";
  return { ok: false, code: "canonical_invalid", reason: `${map.name}: ${where || "(root)"}: ${first?.message ?? "invalid"}` };
}
