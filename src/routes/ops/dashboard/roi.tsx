import type { RoiReport } from "../../../ops/roi";
import { OPS_BASE } from "../auth";
import { BarChart } from "./chart";
import { count, day, money } from "./format";

function rate(num: number, den: number): string {
  return den > 0 ? `${((num / den) * 100).toFixed(1)}%` : "—";
}

/** Lead-source ROI: where leads come from and which sources close business. */
export function RoiPage(props: { r: RoiReport; error?: string | undefined }) {
  const { r } = props;
  return (
    <>
      <form class="row" method="get" action={`${OPS_BASE}/roi`}>
        <label>
          From
          <input type="date" name="from" value={day(r.from)} />
        </label>
        <label>
          To
          <input type="date" name="to" value={day(r.to)} />
        </label>
        <label>
          Period
          <select name="period">
            {(["month", "week", "day"] as const).map((p) => (
              <option value={p} selected={r.period === p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="sec">
          Show
        </button>
      </form>
      {props.error ? <p class="notice err">{props.error}</p> : null}
      <BarChart
        title="Leads, contacts, deals and closed deals by lead source"
        series={[
          { name: "leads", color: "#7aa6d8" },
          { name: "contacts", color: "#0b5cad" },
          { name: "deals", color: "#d99a2b" },
          { name: "closed", color: "#1a7f37" },
        ]}
        groups={r.bySource.map((s) => ({ label: s.leadSource, values: [s.leads, s.contacts, s.deals, s.closedDeals] }))}
        format={count}
      />
      <h2>By lead source</h2>
      <div class="wrap">
        <table id="roi-by-source">
          <thead>
            <tr>
              <th>Lead source</th>
              <th class="n">Leads</th>
              <th class="n">Contacts</th>
              <th class="n">Deals</th>
              <th class="n">Closed</th>
              <th class="n hide-sm">Lead→close</th>
              <th class="n">Closed volume</th>
              <th class="n">GCI</th>
            </tr>
          </thead>
          <tbody>
            {r.bySource.length === 0 ? (
              <tr>
                <td colspan={8} class="mut">
                  No leads or deals in this window.
                </td>
              </tr>
            ) : null}
            {[...r.bySource, r.total].map((s) => (
              <tr>
                <td>{s === r.total ? <strong>All sources</strong> : s.leadSource}</td>
                <td class="n">{count(s.leads)}</td>
                <td class="n">{count(s.contacts)}</td>
                <td class="n">{count(s.deals)}</td>
                <td class="n">{count(s.closedDeals)}</td>
                <td class="n hide-sm">{rate(s.closedDeals, s.leads)}</td>
                <td class="n">{money(s.closedVolumeCents)}</td>
                <td class="n">{money(s.gciCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>By {r.period}</h2>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>{r.period}</th>
              <th>Lead source</th>
              <th class="n">Leads</th>
              <th class="n">Contacts</th>
              <th class="n">Deals</th>
              <th class="n">Closed</th>
              <th class="n">Volume</th>
              <th class="n">GCI</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((c) => (
              <tr>
                <td>{c.period}</td>
                <td>{c.leadSource}</td>
                <td class="n">{count(c.leads)}</td>
                <td class="n">{count(c.contacts)}</td>
                <td class="n">{count(c.deals)}</td>
                <td class="n">{count(c.closedDeals)}</td>
                <td class="n">{money(c.closedVolumeCents)}</td>
                <td class="n">{money(c.gciCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
