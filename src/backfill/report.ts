/**
 * The backfill's status (phase, counts, estimate of the time left) and its reconciliation report
 * (matched, ambiguous, conflicting and unmatched, with the rows), as JSON, Markdown and CSV.
 */
import { csvCell } from "../lib/csv";
import {
  PHASES,
  countItems,
  getRun,
  latestRun,
  listItems,
  progressOf,
  touchedCounts,
  touchedSystems,
  type ItemRow,
  type Phase,
  type Progress,
  type RunRow,
} from "../store/backfill";
import { listReads, type ReadRow } from "../store/backfill-reads";

/** Seconds left, from each unfinished import phase's own rate; null until there is a rate to go by. */
export function estimateSeconds(progress: Progress, phase: Phase, now: number): number | null {
  if (phase === "done") return 0;
  let seconds = 0;
  let known = false;
  for (const p of PHASES) {
    const s = progress[p];
    if (!s || s.doneAt || s.skipped || p === "match" || p === "done") continue;
    if (s.total === null || !s.startedAt || s.records === 0) continue;
    const rate = s.records / Math.max(1, now - s.startedAt); // records per ms
    seconds += Math.max(0, s.total - s.records) / rate / 1000;
    known = true;
  }
  return known ? Math.round(seconds) : null;
}

export function statusOf(run: RunRow, now: number) {
  const progress = progressOf(run);
  const records = Object.values(progress).reduce((n, p) => n + p.records, 0);
  // Each phase that runs is an equal share of the bar; the running one counts by its own total.
  const phases = PHASES.filter((p) => p !== "done" && !progress[p]?.skipped);
  const finished = phases.filter((p) => progress[p]?.doneAt).length;
  const current = progress[run.phase];
  const partial = current && !current.doneAt && current.total ? Math.min(1, current.records / current.total) : 0;
  return {
    id: run.id,
    status: run.status,
    phase: run.phase,
    pages: run.page,
    records,
    /** How far the run is, phase by phase (1 when it is done). */
    share: run.status === "done" ? 1 : phases.length ? Math.min(0.999, (finished + partial) / phases.length) : 0,
    etaSeconds: run.status === "done" ? 0 : estimateSeconds(progress, run.phase, now),
    progress,
    error: run.error,
    startedAt: run.started_at,
    updatedAt: run.updated_at,
    finishedAt: run.finished_at,
    appliedAt: run.applied_at,
  };
}
export type BackfillStatus = ReturnType<typeof statusOf>;

/**
 * Seconds until the slowest reader still reading is done, at its own pace so far (its vendor's
 * limit, for a long read); null when none has a pace yet. The linker follows its readers, so the
 * run cannot end before they do: Dotloop's 100 calls a minute outlast the CRM's 20,000 people.
 */
export function readersSeconds(rows: Array<Pick<ReadRow, "status" | "records" | "total" | "started_at">>, now: number): number | null {
  let longest: number | null = null;
  for (const r of rows) {
    if (r.status !== "reading" || r.total === null || !r.started_at || r.records === 0) continue;
    const rate = r.records / Math.max(1, now - r.started_at); // records per ms
    const seconds = Math.max(0, r.total - r.records) / rate / 1000;
    longest = Math.max(longest ?? 0, seconds);
  }
  return longest === null ? null : Math.round(longest);
}

/** Each reader's progress: pages staged, vendor calls, when its first call and its last page were. */
export function readsOf(rows: ReadRow[]) {
  return Object.fromEntries(
    rows.map((r) => [
      r.phase,
      {
        status: r.status,
        pages: r.seq,
        records: r.records,
        calls: r.calls,
        total: r.total,
        bytesMax: r.bytes_max,
        startedAt: r.started_at,
        doneAt: r.done_at,
        ...(r.reason ? { skipped: r.reason } : {}),
      },
    ]),
  );
}

export async function backfillStatus(
  db: D1Database,
  id: string | null,
  now: number,
): Promise<(BackfillStatus & { reads: ReturnType<typeof readsOf> }) | null> {
  const run = id ? await getRun(db, id) : await latestRun(db);
  if (!run) return null;
  const status = statusOf(run, now);
  const reads = await listReads(db, run.id);
  const reading = status.status === "running" ? readersSeconds(reads, now) : null;
  const etaSeconds = reading === null ? status.etaSeconds : Math.max(reading, status.etaSeconds ?? 0);
  return { ...status, etaSeconds, reads: readsOf(reads) };
}

function parsed(row: ItemRow): Record<string, unknown> {
  try {
    return JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The report before any run: every count zero, no rows. */
const empty = (limit: number) => ({
  run: null,
  counts: {
    matched: 0,
    ambiguous: 0,
    conflicting: 0,
    unmatched: 0,
    people: { matched: 0, unmatched: 0, unkeyed: 0 },
    deals: { matched: 0, unmatched: 0 },
    writebacks: 0,
  },
  ambiguous: [],
  conflicts: [],
  unmatched: [],
  writebacks: [] as Array<{ deal: string; system: string; externalId: string }>,
  limit,
  truncated: { conflicts: false, ambiguous: false, unmatched: false, writebacks: false },
});

/**
 * The reconciliation report of a run (`limit` rows per section); the latest run's when `id` is
 * null. A section cut at `limit` says so in `truncated`: its count is of records, not of rows (a
 * record may have several conflicting fields), so the two cannot tell it.
 */
export async function backfillReport(db: D1Database, id: string | null, limit = 200) {
  const run = id ? await getRun(db, id) : await latestRun(db);
  if (!run) return id ? null : empty(limit);
  // One row past the limit tells a cut section from one that fits exactly.
  const [people, deals, items, ambiguousRows, conflictRows, writebackRows, unmatchedPeople, unmatchedDeals, unkeyedRows] =
    await Promise.all([
      touchedCounts(db, run.id, "person"),
      touchedCounts(db, run.id, "deal"),
      countItems(db, run.id),
      listItems(db, run.id, "ambiguous", limit + 1),
      listItems(db, run.id, "conflict", limit + 1),
      listItems(db, run.id, "writeback", limit + 1),
      touchedSystems(db, run.id, "person", limit + 1, true),
      touchedSystems(db, run.id, "deal", limit + 1, true),
      listItems(db, run.id, "unkeyed", limit + 1),
    ]);
  const cut = <T>(rows: T[]) => rows.slice(0, limit);
  const ambiguous = cut(ambiguousRows);
  const conflicts = cut(conflictRows);
  const writebacks = cut(writebackRows);
  return {
    run: statusOf(run, Date.now()) as BackfillStatus | null,
    counts: {
      matched: people.matched + deals.matched,
      ambiguous: items.ambiguous,
      conflicting: items.conflict,
      unmatched: people.unmatched + deals.unmatched + items.unkeyed,
      people: { ...people, unkeyed: items.unkeyed },
      deals,
      writebacks: items.writeback,
    },
    ambiguous: ambiguous.map((r) => ({ subject: r.subject, other: r.field || null, ...parsed(r) })),
    conflicts: conflicts.map((r) => {
      const d = parsed(r) as {
        golden?: { value: unknown; system: string; at: string };
        incoming?: { value: unknown; system: string; at: string };
      };
      return { subject: r.subject, field: r.field.split("@")[0] ?? r.field, a: d.golden ?? null, b: d.incoming ?? null };
    }),
    unmatched: [
      ...cut(unmatchedPeople).map((r) => ({ kind: "person", id: r.id, records: r.systems })),
      ...cut(unmatchedDeals).map((r) => ({ kind: "deal", id: r.id, records: r.systems })),
      // No email or phone: no golden record (id null), the record alone.
      ...cut(unkeyedRows).map((r) => ({ kind: "person", id: null, records: r.subject })),
    ],
    writebacks: writebacks.map((r) => {
      const d = parsed(r);
      return { deal: r.subject, system: show(d.system ?? ""), externalId: show(d.externalId ?? "") };
    }),
    limit,
    truncated: {
      conflicts: conflictRows.length > limit,
      ambiguous: ambiguousRows.length > limit,
      unmatched: unmatchedPeople.length > limit || unmatchedDeals.length > limit || unkeyedRows.length > limit,
      writebacks: writebackRows.length > limit,
    },
  };
}
export type BackfillReport = NonNullable<Awaited<ReturnType<typeof backfillReport>>>;

const cell = (v: unknown) =>
  show(v ?? "")
    .replaceAll("|", "\\|")
    .replaceAll("\n", " ");

/** A section's last line when it was cut at the report's limit. */
const more = (r: BackfillReport, section: keyof BackfillReport["truncated"]) =>
  r.truncated[section] ? ["", `This list stops at its first ${r.limit} rows; there are more.`] : [];

export function reportMarkdown(r: BackfillReport): string {
  const c = r.counts;
  const lines = [
    r.run ? `# Backfill ${r.run.id} (${r.run.status})` : "# No backfill has run yet",
    "",
    "| matched | ambiguous | conflicting | unmatched | links to write back |",
    "|---:|---:|---:|---:|---:|",
    `| ${c.matched} | ${c.ambiguous} | ${c.conflicting} | ${c.unmatched} | ${c.writebacks} |`,
    "",
    `People: ${c.people.matched} in several systems, ${c.people.unmatched} in one, ${c.people.unkeyed} with no email or phone. Deals: ${c.deals.matched} in several systems, ${c.deals.unmatched} in one.`,
    "",
    "## Conflicts",
    "",
    "| record | field | value | from | other value | from |",
    "|---|---|---|---|---|---|",
    ...r.conflicts.map(
      (x) =>
        `| ${cell(x.subject)} | ${cell(x.field)} | ${cell(x.a?.value)} | ${cell(x.a?.system)} | ${cell(x.b?.value)} | ${cell(x.b?.system)} |`,
    ),
    ...more(r, "conflicts"),
    "",
    "## Ambiguous",
    "",
    "| record | also | detail |",
    "|---|---|---|",
    ...r.ambiguous.map((x) => `| ${cell(x.subject)} | ${cell(x.other)} | ${cell({ ...x, subject: undefined, other: undefined })} |`),
    ...more(r, "ambiguous"),
    "",
    "## In one system only",
    "",
    "| kind | golden id | record |",
    "|---|---|---|",
    ...r.unmatched.map((x) => `| ${x.kind} | ${cell(x.id)} | ${cell(x.records)} |`),
    ...more(r, "unmatched"),
    "",
    "## Links to write back",
    "",
    "| golden deal | system | transaction id |",
    "|---|---|---|",
    ...r.writebacks.map((x) => `| ${cell(x.deal)} | ${cell(x.system)} | ${cell(x.externalId)} |`),
    ...more(r, "writebacks"),
  ];
  return `${lines.join("\n")}\n`;
}

const cellOf = (v: unknown) => csvCell(show(v ?? ""));

/** One row per finding: section, record, field, both values with their systems. */
export function reportCsv(r: BackfillReport): string {
  const rows: unknown[][] = [["section", "record", "field", "value", "system", "other_value", "other_system"]];
  for (const x of r.conflicts) rows.push(["conflict", x.subject, x.field, x.a?.value, x.a?.system, x.b?.value, x.b?.system]);
  for (const x of r.ambiguous) rows.push(["ambiguous", x.subject, "", x.other ?? "", "", "", ""]);
  for (const x of r.unmatched) rows.push(["unmatched", x.id, x.kind, x.records, "", "", ""]);
  for (const x of r.writebacks) rows.push(["writeback", x.deal, "transactionId", x.externalId, x.system, "", ""]);
  // A cut section ends in a row that says so, in the same columns, so a spreadsheet shows it.
  for (const [section, cut] of Object.entries(r.truncated)) if (cut) rows.push(["truncated", section, "", r.limit, "", "", ""]);
  return `${rows.map((row) => row.map(cellOf).join(",")).join("\n")}\n`;
}
