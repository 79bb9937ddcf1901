/**
 * Lead-source ROI: per lead source and period, how many leads arrived, how many became new
 * contacts, deals, closed deals, closed volume and gross commission income. Everything is
 * attributed to the golden person's lead source (deals carry it from the person), so a repeat
 * lead counts for the source that first brought the person.
 */

export type RoiPeriod = "day" | "week" | "month";

export interface RoiCell {
  leadSource: string;
  period: string;
  leads: number;
  contacts: number;
  deals: number;
  closedDeals: number;
  closedVolumeCents: number;
  gciCents: number;
}

const FORMATS: Record<RoiPeriod, string> = { day: "%Y-%m-%d", week: "%Y-W%W", month: "%Y-%m" };
const YEAR_MS = 365 * 86_400_000;

type Measure = "leads" | "contacts" | "deals" | "closed";
interface Row {
  source: string | null;
  period: string;
  n: number;
  volume?: number | null;
  gci?: number | null;
}

/**
 * Leads are lead.received events, attributed through the person the CRM consumer matched them to
 * (its trace on the same delivery); before that match, to the lead's own source name or system.
 * Contacts are golden people created (not merged away). Deals by creation, closed deals by close.
 */
function statements(db: D1Database, from: number, to: number, fmt: string): Array<[Measure, D1PreparedStatement]> {
  const bucket = (col: string) => `strftime(?3, ${col} / 1000, 'unixepoch')`;
  return [
    [
      "leads",
      db
        .prepare(
          `SELECT COALESCE(
             (SELECT p.lead_source FROM traces t JOIN people p ON p.id = t.subject WHERE t.delivery_id = e.delivery_id AND p.lead_source IS NOT NULL LIMIT 1),
             json_extract(e.data, '$.person.leadSource.name'), e.source_system) AS source,
             ${bucket("e.recorded_at")} AS period, COUNT(*) AS n
           FROM events e WHERE e.type = 'lead.received' AND e.recorded_at >= ?1 AND e.recorded_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "contacts",
      db
        .prepare(
          `SELECT lead_source AS source, ${bucket("created_at")} AS period, COUNT(*) AS n FROM people
           WHERE merged_into IS NULL AND created_at >= ?1 AND created_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "deals",
      db
        .prepare(
          `SELECT COALESCE(d.lead_source, p.lead_source) AS source, ${bucket("d.created_at")} AS period, COUNT(*) AS n
           FROM deals d LEFT JOIN people p ON p.id = d.person_id WHERE d.created_at >= ?1 AND d.created_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
    [
      "closed",
      db
        .prepare(
          `SELECT COALESCE(d.lead_source, p.lead_source) AS source, ${bucket("d.closed_at")} AS period, COUNT(*) AS n,
             SUM(COALESCE(d.price_cents, 0)) AS volume, SUM(COALESCE(d.gci_cents, 0)) AS gci
           FROM deals d LEFT JOIN people p ON p.id = d.person_id WHERE d.closed_at >= ?1 AND d.closed_at <= ?2 GROUP BY source, period`,
        )
        .bind(from, to, fmt),
    ],
  ];
}

/** Ordinal comparison: the same order in every runtime, whatever its locale data. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function empty(leadSource: string, period: string): RoiCell {
  return { leadSource, period, leads: 0, contacts: 0, deals: 0, closedDeals: 0, closedVolumeCents: 0, gciCents: 0 };
}

/** Folds the four grouped measures into one row per (source, period), plus totals per source. */
export function combineRoi(measures: Array<[Measure, Row[]]>): { rows: RoiCell[]; bySource: RoiCell[]; total: RoiCell } {
  const cells = new Map<string, RoiCell>();
  for (const [measure, rows] of measures) {
    for (const r of rows) {
      const source = r.source ?? "unknown";
      const key = `${r.period}\u0000${source}`;
      const cell = cells.get(key) ?? empty(source, r.period);
      if (measure === "leads") cell.leads += r.n;
      else if (measure === "contacts") cell.contacts += r.n;
      else if (measure === "deals") cell.deals += r.n;
      else {
        cell.closedDeals += r.n;
        cell.closedVolumeCents += r.volume ?? 0;
        cell.gciCents += r.gci ?? 0;
      }
      cells.set(key, cell);
    }
  }
  const rows = [...cells.values()].sort((a, b) => byText(a.period, b.period) || byText(a.leadSource, b.leadSource));
  const bySourceMap = new Map<string, RoiCell>();
  const total = empty("all", "all");
  for (const c of rows) {
    const s = bySourceMap.get(c.leadSource) ?? empty(c.leadSource, "all");
    for (const t of [s, total]) {
      t.leads += c.leads;
      t.contacts += c.contacts;
      t.deals += c.deals;
      t.closedDeals += c.closedDeals;
      t.closedVolumeCents += c.closedVolumeCents;
      t.gciCents += c.gciCents;
    }
    bySourceMap.set(c.leadSource, s);
  }
  const bySource = [...bySourceMap.values()].sort((a, b) => b.gciCents - a.gciCents || b.leads - a.leads || byText(a.leadSource, b.leadSource));
  return { rows, bySource, total };
}

/** The ROI report for [from, to] (epoch ms, inclusive; default the last 365 days). */
export async function roiReport(db: D1Database, q: { from?: number; to?: number; period: RoiPeriod }, now = Date.now()) {
  const to = q.to ?? now;
  const from = q.from ?? to - YEAR_MS;
  const stmts = statements(db, from, to, FORMATS[q.period]);
  const results = await db.batch<Row>(stmts.map(([, s]) => s));
  const combined = combineRoi(stmts.map(([m], i) => [m, results[i]?.results ?? []]));
  return { from, to, period: q.period, ...combined };
}
export type RoiReport = Awaited<ReturnType<typeof roiReport>>;
