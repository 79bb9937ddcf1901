import type { BackfillReport, BackfillStatus } from "../../../backfill/report";
import { OPS_BASE } from "../auth";
import { count, when } from "./format";

const show = (v: unknown) => (v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v));

function eta(s: BackfillStatus): string {
  if (s.status !== "running") return s.status;
  if (s.etaSeconds === null) return "estimating the time left";
  return s.etaSeconds < 90 ? `${s.etaSeconds} s left` : `${Math.round(s.etaSeconds / 60)} min left`;
}

function Progress(props: { s: BackfillStatus }) {
  const { s } = props;
  return (
    <>
      <p>
        <strong>{s.id}</strong> · {s.status} · phase {s.phase} · {count(s.records)} records in {count(s.pages)} pages · started {when(s.startedAt)}
        {s.finishedAt ? ` · finished ${when(s.finishedAt)}` : ""} · {eta(s)}
      </p>
      <p>
        <span class="bar" style={`width:${Math.round(s.share * 300)}px`} /> <span class="mut">{Math.round(s.share * 100)}%</span>
      </p>
      {s.error ? <p class="notice err">{s.error}</p> : null}
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr><th>phase</th><th class="n">pages</th><th class="n">records</th><th class="n">linked</th><th class="n">new</th><th class="n">vendor calls</th><th class="n">vendor total</th><th>state</th></tr>
          </thead>
          <tbody>
            {Object.entries(s.progress).map(([phase, p]) => (
              <tr>
                <td data-l="phase">{phase}</td><td class="n" data-l="pages">{count(p.pages)}</td><td class="n" data-l="records">{count(p.records)}</td>
                <td class="n" data-l="linked">{count(p.linked)}</td><td class="n" data-l="new">{count(p.created)}</td><td class="n" data-l="calls">{count(p.calls)}</td>
                <td class="n" data-l="total">{p.total === null ? "—" : count(p.total)}</td>
                <td data-l="state">{p.skipped ? `skipped: ${p.skipped}` : p.doneAt ? "done" : phase === s.phase ? "running" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * The day-one backfill: start it, follow it (reload for progress), and review its reconciliation
 * report before applying it. Nothing here writes to a vendor except Apply, through the queues.
 */
export function BackfillPage(props: { report: (BackfillReport & { run: BackfillStatus }) | null }) {
  const r = props.report;
  const running = r?.run.status === "running";
  return (
    <>
      <p class="mut">Imports the CRM's people and deals, the TMS's transactions and the accounting customers, read-only, and links them into the golden record.</p>
      {running ? null : (
        <form class="in" method="post" action={`${OPS_BASE}/backfill/start`}>
          <button type="submit">{r ? "Run the backfill again" : "Start the backfill"}</button>
        </form>
      )}
      {r?.run.status === "failed" ? (
        <form class="in" method="post" action={`${OPS_BASE}/backfill/resume`}>
          <input type="hidden" name="id" value={r.run.id} />
          <button type="submit" class="sec">Resume from its cursor</button>
        </form>
      ) : null}
      {!r ? <p class="mut">No backfill has run yet.</p> : (
        <>
          <h2>Progress</h2>
          <Progress s={r.run} />
          <h2>Reconciliation</h2>
          <div class="cards">
            <div class="card">matched<b>{count(r.counts.matched)}</b></div>
            <div class="card">ambiguous<b>{count(r.counts.ambiguous)}</b></div>
            <div class="card">conflicting<b>{count(r.counts.conflicting)}</b></div>
            <div class="card">unmatched<b>{count(r.counts.unmatched)}</b></div>
          </div>
          <p>
            <a href={`${OPS_BASE}/backfill/report.md?id=${encodeURIComponent(r.run.id)}`}>Markdown</a> · <a href={`${OPS_BASE}/backfill/report.csv?id=${encodeURIComponent(r.run.id)}`}>CSV</a> ·{" "}
            <a href={`${OPS_BASE}/merges`}>merge proposals</a>
          </p>
          {r.run.status === "done" ? (
            <form class="in" method="post" action={`${OPS_BASE}/backfill/apply`}>
              <input type="hidden" name="id" value={r.run.id} />
              <button type="submit">{r.run.appliedAt ? `Applied ${when(r.run.appliedAt)}; apply again` : `Apply: write ${count(r.counts.writebacks)} transaction ids back and sync conflicting contacts`}</button>
            </form>
          ) : null}
          <h2>Conflicts</h2>
          <div class="wrap">
            <table class="stack">
              <thead><tr><th>record</th><th>field</th><th>value</th><th>from</th><th>other value</th><th>from</th></tr></thead>
              <tbody>
                {r.conflicts.slice(0, 200).map((x) => (
                  <tr>
                    <td data-l="record"><a href={`${OPS_BASE}/records/${encodeURIComponent(x.subject)}`}>{x.subject}</a></td><td data-l="field">{x.field}</td>
                    <td data-l="value">{show(x.a?.value)}</td><td data-l="from">{show(x.a?.system)}</td><td data-l="other">{show(x.b?.value)}</td><td data-l="from">{show(x.b?.system)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Ambiguous</h2>
          <div class="wrap">
            <table class="stack">
              <thead><tr><th>record</th><th>also</th><th>detail</th></tr></thead>
              <tbody>
                {r.ambiguous.slice(0, 200).map((x) => (
                  <tr><td data-l="record">{x.subject}</td><td data-l="also">{show(x.other)}</td><td data-l="detail" class="mut">{show({ ...x, subject: undefined, other: undefined })}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>In one system only</h2>
          <div class="wrap">
            <table class="stack">
              <thead><tr><th>kind</th><th>golden record</th><th>vendor record</th></tr></thead>
              <tbody>
                {r.unmatched.slice(0, 200).map((x) => (
                  <tr><td data-l="kind">{x.kind}</td><td data-l="golden"><a href={`${OPS_BASE}/records/${encodeURIComponent(x.id)}`}>{x.id}</a></td><td data-l="record">{x.records}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
