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
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, subject_ext_id, occurred_at, received_at, data, recorded_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(e.id, e.type, e.deliveryId, e.sourceSystem, e.subjectKind, e.subjectExtId ?? null, e.occurredAt, e.receivedAt, JSON.stringify(e.data), now);
}

export async function eventsOfDelivery(db: D1Database, deliveryId: string): Promise<Array<{ id: string; type: string; data: string | null }>> {
  const { results } = await db
    .prepare(`SELECT id, type, data FROM events WHERE delivery_id = ?1 ORDER BY id`)
    .bind(deliveryId)
    .all<{ id: string; type: string; data: string | null }>();
  return results;
}
