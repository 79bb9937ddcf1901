import type { AuditReport } from "../../../mapping/audit";
import { OPS_BASE } from "../auth";

const KIND_LABEL: Record<string, string> = {
  unmapped: "unmapped",
  missing_in_account: "missing in the vendor account",
  type_mismatch: "type mismatch",
  required_empty: "required but empty",
  unreachable: "system not reachable",
};

/**
 * The mapping audit: what needs a decision first, then each sample record side by side — the
 * vendor's fields (masked) → the canonical values → what the hub would write to each other system.
 */
export function MappingPage(props: { report: AuditReport }) {
  const r = props.report;
  return (
    <>
      <p class="mut">
        Read-only: a few recent records of each connected system ({r.systems.join(", ") || "none"}), {r.generatedAt}. Values are masked.{" "}
        Export: <a href={`${OPS_BASE}/mapping.md`}>Markdown</a> · <a href={`${OPS_BASE}/mapping.csv`}>CSV</a>
      </p>
      <h2 id="findings">Findings ({r.findings.length})</h2>
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>Kind</th>
              <th>System</th>
              <th>Field</th>
              <th>Detail</th>
              <th>Looks like</th>
            </tr>
          </thead>
          <tbody>
            {r.findings.length === 0 ? (
              <tr>
                <td colspan={5} class="mut">
                  Nothing to decide: every field is mapped and fits.
                </td>
              </tr>
            ) : null}
            {r.findings.map((f) => (
              <tr data-kind={f.kind}>
                <td data-l="Kind" class={f.kind === "unmapped" ? "warn" : "bad"}>
                  {KIND_LABEL[f.kind] ?? f.kind}
                </td>
                <td data-l="System">{f.system}</td>
                <td data-l="Field">
                  <code>{f.field}</code>
                </td>
                <td data-l="Detail">{f.detail}</td>
                <td data-l="Looks like">{(f.suggestions ?? []).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Sample records</h2>
      {r.rows.length === 0 ? <p class="mut">No records to sample yet.</p> : null}
      {r.rows.map((row) => (
        <div class="prop">
          <strong>
            {row.system} {row.object} {row.id}
          </strong>
          <div class="pair">
            <div class="wrap">
              <table>
                <thead>
                  <tr>
                    <th>Vendor field</th>
                    <th>Value</th>
                    <th>Maps to</th>
                  </tr>
                </thead>
                <tbody>
                  {row.fields.length === 0 ? (
                    <tr>
                      <td colspan={3} class="mut">
                        No custom fields.
                      </td>
                    </tr>
                  ) : null}
                  {row.fields.map((f) => (
                    <tr>
                      <td>
                        <code>{f.key}</code>
                      </td>
                      <td>{f.value}</td>
                      <td class={f.mappedTo ? "" : "warn"}>{f.mappedTo ?? "unmapped"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <div class="mut">Canonical</div>
              <pre>{JSON.stringify(row.canonical, null, 1)}</pre>
              {Object.entries(row.wouldWrite).map(([system, body]) => (
                <>
                  <div class="mut">Would write to {system}</div>
                  <pre>{JSON.stringify(body, null, 1)}</pre>
                </>
              ))}
            </div>
          </div>
        </div>
      ))}
    </>
  );
}
