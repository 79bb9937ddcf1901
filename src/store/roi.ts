/** D1 aggregates behind the lead-source ROI report, grouped by lead source and period. */

export type RoiPeriod = "day" | "week" | "month";

/** The four measures the report folds together. */
export type RoiMeasure = "leads" | "contacts" | "deals" | "closed";

/** One measure's count for one (source, period); closed deals also carry their volume and GCI. */
export interface RoiRow {
  source: string | null;
  period: string;
  n: number;
  volume?: number | null;
  gci?: number | null;
}

const FORMATS: Record<RoiPeriod, string> = { day: "%Y-%m-%d", week: "%Y-W%W", month: "%Y-%m" };

/**
 * Leads are lead.received events, attributed through the person the CRM consumer matched them to
 * (its trace on the same delivery); before that match, to the lead's own source name or system.
 * Contacts are golden people created (not merged away). Deals by creation, closed deals by close.
 */
function statements(db: D1Database, from: number, to: number, fmt: string): Array<[RoiMeasure, D1PreparedStatement]> {
  const bucket = (col: string) => `strftime(?3, ${col} / 1000, 'unixepoch')`;
  return [
    [
      "leads",
      db
        .prepare(
          `SELECT COALESCE(` +
            ` (SELECT p.lead_source FROM traces t JOIN people p ON p.id = t.subject WHERE t.delivery_id = e.delivery_id AND p.lead_source IS NOT NULL LIMIT 1),` +
            ` json_extract(e.data, '$.person.leadSource.name'), e.source_system) AS source,` +
            ` ${bucket("e.recorded_at")} AS period, COUNT(*) AS n` +
            ` FROM events e WHERE e.type = 'lead.received' AND e.recorded_at >= ?1 AND e.recorded_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "contacts",
      db
        .prepare(
          `SELECT lead_source AS source, ${bucket("created_at")} AS period, COUNT(*) AS n FROM people` +
            ` WHERE merged_into IS NULL AND created_at >= ?1 AND created_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "deals",
      db
        .prepare(
          `SELECT COALESCE(d.lead_source, p.lead_source) AS source, ${bucket("d.created_at")} AS period, COUNT(*) AS n` +
            ` FROM deals d LEFT JOIN people p ON p.id = d.person_id WHERE d.created_at >= ?1 AND d.created_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "closed",
      db
        .prepare(
          `SELECT COALESCE(d.lead_source, p.lead_source) AS source, ${bucket("d.closed_at")} AS period, COUNT(*) AS n,` +
            ` SUM(COALESCE(d.price_cents, 0)) AS volume, SUM(COALESCE(d.gci_cents, 0)) AS gci` +
            ` FROM deals d LEFT JOIN people p ON p.id = d.person_id WHERE d.closed_at >= ?1 AND d.closed_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
  ];
}

/** Each measure's rows for [from, to] (epoch ms, inclusive), bucketed by `period`, read together. */
export async function roiMeasures(db: D1Database, from: number, to: number, period: RoiPeriod): Promise<Array<[RoiMeasure, RoiRow[]]>> {
  const stmts = statements(db, from, to, FORMATS[period]);
  const results = await db.batch<RoiRow>(stmts.map(([, s]) => s));
  return stmts.map(([m], i) => [m, results[i]?.results ?? []]);
}
