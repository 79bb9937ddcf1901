import { parseJsonOr } from "../lib/json";
import { CorruptRecordError } from "../canonical/golden";
import { appliedActionsOf } from "../store/applied";
import { dealsOfPerson, getDeal, searchDeals } from "../store/deals";
import { getDelivery } from "../store/deliveries";
import { eventSubjectsOfDelivery, eventsOfDeliveries, getEvent } from "../store/events";
import { linksOfMany } from "../store/links";
import { containsPattern, getPerson, mergedInto, parseFields, personKeys, searchPeople } from "../store/people";
import { listTraces, subjectTimeline } from "../store/traces";
import { dealView, linkView, personView } from "./views";

/** Read models for finding golden records and following them through their traces. */

const TIMELINE_LIMIT = 500;

/** Likely E.164 form of what someone typed as a phone (US numbers without +1 too). */
export function phoneGuess(q: string): string | null {
  const digits = q.replace(/\D/g, "");
  if (digits.length < 7 || /[a-z@]/i.test(q)) return null;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}

async function linksFor(db: D1Database, ids: string[]): Promise<Map<string, ReturnType<typeof linkView>[]>> {
  const out = new Map<string, ReturnType<typeof linkView>[]>();
  for (const l of await linksOfMany(db, ids)) out.set(l.canonical_id, [...(out.get(l.canonical_id) ?? []), linkView(l)]);
  return out;
}

/**
 * Finds people and deals by email, phone, name, canonical id or any system's id. Exact keys
 * (identity keys, links) are matched exactly; names and emails also by substring.
 */
export async function searchRecords(db: D1Database, query: string, limit = 25) {
  const q = query.trim();
  const people = await searchPeople(db, { text: q, phone: phoneGuess(q), limit });
  const deals = await searchDeals(db, { text: q, namePattern: containsPattern(q), personIds: people.map((p) => p.id), limit });
  const links = await linksFor(db, [...people.map((p) => p.id), ...deals.map((d) => d.id)]);
  return {
    people: people.map((p) => ({ ...personView(p), links: links.get(p.id) ?? [] })),
    deals: deals.map((d) => ({ ...dealView(d), links: links.get(d.id) ?? [] })),
  };
}
export type SearchResult = Awaited<ReturnType<typeof searchRecords>>;

/** A record's fields with their provenance, or, for a corrupt stored record, why it is refused. */
function provenance(row: { id: string; fields: string }) {
  try {
    return {
      fields: Object.entries(parseFields(row)).map(([field, p]) => ({ field, value: p.value, system: p.system, at: p.at })),
      corrupt: null,
    };
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) throw err;
    return { fields: [], corrupt: { code: err.code, reason: err.message } };
  }
}

/**
 * The trace timeline of a record: its own traces (and those of people merged into it), plus every
 * trace of the deliveries that produced its events, so the path from webhook to vendor reads in
 * one list.
 */
async function timeline(db: D1Database, subjects: string[]) {
  const results = await subjectTimeline(db, subjects, TIMELINE_LIMIT);
  const deliveries = [...new Set(results.map((t) => t.delivery_id).filter((d): d is string => d !== null))];
  const events = await eventsOfDeliveries(db, deliveries);
  return {
    traces: results.map((t) => ({
      id: t.id,
      subject: t.subject,
      deliveryId: t.delivery_id,
      stage: t.stage,
      outcome: t.outcome,
      detail: t.detail,
      at: t.at,
    })),
    events,
  };
}

/** A golden person or deal with field provenance, links and its trace timeline; null if unknown. */
export async function recordDetail(db: D1Database, id: string) {
  const person = await getPerson(db, id);
  if (person) {
    const [mergedFrom, keys, deals] = await Promise.all([mergedInto(db, id), personKeys(db, id), dealsOfPerson(db, id)]);
    const subjects = [id, ...mergedFrom];
    const links = await linksFor(db, [id]);
    return {
      kind: "person" as const,
      record: personView(person),
      ...provenance(person),
      keys,
      mergedFrom,
      deals: deals.map(dealView),
      links: links.get(id) ?? [],
      ...(await timeline(db, subjects)),
    };
  }
  const deal = await getDeal(db, id);
  if (!deal) return null;
  const links = await linksFor(db, [id]);
  return {
    kind: "deal" as const,
    record: dealView(deal),
    ...provenance(deal),
    keys: [],
    mergedFrom: [],
    deals: [],
    links: links.get(id) ?? [],
    ...(await timeline(db, [id])),
  };
}
export type RecordDetail = NonNullable<Awaited<ReturnType<typeof recordDetail>>>;

/** A stored JSON column as its value, or as the text when it does not parse (null stays null). */
function parseJson(text: string | null): unknown {
  return text === null ? null : parseJsonOr(text, text);
}

/** One canonical event with its data (PII: shown to operators, never logged). */
export async function eventDetail(db: D1Database, id: string) {
  const row = await getEvent(db, id);
  if (!row) return null;
  const applied = await appliedActionsOf(db, id);
  return {
    id: row.id,
    type: row.type,
    deliveryId: row.delivery_id,
    sourceSystem: row.source_system,
    subject: { kind: row.subject_kind, externalId: row.subject_ext_id },
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    recordedAt: row.recorded_at,
    data: parseJson(row.data),
    purged: row.data === null,
    applied,
  };
}

/** One webhook delivery with its raw payload as received, its events and its traces. */
export async function deliveryDetail(db: D1Database, id: string) {
  const row = await getDelivery(db, id);
  if (!row) return null;
  const [events, traces] = await Promise.all([eventSubjectsOfDelivery(db, id), listTraces(db, id)]);
  return {
    id: row.id,
    source: row.source,
    deliveryKey: row.delivery_key,
    eventType: row.event_type,
    receivedAt: row.received_at,
    recordedAt: row.recorded_at,
    status: row.status,
    statusDetail: row.status_detail,
    payload: parseJson(row.payload),
    purged: row.payload === null,
    events,
    traces: traces.map((t) => ({ id: t.id, subject: t.subject, stage: t.stage, outcome: t.outcome, detail: t.detail, at: t.at })),
  };
}
export type DeliveryDetail = NonNullable<Awaited<ReturnType<typeof deliveryDetail>>>;
