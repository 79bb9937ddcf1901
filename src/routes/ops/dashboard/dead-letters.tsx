import type { DeadLetterDetail, DeadLetterView } from "../../../ops/dead-letters";
import { OPS_BASE } from "../auth";
import { pretty, when } from "./format";

const base = `${OPS_BASE}/dead-letters`;
const dl = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Replay and discard controls of one open letter (plain forms: no script needed). */
function Actions(props: { id: string }) {
  return (
    <>
      <form class="in" method="post" action={`${dl(props.id)}/replay`}>
        <button type="submit">Replay</button>
      </form>
      <form class="in" method="post" action={`${dl(props.id)}/discard`}>
        <input name="reason" placeholder="reason" required minlength={3} maxlength={500} size={12} aria-label="Reason to discard" />
        <button type="submit" class="sec">Discard</button>
      </form>
    </>
  );
}

export interface LetterFilter {
  status: string;
  vendor: string;
  code: string;
  queue: string;
}

/** Dead letters with filters; open ones can be replayed or discarded in place. */
export function DeadLettersPage(props: { letters: DeadLetterView[]; filter: LetterFilter }) {
  const f = props.filter;
  return (
    <>
      <form class="row" method="get" action={base}>
        <label>
          Status
          <select name="status">
            {["open", "replayed", "discarded", ""].map((s) => (
              <option value={s} selected={f.status === s}>{s || "any"}</option>
            ))}
          </select>
        </label>
        <label>Vendor<input name="vendor" value={f.vendor} size={12} /></label>
        <label>Error code<input name="code" value={f.code} size={14} /></label>
        <label>
          Queue
          <select name="queue">
            {["", "inbound", "crm", "tms", "accounting", "unknown"].map((q) => (
              <option value={q} selected={f.queue === q}>{q || "any"}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="sec">Filter</button>
      </form>
      <div class="wrap">
        <table class="stack">
          <thead><tr><th>Created</th><th>Queue</th><th>Vendor</th><th>Error</th><th class="n">Tries</th><th>Status</th><th>Actions</th></tr></thead>
          <tbody>
            {props.letters.length === 0 ? <tr><td colspan={7} class="mut">No dead letters match.</td></tr> : null}
            {props.letters.map((l) => (
              <tr data-id={l.id}>
                <td><a href={dl(l.id)}>{when(l.createdAt)}</a></td>
                <td data-l="queue">{l.queueInferred ? <>{l.queues.join(", ") || l.queue}<div class="mut">inferred</div></> : l.queue}</td>
                <td data-l="vendor">{l.vendor ?? "—"}</td>
                <td><code>{l.errorCode}</code><div class="mut">{l.error.slice(0, 140)}</div></td>
                <td class="n" data-l="tries">{l.attempts}</td>
                <td data-l="status">{l.status}{l.reason ? <div class="mut">{l.reason}</div> : null}</td>
                <td>{l.status === "open" ? <Actions id={l.id} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** One letter: every attempt, the original message, and the controls. */
export function DeadLetterPage(props: { d: DeadLetterDetail }) {
  const { d } = props;
  return (
    <>
      <p class="mut">
        {d.queueInferred ? `${d.queues.join(", ") || d.queue} (inferred from the message)` : d.queue} · {d.vendor ?? "no vendor"} · <code>{d.errorCode}</code> · {d.status}{d.reason ? ` (${d.reason})` : ""} · created {when(d.createdAt)}
        {d.deliveryId ? <> · delivery <a href={`${OPS_BASE}/deliveries/${encodeURIComponent(d.deliveryId)}`}>{d.deliveryId}</a></> : null}
      </p>
      <p>{d.error}</p>
      {d.replayOf ? <p class="mut">A replay of <a href={dl(d.replayOf)}>{d.replayOf}</a> that failed again.</p> : null}
      {d.replayedAs.length ? <p class="mut">Replayed; failed again as {d.replayedAs.map((id, i) => <>{i ? ", " : ""}<a href={dl(id)}>{id}</a></>)}.</p> : null}
      {d.replayable ? <Actions id={d.id} /> : null}
      <h2>Attempts</h2>
      <div class="wrap">
        <table>
          <thead><tr><th class="n">#</th><th>At</th><th class="n">HTTP</th><th>Code</th><th>Error</th></tr></thead>
          <tbody>
            {d.history.map((h) => (
              <tr><td class="n">{h.attempt ?? "—"}</td><td>{when(h.at)}</td><td class="n">{h.status ?? "—"}</td><td>{h.code ?? "—"}</td><td>{h.error ?? ""}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Message</h2>
      <pre>{pretty(d.payload)}</pre>
    </>
  );
}
