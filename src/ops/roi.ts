import { roiMeasures, type RoiMeasure, type RoiPeriod, type RoiRow } from "../store/roi";

/**
 * Lead-source ROI: per lead source and period, how many leads arrived, how many became new
 * contacts, deals, closed deals, closed volume and gross commission income. Everything is
 * attributed to the golden person's lead source (deals carry it from the person), so a repeat
 * lead counts for the source that first brought the person.
 */

export type { RoiPeriod };

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

const YEAR_MS = 365 * 86_400_000;

/** Ordinal comparison: the same order in every runtime, whatever its locale data. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function empty(leadSource: string, period: string): RoiCell {
  return { leadSource, period, leads: 0, contacts: 0, deals: 0, closedDeals: 0, closedVolumeCents: 0, gciCents: 0 };
}

/** Folds the four grouped measures into one row per (source, period), plus totals per source. */
export function combineRoi(measures: Array<[RoiMeasure, RoiRow[]]>): { rows: RoiCell[]; bySource: RoiCell[]; total: RoiCell } {
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
  const bySource = [...bySourceMap.values()].sort(
    (a, b) => b.gciCents - a.gciCents || b.leads - a.leads || byText(a.leadSource, b.leadSource),
  );
  return { rows, bySource, total };
}

/** The ROI report for [from, to] (epoch ms, inclusive; default the last 365 days). */
export async function roiReport(db: D1Database, q: { from?: number; to?: number; period: RoiPeriod }, now = Date.now()) {
  const to = q.to ?? now;
  const from = q.from ?? to - YEAR_MS;
  const combined = combineRoi(await roiMeasures(db, from, to, q.period));
  return { from, to, period: q.period, ...combined };
}
export type RoiReport = Awaited<ReturnType<typeof roiReport>>;
