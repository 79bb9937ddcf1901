import type { DeliveryDetail, RecordDetail, SearchResult } from "../../../ops/records";
import { OPS_BASE } from "../auth";
import { money, name, pretty, when } from "./format";

const rec = (id: string) => `${OPS_BASE}/records/${encodeURIComponent(id)}`;

/** Search by email, phone, name or any system's id, with the matches. */
export function SearchPage(props: { q: string; result: SearchResult | null; error?: string | undefined }) {
  const r = props.result;
  return (
    <>
      <form class="row" method="post" action={`${OPS_BASE}/records`} role="search">
        <label>
          Email, phone, name or any id
          <input name="q" value={props.q} size={40} autofocus required minlength={2} />
        </label>
        <button type="submit">Search</button>
      </form>
      {props.error ? <p class="notice err">{props.error}</p> : null}
      {r ? (
        <>
          <h2>People ({r.people.length})</h2>
          <div class="wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Phone</th>
                  <th>Lead source</th>
                  <th class="hide-sm">Systems</th>
                  <th class="hide-sm">Created</th>
                </tr>
              </thead>
              <tbody>
                {r.people.map((p) => (
                  <tr>
                    <td>
                      <a href={rec(p.id)}>{name(p)}</a>
                      {p.mergedInto ? <span class="tag"> merged</span> : null}
                    </td>
                    <td>{p.email ?? "—"}</td>
                    <td>{p.phone ?? "—"}</td>
                    <td>{p.leadSource ?? "—"}</td>
                    <td class="hide-sm">{p.links.map((l) => `${l.system}:${l.externalId}`).join(", ") || "—"}</td>
                    <td class="hide-sm">{when(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Deals ({r.deals.length})</h2>
          <div class="wrap">
            <table>
              <thead>
                <tr>
                  <th>Deal</th>
                  <th>Stage</th>
                  <th class="n">Price</th>
                  <th>Lead source</th>
                  <th class="hide-sm">Systems</th>
                </tr>
              </thead>
              <tbody>
                {r.deals.map((d) => (
                  <tr>
                    <td>
                      <a href={rec(d.id)}>{d.name ?? d.id}</a>
                    </td>
                    <td>{d.stage ?? "—"}</td>
                    <td class="n">{money(d.priceCents)}</td>
                    <td>{d.leadSource ?? "—"}</td>
                    <td class="hide-sm">{d.links.map((l) => `${l.system}:${l.externalId}`).join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

/** A trace timeline: every stage a record and its deliveries went through, oldest first. */
export function Timeline(props: { traces: RecordDetail["traces"] }) {
  if (props.traces.length === 0) return <p class="mut">No traces.</p>;
  return (
    <ol class="tl" aria-label="Trace timeline">
      {props.traces.map((t) => (
        <li class={t.outcome}>
          <strong>{t.stage}</strong>{" "}
          <span class="mut">
            {when(t.at)} · {t.outcome}
          </span>
          {t.detail ? <div>{t.detail}</div> : null}
          {t.deliveryId ? (
            <div class="mut">
              delivery <a href={`${OPS_BASE}/deliveries/${encodeURIComponent(t.deliveryId)}`}>{t.deliveryId}</a>
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** One golden record: fields with provenance, links, deals, and its timeline. */
export function RecordPage(props: { d: RecordDetail }) {
  const { d } = props;
  return (
    <>
      <p class="mut">
        {d.kind} <code>{d.record.id}</code>
        {"mergedInto" in d.record && d.record.mergedInto ? (
          <>
            {" "}
            · merged into <a href={rec(d.record.mergedInto)}>{d.record.mergedInto}</a>
          </>
        ) : null}
        {d.mergedFrom.length ? ` · absorbed ${d.mergedFrom.join(", ")}` : null}
      </p>
      <h2>Fields and provenance</h2>
      {d.corrupt ? (
        <p class="notice err">
          {d.corrupt.code}: {d.corrupt.reason}
        </p>
      ) : null}
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Field</th>
              <th>Value</th>
              <th>From</th>
              <th class="hide-sm">Changed at</th>
            </tr>
          </thead>
          <tbody>
            {d.fields.map((f) => (
              <tr>
                <td>{f.field}</td>
                <td>{pretty(f.value)}</td>
                <td>{f.system}</td>
                <td class="hide-sm">{when(Date.parse(f.at))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Links</h2>
      <p>
        {d.links.length ? (
          d.links.map((l) => `${l.system} ${l.kind} ${l.externalId}`).join(" · ")
        ) : (
          <span class="mut">Not linked to any system yet.</span>
        )}
      </p>
      {d.deals.length ? (
        <>
          <h2>Deals</h2>
          <ul>
            {d.deals.map((x) => (
              <li>
                <a href={rec(x.id)}>{x.name ?? x.id}</a> · {x.stage ?? "—"} · {money(x.priceCents)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Trace timeline</h2>
      <Timeline traces={d.traces} />
      <h2>Events</h2>
      <ul>
        {d.events.map((e) => (
          <li>
            {e.type} from {e.sourceSystem} · <span class="mut">{e.id}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** One delivery: status, raw payload as received (operators only), events and traces. */
export function DeliveryPage(props: { d: DeliveryDetail }) {
  const { d } = props;
  return (
    <>
      <p class="mut">
        {d.source} · {d.eventType ?? "—"} · received {when(d.receivedAt)} · status <strong>{d.status}</strong>
        {d.statusDetail ? ` (${d.statusDetail})` : ""}
      </p>
      <h2>Payload</h2>
      {d.purged ? <p class="mut">Purged by retention.</p> : <pre>{pretty(d.payload)}</pre>}
      <h2>Events</h2>
      <ul>
        {d.events.map((e) => (
          <li>
            {e.type} · {e.subjectKind} {e.subjectExtId ?? ""} · <span class="mut">{e.id}</span>
          </li>
        ))}
      </ul>
      <h2>Traces</h2>
      <Timeline traces={d.traces.map((t) => ({ ...t, deliveryId: null }))} />
    </>
  );
}
