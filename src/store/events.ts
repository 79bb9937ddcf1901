/** D1 access for canonical events: written once per id (ids are deterministic per delivery). */

export interface EventRowInput {
  id: string;
  type: string;
  deliveryId: string;
  sourceSystem: string;
  subjectKind: string;
  subjectExtId?: string;
  occurredAt: string;
  receivedAt: string;
  data: unknown;
}

export function insertEventStatement(db: D1Database, e: EventRowInput, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, subject_ext_id, occurred_at, received_at, data, recorded_at)` +
        ` VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      e.id,
      e.type,
      e.deliveryId,
      e.sourceSystem,
      e.subjectKind,
      e.subjectExtId ?? null,
      e.occurredAt,
      e.receivedAt,
      JSON.stringify(e.data),
      now,
    );
}

export interface EventRow {
  id: string;
  type: string;
  delivery_id: string;
  source_system: string;
  subject_kind: string;
  subject_ext_id: string | null;
  occurred_at: string;
  received_at: string;
  data: string | null;
  recorded_at: number;
}

export async function getEvent(db: D1Database, id: string): Promise<EventRow | null> {
  return db.prepare(`SELECT * FROM events WHERE id = ?1`).bind(id).first<EventRow>();
}

/** The events of these deliveries, in the order they were recorded, without their data. */
export async function eventsOfDeliveries(
  db: D1Database,
  deliveryIds: string[],
): Promise<Array<{ id: string; type: string; deliveryId: string; sourceSystem: string; occurredAt: string; recordedAt: number }>> {
  const { results } = await db
    .prepare(
      `SELECT id, type, delivery_id AS deliveryId, source_system AS sourceSystem, occurred_at AS occurredAt, recorded_at AS recordedAt` +
        ` FROM events WHERE delivery_id IN (SELECT value FROM json_each(?1)) ORDER BY recorded_at, id`,
    )
    .bind(JSON.stringify(deliveryIds))
    .all<{ id: string; type: string; deliveryId: string; sourceSystem: string; occurredAt: string; recordedAt: number }>();
  return results;
}

/** The subjects of one delivery's events, by id. */
export async function eventSubjectsOfDelivery(
  db: D1Database,
  deliveryId: string,
): Promise<Array<{ id: string; type: string; subjectKind: string; subjectExtId: string | null }>> {
  const { results } = await db
    .prepare(`SELECT id, type, subject_kind AS subjectKind, subject_ext_id AS subjectExtId FROM events WHERE delivery_id = ?1 ORDER BY id`)
    .bind(deliveryId)
    .all<{ id: string; type: string; subjectKind: string; subjectExtId: string | null }>();
  return results;
}

/**
 * Up to 200 leads recorded in (`recordedAfter`, `recordedBefore`) with their data, whose CRM step
 * never started or was claimed before `claimLapsedBefore` and never finished, and that were not
 * republished since `republishedSince`.
 */
export async function stalledLeads(
  db: D1Database,
  q: { recordedBefore: number; recordedAfter: number; claimLapsedBefore: number; republishedSince: number },
): Promise<Array<EventRow & { data: string }>> {
  const { results } = await db
    .prepare(
      `SELECT e.* FROM events e LEFT JOIN applied_actions a ON a.event_id = e.id AND a.action = 'crm.lead'` +
        ` LEFT JOIN applied_actions r ON r.event_id = e.id AND r.action = 'crm.lead.republished'` +
        ` WHERE e.type = 'lead.received' AND (a.event_id IS NULL OR (a.result IS NULL AND a.at < ?3))` +
        ` AND (r.event_id IS NULL OR r.at < ?4)` +
        ` AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.queue = 'crm' AND d.status <> 'replayed' AND json_extract(d.payload, '$.event.id') = e.id)` +
        ` AND e.recorded_at < ?1 AND e.recorded_at > ?2 AND e.data IS NOT NULL LIMIT 200`,
    )
    .bind(q.recordedBefore, q.recordedAfter, q.claimLapsedBefore, q.republishedSince)
    .all<EventRow & { data: string }>();
  return results;
}
