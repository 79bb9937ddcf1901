import type { DoctorReport } from "../../../ops/doctor";
import { OPS_BASE } from "../auth";
import { when } from "./format";

/** What a visit from another site's link gets: the checks renew every credential, so they wait for a click here. */
export function DoctorAsk() {
  return (
    <p class="notice">
      The checks renew each vendor credential. <a href={`${OPS_BASE}/doctor`}>Run the checks</a>
    </p>
  );
}

const RESULT = { pass: ["ok", "ok"], fail: ["failed", "bad"], skip: ["skipped", "mut"] } as const;

/** The connection doctor: every check of every active connection, failures first with their fix. */
export function DoctorPage(props: { r: DoctorReport }) {
  const { r } = props;
  const order = { fail: 0, skip: 1, pass: 2 } as const;
  const rows = [...r.checks].sort((a, b) => order[a.status] - order[b.status]);
  const skipped = r.checks.filter((c) => c.status === "skip").length;
  return (
    <>
      <p class={r.ok ? "notice" : "notice err"}>
        {r.ok
          ? `All ${r.checks.length - skipped} checks passed.`
          : `${r.failed} of ${r.checks.length} checks failed${skipped ? `, ${skipped} skipped` : ""}.`}{" "}
        <span class="mut">
          Checked {when(r.checkedAt)} against each live account, read-only; webhooks are expected at {r.hubUrl}. Reload to check again.
        </span>
      </p>
      <div class="wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>Connection</th>
              <th>Check</th>
              <th>Result</th>
              <th>Detail</th>
              <th>Fix</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colspan={5} class="mut">
                  No active connection.
                </td>
              </tr>
            ) : null}
            {rows.map((c) => (
              <tr>
                <td data-l="Connection">{c.connection}</td>
                <td data-l="Check">
                  {c.name}
                  <div class="mut">
                    <code>{c.id}</code>
                  </div>
                </td>
                <td data-l="Result" class={RESULT[c.status][1]}>
                  {RESULT[c.status][0]}
                </td>
                <td data-l="Detail" class="mut">
                  {c.detail}
                </td>
                <td data-l="Fix">{c.fix ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
