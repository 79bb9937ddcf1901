import type { Overview } from "../../../ops/activity";
import type { ConnectionHealth } from "../../../ops/health";
import { OPS_BASE } from "../auth";
import { ago, count, when } from "./format";

/** The overview: what flowed in the last 24 h, what is stuck, and how each vendor is doing. */
export function OverviewPage(props: { o: Overview; health: ConnectionHealth[] }) {
  const { o, health } = props;
  const received = o.intake.reduce((s, r) => s + r.n, 0);
  const max = Math.max(1, ...o.stages.map((s) => s.total));
  return (
    <>
      <div class="cards">
        <div class="card">
          Deliveries (24 h)<b>{count(received)}</b>
        </div>
        <div class="card">
          Waiting to ingest<b class={o.backlog.receivedNotIngested > 0 ? "warn" : ""}>{count(o.backlog.receivedNotIngested)}</b>
          <span class="mut">{o.backlog.oldestReceivedAt ? `oldest ${ago(o.backlog.oldestReceivedAt)}` : "none"}</span>
        </div>
        <div class="card">
          <a href={`${OPS_BASE}/dead-letters`}>Open dead letters</a>
          <b class={o.deadLetters.open > 0 ? "bad" : "ok"}>{count(o.deadLetters.open)}</b>
          <span class="mut">
            {Object.entries(o.deadLetters.openByQueue)
              .map(([q, n]) => `${q} ${n}`)
              .join(" · ") || "all clear"}
          </span>
        </div>
        <div class="card">
          <a href={`${OPS_BASE}/alerts`}>Firing alerts</a>
          <b class={o.firingAlertsTotal > 0 ? "bad" : "ok"}>{o.firingAlertsTotal}</b>
        </div>
      </div>

      <h2>Throughput per stage (last 24 h)</h2>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Stage</th>
              <th class="n">ok</th>
              <th class="n">error</th>
              <th class="n">skipped</th>
              <th class="hide-sm">volume</th>
            </tr>
          </thead>
          <tbody>
            {o.stages.length === 0 ? (
              <tr>
                <td colspan={5} class="mut">
                  Nothing in the last 24 hours.
                </td>
              </tr>
            ) : null}
            {o.stages.map((s) => (
              <tr>
                <td>{s.stage}</td>
                <td class="n">{count(s.ok)}</td>
                <td class={s.error ? "n bad" : "n"}>{count(s.error)}</td>
                <td class="n">{count(s.skipped)}</td>
                <td class="hide-sm">
                  <span class="bar" style={`width:${Math.max(2, Math.round((s.total / max) * 160))}px`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Vendor connections</h2>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Connection</th>
              <th>Last check</th>
              <th class="n">Latency</th>
              <th class="n">Passed (24 h)</th>
              <th>Last poll</th>
              <th class="hide-sm">Gate</th>
            </tr>
          </thead>
          <tbody>
            {health.map((h) => (
              <tr>
                <td>
                  {h.connection}
                  {h.active ? null : <span class="mut"> (inactive)</span>}
                </td>
                <td class={h.lastCheck ? (!h.lastCheck.ok ? "bad" : h.lastCheck.stale && h.active ? "warn" : "ok") : "mut"}>
                  {h.lastCheck
                    ? `${h.lastCheck.ok ? "ok" : `failing${h.lastCheck.detail ? ` (${h.lastCheck.detail})` : ""}`} · ${ago(h.lastCheck.at)}${h.lastCheck.stale && h.active ? ", no check since" : ""}`
                    : "not checked"}
                </td>
                <td class="n">{h.lastCheck ? `${h.lastCheck.latencyMs} ms` : "—"}</td>
                <td class="n">{h.checks24h.checks ? `${h.checks24h.passed}/${h.checks24h.checks}` : "—"}</td>
                <td>{ago(h.lastPolledAt)}</td>
                <td class="hide-sm mut">
                  {h.gate ? `${h.gate.granted} granted · ${h.gate.deferred} deferred · ${h.gate.vendor429s}×429` : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Intake by source (24 h)</h2>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>Status</th>
              <th class="n">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {o.intake.map((r) => (
              <tr>
                <td>{r.source}</td>
                <td>{r.status}</td>
                <td class="n">{count(r.n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Scheduled runs</h2>
      <p class="mut">
        {o.heartbeats.length
          ? o.heartbeats.map((b) => `${b.name}: ${when(b.at)} (${ago(b.at)})`).join(" · ")
          : "No scheduled run recorded yet."}
      </p>
    </>
  );
}
