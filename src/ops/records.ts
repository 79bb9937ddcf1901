import type { DealRow } from "../store/deals";
import type { LinkRow } from "../store/links";
import { parseFields, type PersonRow } from "../store/people";
import type { TraceRow } from "../store/traces";

/** Read models for finding golden records and following them through their traces. */

const TIMELINE_LIMIT = 500;

/** Likely E.164 form of what someone typed as a phone (US numbers without +1 too). */
export function phoneGuess(q: string): string | null {
  const digits = q.replace(/\D/g, "");
  if (digits.length < 7 || /[a-z@]/i.test(q)) return null;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function personView(p: PersonRow) {
  return {
    id: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    email: p.email,
    phone: p.phone,
    leadSource: p.lead_source,
    leadSystem: p.lead_system,
    mergedInto: p.merged_into,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

function dealView(d: DealRow) {
  return {
    id: d.id,
    personId: d.person_id,
    name: d.name,
    stage: d.stage,
    priceCents: d.price_cents,
    gciCents: d.gci_cents,
    leadSource: d.lead_source,
    closedAt: d.closed_at,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

function linkView(l: LinkRow) {
  return { system: l.system, kind: l.kind, externalId: l.external_id, canonicalId: l.canonical_id, connection: l.connection, createdAt: l.created_at };
}

async function linksFor(db: D1Database, ids: string[]): Promise<Map<string, ReturnType<typeof linkView>[]>> {
  const out = new Map<string, ReturnType<typeof linkView>[]>();
  if (ids.length === 0) return out;
  const { results } = await db
    .prepare(`SELECT * FROM links WHERE canonical_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at`)
    .bind(JSON.stringify(ids))
    .all<LinkRow>();
  for (const l of results) out.set(l.canonical_id, [...(out.get(l.canonical_id) ?? []), linkView(l)]);
  return out;
}

/**
 * Finds people and deals by email, phone, name, canonical id or any system's id. Exact keys
 * (identity keys, links) are matched exactly; names and emails also by substring.
 */
export async function searchRecords(db: D1Database, query: string, limit = 25) {
  const q = query.trim();
  const like = likePattern(q);
  const { results: people } = await db
    .prepare(
      `SELECT * FROM people WHERE id = ?1
         OR id IN (SELECT person_id FROM person_keys WHERE (kind = 'email' AND value = ?2) OR (kind = 'phone' AND value = ?3))
         OR id IN (SELECT canonical_id FROM links WHERE external_id = ?1 AND kind = 'person')
         OR phone = ?3 OR email LIKE ?4 ESCAPE '\\'
         OR (COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) LIKE ?4 ESCAPE '\\'
       ORDER BY updated_at DESC LIMIT ?5`,
    )
    .bind(q, q.toLowerCase(), phoneGuess(q), like, limit)
    .all<PersonRow>();
  const { results: deals } = await db
    .prepare(
      `SELECT * FROM deals WHERE id = ?1
         OR id IN (SELECT canonical_id FROM links WHERE external_id = ?1 AND kind IN ('deal', 'transaction', 'invoice'))
         OR name LIKE ?2 ESCAPE '\\' OR person_id IN (SELECT value FROM json_each(?3))
       ORDER BY updated_at DESC LIMIT ?4`,
    )
    .bind(q, like, JSON.stringify(people.map((p) => p.id)), limit)
    .all<DealRow>();
  const links = await linksFor(db, [...people.map((p) => p.id), ...deals.map((d) => d.id)]);
  return {
    people: people.map((p) => ({ ...personView(p), links: links.get(p.id) ?? [] })),
    deals: deals.map((d) => ({ ...dealView(d), links: links.get(d.id) ?? [] })),
  };
}
export type SearchResult = Awaited<ReturnType<typeof searchRecords>>;

function provenance(row: { fields: string }) {
  return Object.entries(parseFields(row)).map(([field, p]) => ({ field, value: p.value, system: p.system, at: p.at }));
}

/**
 * The trace timeline of a record: its own traces (and those of people merged into it), plus every
 * trace of the deliveries that produced its events, so the path from webhook to vendor reads in
 * one list.
 */
async function timeline(db: D1Database, subjects: string[]) {
  const s = JSON.stringify(subjects);
  const { results } = await db
    .prepare(
      `SELECT * FROM traces WHERE subject IN (SELECT value FROM json_each(?1))
          OR delivery_id IN (SELECT DISTINCT delivery_id FROM traces WHERE subject IN (SELECT value FROM json_each(?1)) AND delivery_id IS NOT NULL)
       ORDER BY at, id LIMIT ?2`,
    )
    .bind(s, TIMELINE_LIMIT)
    .all<TraceRow>();
  const deliveries = [...new Set(results.map((t) => t.delivery_id).filter((d): d is string => d !== null))];
  const { results: events } = await db
    .prepare(
      `SELECT id, type, delivery_id AS deliveryId, source_system AS sourceSystem, occurred_at AS occurredAt, recorded_at AS recordedAt
       FROM events WHERE delivery_id IN (SELECT value FROM json_each(?1)) ORDER BY recorded_at, id`,
    )
    .bind(JSON.stringify(deliveries))
    .all<{ id: string; type: string; deliveryId: string; sourceSystem: string; occurredAt: string; recordedAt: number }>();
  return {
    traces: results.map((t) => ({ id: t.id, subject: t.subject, deliveryId: t.delivery_id, stage: t.stage, outcome: t.outcome, detail: t.detail, at: t.at })),
    events,
  };
}

/** A golden person or deal with field provenance, links and its trace timeline; null if unknown. */
export async function recordDetail(db: D1Database, id: string) {
  const person = await db.prepare(`SELECT * FROM people WHERE id = ?1`).bind(id).first<PersonRow>();
  if (person) {
    const [{ results: mergedFrom }, { results: keys }, { results: deals }] = await Promise.all([
      db.prepare(`SELECT id FROM people WHERE merged_into = ?1`).bind(id).all<{ id: string }>(),
      db.prepare(`SELECT kind, value FROM person_keys WHERE person_id = ?1 ORDER BY kind, value`).bind(id).all<{ kind: string; value: string }>(),
      db.prepare(`SELECT * FROM deals WHERE person_id = ?1 ORDER BY created_at`).bind(id).all<DealRow>(),
    ]);
    const subjects = [id, ...mergedFrom.map((m) => m.id)];
    const links = await linksFor(db, [id]);
    return {
      kind: "person" as const,
      record: personView(person),
      fields: provenance(person),
      keys,
      mergedFrom: mergedFrom.map((m) => m.id),
      deals: deals.map(dealView),
      links: links.get(id) ?? [],
      ...(await timeline(db, subjects)),
    };
  }
  const deal = await db.prepare(`SELECT * FROM deals WHERE id = ?1`).bind(id).first<DealRow>();
  if (!deal) return null;
  const links = await linksFor(db, [id]);
  return {
    kind: "deal" as const,
    record: dealView(deal),
    fields: provenance(deal),
    keys: [],
    mergedFrom: [],
    deals: [],
    links: links.get(id) ?? [],
    ...(await timeline(db, [id])),
  };
}
export type RecordDetail = NonNullable<Awaited<ReturnType<typeof recordDetail>>>;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One canonical event with its data (PII: shown to operators, never logged). */
export async function eventDetail(db: D1Database, id: string) {
  const row = await db
    .prepare(`SELECT * FROM events WHERE id = ?1`)
    .bind(id)
    .first<{ id: string; type: string; delivery_id: string; source_system: string; subject_kind: string; subject_ext_id: string | null; occurred_at: string; received_at: string; data: string | null; recorded_at: number }>();
  if (!row) return null;
  const { results: applied } = await db
    .prepare(`SELECT action, result, at FROM applied_actions WHERE event_id = ?1 ORDER BY at`)
    .bind(id)
    .all<{ action: string; result: string | null; at: number }>();
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
  const row = await db
    .prepare(`SELECT * FROM deliveries WHERE id = ?1`)
    .bind(id)
    .first<{ id: string; source: string; delivery_key: string; event_type: string | null; received_at: number; recorded_at: number; status: string; status_detail: string | null; payload: string | null }>();
  if (!row) return null;
  const [{ results: events }, { results: traces }] = await Promise.all([
    db.prepare(`SELECT id, type, subject_kind AS subjectKind, subject_ext_id AS subjectExtId FROM events WHERE delivery_id = ?1 ORDER BY id`).bind(id).all<{ id: string; type: string; subjectKind: string; subjectExtId: string | null }>(),
    db.prepare(`SELECT * FROM traces WHERE delivery_id = ?1 OR subject = ?1 ORDER BY at, id`).bind(id).all<TraceRow>(),
  ]);
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
