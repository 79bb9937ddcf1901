import type { ListingsReport } from "../../../ops/listings";
import { OPS_BASE } from "../auth";
import { ago, count, money, when } from "./format";

/** MLS listings replicated from RESO feeds, with each run's progress (phase, pages, cursor). */
export function ListingsPage(props: { r: ListingsReport; offset: number; limit: number; status?: string | undefined }) {
  // A page link keeps the list's filter and page size.
  const at = (offset: number) =>
    `${OPS_BASE}/listings?${new URLSearchParams({ offset: String(offset), limit: String(props.limit), ...(props.status ? { status: props.status } : {}) })}`;
  const { r } = props;
  const line = (a: unknown) => {
    const o = (a ?? {}) as Record<string, string | undefined>;
    return [o.number, o.predirectional, o.street, o.suffix, o.unitType ? `${o.unitType} ${o.unitId ?? ""}` : o.unitId]
      .filter(Boolean)
      .join(" ");
  };
  return (
    <>
      <h2>Replication</h2>
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>Feed</th>
              <th>Run</th>
              <th>Phase</th>
              <th>Status</th>
              <th class="n">Pages</th>
              <th class="n">Records</th>
              <th class="n">Rejected</th>
              <th class="n">Out of feed</th>
              <th>Cursor</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {r.replication.length === 0 ? (
              <tr>
                <td colspan={10} class="mut">
                  No MLS feed replicated yet.
                </td>
              </tr>
            ) : null}
            {r.replication.map((s) => (
              <tr>
                <td data-l="Feed">{s.connection}</td>
                <td data-l="Run">{s.run}</td>
                <td data-l="Phase">{s.phase}</td>
                <td data-l="Status" class={s.error ? "bad" : s.status === "running" ? "warn" : "ok"}>
                  {s.status}
                  {s.error ? ` · ${s.error}` : ""}
                </td>
                <td data-l="Pages" class="n">
                  {count(s.pages)}
                </td>
                <td data-l="Records" class="n">
                  {count(s.records)}
                </td>
                <td data-l="Rejected" class="n">
                  {count(s.rejected)}
                </td>
                <td data-l="Out of feed" class="n">
                  {count(s.removed)}
                </td>
                <td data-l="Cursor">
                  <code>{s.cursor ?? "—"}</code>
                </td>
                <td data-l="Updated">{ago(s.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Listings ({count(r.total)})</h2>
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>MLS #</th>
              <th>Status</th>
              <th class="n">Price</th>
              <th>Address</th>
              <th class="hide-sm">Beds/Baths</th>
              <th class="hide-sm">List agent · office</th>
              <th>Modified</th>
            </tr>
          </thead>
          <tbody>
            {r.listings.length === 0 ? (
              <tr>
                <td colspan={7} class="mut">
                  No listings.
                </td>
              </tr>
            ) : null}
            {r.listings.map((l) => (
              <tr>
                <td data-l="MLS #">{l.listingId ?? l.listingKey}</td>
                <td data-l="Status" class={l.outOfFeedAt ? "mut" : ""}>
                  {l.outOfFeedAt ? `out of feed (${l.status ?? "—"})` : (l.status ?? "—")}
                </td>
                <td data-l="Price" class="n">
                  {money(l.listPriceCents)}
                </td>
                <td data-l="Address">
                  {line(l.address)}
                  <div class="mut">{[l.city, l.zip].filter(Boolean).join(" ")}</div>
                </td>
                <td data-l="Beds/Baths" class="hide-sm">
                  {l.beds ?? "—"} / {l.baths ?? "—"}
                </td>
                <td data-l="Agent" class="hide-sm">
                  {l.listAgent ?? "—"}
                  {l.listAgentMember ? (
                    <div class="mut">{[l.listAgentMember.email, l.listAgentMember.phone].filter(Boolean).join(" · ")}</div>
                  ) : null}
                  <div class="mut">{[l.listOffice, l.listOfficeRecord?.phone].filter(Boolean).join(" · ")}</div>
                </td>
                <td data-l="Modified">{when(Date.parse(l.modifiedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {props.offset > 0 ? <a href={at(Math.max(0, props.offset - props.limit))}>← newer</a> : null}{" "}
        {props.offset + props.limit < r.total ? <a href={at(props.offset + props.limit)}>older →</a> : null}
      </p>
    </>
  );
}
