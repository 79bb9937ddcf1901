import { reportMarkdown, type BackfillReport, type BackfillStatus } from "../../../backfill/report";
import { OPS_BASE } from "../auth";
import { count, when } from "./format";

function state(s: BackfillStatus, phase: string, p: BackfillStatus["progress"][string]): string {
  return p.skipped ? `skipped: ${p.skipped}` : p.doneAt ? "done" : phase === s.phase ? "running" : "";
}

function action(path: string, label: string, id?: string) {
  return (
    <form class="in" method="post" action={`${OPS_BASE}/backfill/${path}`}>
      {id ? <input type="hidden" name="id" value={id} /> : null}
      <button type="submit">{label}</button>
    </form>
  );
}

/**
 * The day-one backfill: start it, follow it (reload for progress), review its reconciliation
 * report (the same Markdown as the export) and apply it. Only Apply leads to vendor writes, and
 * those go through the queues.
 */
export function BackfillPage(props: { report: (BackfillReport & { run: BackfillStatus }) | null }) {
  const r = props.report;
  if (!r)
    return (
      <>
        {action("start", "Start the backfill")}
        <p class="mut">No backfill has run yet. It reads the CRM, TMS and accounting (read-only) and links them into the golden record.</p>
      </>
    );
  const s = r.run;
  const q = `?id=${encodeURIComponent(s.id)}`;
  return (
    <>
      {s.status === "running" ? null : action("start", "Run the backfill again")}
      {s.status === "failed" ? action("resume", "Resume from its cursor", s.id) : null}
      {s.status === "done"
        ? action(
            "apply",
            s.appliedAt
              ? `Applied ${when(s.appliedAt)}; apply again`
              : `Apply: ${count(r.counts.writebacks)} transaction ids, conflicting contacts`,
            s.id,
          )
        : null}
      <p>
        <strong>{s.id}</strong> · {s.status} · {s.phase} · {count(s.records)} records · started {when(s.startedAt)} ·{" "}
        {s.status === "running" ? (s.etaSeconds === null ? "estimating" : `${Math.ceil(s.etaSeconds / 60)} min left`) : when(s.finishedAt)}
      </p>
      <p>
        <span class="bar" style={`width:${Math.round(s.share * 300)}px`} /> {Math.round(s.share * 100)}%
      </p>
      {s.error ? <p class="notice err">{s.error}</p> : null}
      <table>
        <tr>
          <th>phase</th>
          <th class="n">pages</th>
          <th class="n">records</th>
          <th class="n">linked</th>
          <th class="n">calls</th>
          <th>state</th>
        </tr>
        {Object.entries(s.progress).map(([phase, p]) => (
          <tr>
            <td>{phase}</td>
            <td class="n">{p.pages}</td>
            <td class="n">{p.records}</td>
            <td class="n">{p.linked}</td>
            <td class="n">{p.calls}</td>
            <td>{state(s, phase, p)}</td>
          </tr>
        ))}
      </table>
      <div class="cards">
        {(["matched", "ambiguous", "conflicting", "unmatched"] as const).map((k) => (
          <div class="card">
            {k}
            <b>{count(r.counts[k])}</b>
          </div>
        ))}
      </div>
      <p>
        <a href={`${OPS_BASE}/backfill/report.md${q}`}>Markdown</a> · <a href={`${OPS_BASE}/backfill/report.csv${q}`}>CSV</a> ·{" "}
        <a href={`${OPS_BASE}/merges`}>merge proposals</a>
      </p>
      <pre>{reportMarkdown(r)}</pre>
    </>
  );
}
