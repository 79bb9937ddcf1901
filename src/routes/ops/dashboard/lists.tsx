import type { AlertHistory } from "../../../ops/activity";
import type { driftRecords } from "../../../ops/activity";
import { ago, count, when } from "./format";

/** Schema drift: fields sources started sending, renamed or stopped sending. */
export function DriftPage(props: { drift: Awaited<ReturnType<typeof driftRecords>> }) {
  return (
    <div class="wrap">
      <table>
        <thead><tr><th>Source</th><th>Field</th><th>Kind</th><th class="n">Seen</th><th>Last seen</th><th class="hide-sm">Sample (masked)</th></tr></thead>
        <tbody>
          {props.drift.length === 0 ? <tr><td colspan={6} class="mut">No drift recorded.</td></tr> : null}
          {props.drift.map((d) => (
            <tr><td>{d.source}</td><td><code>{d.field}</code></td><td>{d.kind}</td><td class="n">{count(d.count)}</td><td>{ago(d.lastSeen)}</td><td class="hide-sm mut">{d.sample ?? ""}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Alerts by key with their state, then the notifications that went out. */
export function AlertsPage(props: { h: AlertHistory }) {
  return (
    <>
      <div class="wrap">
        <table>
          <thead><tr><th>Alert</th><th>Severity</th><th>State</th><th class="n">Count</th><th>First</th><th>Last</th></tr></thead>
          <tbody>
            {props.h.alerts.length === 0 ? <tr><td colspan={6} class="mut">No alerts.</td></tr> : null}
            {props.h.alerts.map((a) => (
              <tr>
                <td>{a.title}<div class="mut">{a.key}</div></td>
                <td class={a.severity === "critical" ? "bad" : a.severity === "warning" ? "warn" : ""}>{a.severity}</td>
                <td class={a.state === "firing" ? "bad" : "ok"}>{a.state}</td>
                <td class="n">{a.count}</td>
                <td>{when(a.firstAt)}</td>
                <td>{when(a.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Notifications</h2>
      <ul>{props.h.log.map((e) => <li>{when(e.at)} · {e.kind} · {e.key}</li>)}</ul>
    </>
  );
}
