/** D1 access for webhook deliveries: the once-only record behind the KV fast path. */

export interface DeliveryRow {
  id: string;
  source: string;
  delivery_key: string;
  event_type: string | null;
  received_at: number;
  recorded_at: number;
  status: string;
  status_detail: string | null;
  payload: string | null;
}

/**
 * Records a delivery and its RECEIVED trace together. Returns `inserted: false` when the same
 * (source, delivery key) is already recorded, with the stored row so the caller can resume
 * work a crash interrupted (status still `received`).
 */
export async function recordDelivery(
  db: D1Database,
  d: { id: string; source: string; deliveryKey: string; eventType?: string; receivedAt: number; payload: string },
  now: number,
): Promise<{ inserted: boolean; row: DeliveryRow }> {
  // The row is read back in the same batch (one round trip, one transaction): whether this
  // call inserted it or an earlier copy did, it is the row as stored.
  const [ins, , read] = await db.batch<DeliveryRow>([
    db
      .prepare(
        `INSERT INTO deliveries (id, source, delivery_key, event_type, received_at, recorded_at, payload)` +
          ` VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (source, delivery_key) DO NOTHING`,
      )
      .bind(d.id, d.source, d.deliveryKey, d.eventType ?? null, d.receivedAt, now, d.payload),
    db
      .prepare(
        `INSERT INTO traces (subject, delivery_id, stage, outcome, detail, at)` +
          ` SELECT ?1, ?1, 'RECEIVED', 'ok', ?2, ?3 WHERE changes() > 0`,
      )
      .bind(d.id, d.source, now),
    byKeyStatement(db, d.source, d.deliveryKey),
  ]);
  const inserted = (ins?.meta.changes ?? 0) > 0;
  const row = read?.results[0];
  if (!row) throw new Error("delivery row missing after insert");
  return { inserted, row };
}

/**
 * Marks how a delivery ended in the ingest stage (normalized or rejected, with the reason), as a
 * statement to commit with the rest of that ending (its trace, the spool row it no longer needs).
 */
export function deliveryStatusStatement(
  db: D1Database,
  id: string,
  status: "normalized" | "rejected",
  detail?: string,
): D1PreparedStatement {
  return db.prepare(`UPDATE deliveries SET status = ?2, status_detail = ?3 WHERE id = ?1`).bind(id, status, detail ?? null);
}

function byKeyStatement(db: D1Database, source: string, deliveryKey: string): D1PreparedStatement {
  return db.prepare(`SELECT * FROM deliveries WHERE source = ?1 AND delivery_key = ?2`).bind(source, deliveryKey);
}

/** The recorded delivery of a (source, delivery key), if any. */
export async function findDelivery(db: D1Database, source: string, deliveryKey: string): Promise<DeliveryRow | null> {
  return byKeyStatement(db, source, deliveryKey).first<DeliveryRow>();
}

export async function getDelivery(db: D1Database, id: string): Promise<DeliveryRow | null> {
  return db.prepare(`SELECT * FROM deliveries WHERE id = ?1`).bind(id).first<DeliveryRow>();
}
