import type { AlertHistory } from "../../../ops/activity";
import type { driftRecords } from "../../../ops/activity";
import { OPS_BASE } from "../auth";
import { ago, count, when } from "./format";

/**
 * Below a paged list: how many it holds in all when the page shows fewer, and the link to the
 * next page (`href` builds the list's own address for a cursor).
 */
export function Paging(props: { shown: number; total: number; cursor: string | null; noun: string; href: (cursor: string) => string }) {
  return (
    <p class="mut" data-l="paging">
      {props.total === 1 ? `1 ${props.noun}` : `${props.total} ${props.noun}s`}
      {props.shown < props.total ? `; ${props.shown} shown here` : ""}.{" "}
      {props.cursor ? (
        <a href={props.href(props.cursor)} rel="next">
          Next page
        </a>
      ) : null}
    </p>
  );
}

/** Schema drift: fields sources started sending, renamed or stopped sending. */
export function DriftPage(props: { page: Awaited<ReturnType<typeof driftRecords>>; href: (cursor: string) => string }) {
  const drift = props.page.drift;
  return (
    <>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Source</th>
              <th>Field</th>
              <th>Kind</th>
              <th class="n">Seen</th>
              <th>Last seen</th>
              <th class="hide-sm">Sample (masked)</th>
            </tr>
          </thead>
          <tbody>
            {drift.length === 0 ? (
              <tr>
                <td colspan={6} class="mut">
                  No drift recorded.
                </td>
              </tr>
            ) : null}
            {drift.map((d) => (
              <tr>
                <td>{d.source}</td>
                <td>
                  <code>{d.field}</code>
                </td>
                <td>{d.kind}</td>
                <td class="n">{count(d.count)}</td>
                <td>{ago(d.lastSeen)}</td>
                <td class="hide-sm mut">{d.sample ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Paging shown={drift.length} total={props.page.total} cursor={props.page.cursor} noun="drifted field" href={props.href} />
    </>
  );
}

/** Alerts by key with their state, then the notifications that went out. */
export function AlertsPage(props: { h: AlertHistory; href: (which: "cursor" | "logCursor", cursor: string) => string }) {
  return (
    <>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Alert</th>
              <th>Severity</th>
              <th>State</th>
              <th class="n">Count</th>
              <th>First</th>
              <th>Last</th>
            </tr>
          </thead>
          <tbody>
            {props.h.alerts.length === 0 ? (
              <tr>
                <td colspan={6} class="mut">
                  No alerts.
                </td>
              </tr>
            ) : null}
            {props.h.alerts.map((a) => (
              <tr>
                <td>
                  {a.title}
                  <div class="mut">{a.key}</div>
                </td>
                <td class={a.severity === "critical" ? "bad" : a.severity === "warning" ? "warn" : ""}>{a.severity}</td>
                <td class={a.state === "firing" ? "bad" : "ok"}>
                  {a.state}
                  {a.state === "firing" ? (
                    <form class="in" method="post" action={`${OPS_BASE}/alerts/${encodeURIComponent(a.key)}/resolve`}>
                      <input
                        name="reason"
                        placeholder="reason"
                        required
                        minlength={3}
                        maxlength={500}
                        size={12}
                        aria-label="Reason to resolve"
                      />
                      <button type="submit" class="sec">
                        Resolve
                      </button>
                    </form>
                  ) : null}
                </td>
                <td class="n">{a.count}</td>
                <td>{when(a.firstAt)}</td>
                <td>{when(a.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Paging
        shown={props.h.alerts.length}
        total={props.h.total}
        cursor={props.h.cursor}
        noun="alert"
        href={(c) => props.href("cursor", c)}
      />
      <h2>Notifications</h2>
      <ul>
        {props.h.log.map((e) => (
          <li>
            {when(e.at)} · {e.key} ·{" "}
            {typeof e.payload === "object" && e.payload !== null && "text" in e.payload ? String(e.payload.text) : e.kind}
          </li>
        ))}
      </ul>
      <Paging
        shown={props.h.log.length}
        total={props.h.logTotal}
        cursor={props.h.logCursor}
        noun="notification"
        href={(c) => props.href("logCursor", c)}
      />
    </>
  );
}
