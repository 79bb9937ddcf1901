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
        <button type="submit" class="sec">
          Discard
        </button>
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

/** The list's own address with the filter and, for a later page, its cursor. */
function pageHref(f: LetterFilter, cursor?: string): string {
  const q = new URLSearchParams({
    status: f.status,
    ...Object.fromEntries(Object.entries({ vendor: f.vendor, code: f.code, queue: f.queue }).filter(([, v]) => v !== "")),
  });
  if (cursor) q.set("cursor", cursor);
  return `${base}?${q.toString()}`;
}

/**
 * Dead letters with filters, a page at a time with how many match in all; open ones can be
 * replayed or discarded in place.
 */
export function DeadLettersPage(props: {
  page: { deadLetters: DeadLetterView[]; total: number; cursor: string | null };
  filter: LetterFilter;
  paged: boolean;
}) {
  const f = props.filter;
  const letters = props.page.deadLetters;
  return (
    <>
      <form class="row" method="get" action={base}>
        <label>
          Status
          <select name="status">
            {["open", "replayed", "discarded", ""].map((s) => (
              <option value={s} selected={f.status === s}>
                {s || "any"}
              </option>
            ))}
          </select>
        </label>
        <label>
          Vendor
          <input name="vendor" value={f.vendor} size={12} />
        </label>
        <label>
          Error code
          <input name="code" value={f.code} size={14} />
        </label>
        <label>
          Queue
          <select name="queue">
            {["", "inbound", "crm", "tms", "accounting", "mls", "unknown"].map((q) => (
              <option value={q} selected={f.queue === q}>
                {q || "any"}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="sec">
          Filter
        </button>
      </form>
      <p class="mut" data-l="total">
        {props.page.total === 1 ? "1 letter matches" : `${props.page.total} letters match`}
        {letters.length < props.page.total ? `; ${letters.length} shown here` : ""}.
      </p>
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>Created</th>
              <th>Queue</th>
              <th>Vendor</th>
              <th>Error</th>
              <th class="n">Tries</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {letters.length === 0 ? (
              <tr>
                <td colspan={7} class="mut">
                  No dead letters match.
                </td>
              </tr>
            ) : null}
            {letters.map((l) => (
              <tr data-id={l.id}>
                <td>
                  <a href={dl(l.id)}>{when(l.createdAt)}</a>
                </td>
                <td data-l="queue">
                  {l.queueInferred ? (
                    <>
                      {l.queues.join(", ") || l.queue}
                      <div class="mut">inferred</div>
                    </>
                  ) : (
                    l.queue
                  )}
                </td>
                <td data-l="vendor">{l.vendor ?? "—"}</td>
                <td>
                  <code>{l.errorCode}</code>
                  <div class="mut">{l.error.slice(0, 140)}</div>
                </td>
                <td class="n" data-l="tries">
                  {l.attempts}
                </td>
                <td data-l="status">
                  {l.status}
                  {l.reason ? <div class="mut">{l.reason}</div> : null}
                </td>
                <td>{l.status === "open" ? <Actions id={l.id} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="row">
        {props.paged ? <a href={pageHref(f)}>First page</a> : null}
        {props.page.cursor ? (
          <a href={pageHref(f, props.page.cursor)} rel="next">
            Next page
          </a>
        ) : null}
      </p>
    </>
  );
}

/** One letter: every attempt, the original message, and the controls. */
export function DeadLetterPage(props: { d: DeadLetterDetail }) {
  const { d } = props;
  return (
    <>
      <p class="mut">
        {d.queueInferred ? `${d.queues.join(", ") || d.queue} (inferred from the message)` : d.queue} · {d.vendor ?? "no vendor"} ·{" "}
        <code>{d.errorCode}</code> · {d.status}
        {d.reason ? ` (${d.reason})` : ""} · created {when(d.createdAt)}
        {d.deliveryId ? (
          <>
            {" "}
            · delivery <a href={`${OPS_BASE}/deliveries/${encodeURIComponent(d.deliveryId)}`}>{d.deliveryId}</a>
          </>
        ) : null}
      </p>
      <p>{d.error}</p>
      {d.replayOf ? (
        <p class="mut">
          A replay of <a href={dl(d.replayOf)}>{d.replayOf}</a> that failed again.
        </p>
      ) : null}
      {d.replayedAs.length ? (
        <p class="mut">
          Replayed; failed again as{" "}
          {d.replayedAs.map((id, i) => (
            <>
              {i ? ", " : ""}
              <a href={dl(id)}>{id}</a>
            </>
          ))}
          .
        </p>
      ) : null}
      {d.replayable ? <Actions id={d.id} /> : null}
      <h2>Attempts</h2>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th class="n">#</th>
              <th>At</th>
              <th class="n">HTTP</th>
              <th>Code</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {d.history.map((h) => (
              <tr>
                <td class="n">{h.attempt ?? "—"}</td>
                <td>{when(h.at)}</td>
                <td class="n">{h.status ?? "—"}</td>
                <td>{h.code ?? "—"}</td>
                <td>{h.error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Message</h2>
      <pre>{pretty(d.payload)}</pre>
    </>
  );
}
