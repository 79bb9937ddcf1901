import type { MergeProposalView } from "../../../ops/merges";
import { OPS_BASE } from "../auth";
import { name, when } from "./format";
import { Paging } from "./lists";

function Person(props: { p: MergeProposalView["a"]; survives: boolean }) {
  const { p } = props;
  if (!p) return <div class="mut">(person gone)</div>;
  return (
    <div>
      <a href={`${OPS_BASE}/records/${encodeURIComponent(p.id)}`}>{name(p)}</a>{" "}
      {props.survives ? <span class="tag ok">survives</span> : null}
      <div class="mut">
        {p.email ?? "no email"} · {p.phone ?? "no phone"}
      </div>
      <div class="mut">
        {p.leadSource ?? "unknown source"} · created {when(p.createdAt)}
      </div>
    </div>
  );
}

/**
 * Merge proposals side by side. Approving merges the later-created person into the earlier one
 * (marked "survives") and notes it on the CRM contact.
 */
export function MergesPage(props: { page: { proposals: MergeProposalView[]; total: number; cursor: string | null }; status: string }) {
  const proposals = props.page.proposals;
  return (
    <>
      <form class="row" method="get" action={`${OPS_BASE}/merges`}>
        <label>
          Status
          <select name="status">
            {["proposed", "merged", "rejected"].map((s) => (
              <option value={s} selected={props.status === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="sec">
          Show
        </button>
      </form>
      {proposals.length === 0 ? (
        <p class="mut">No {props.status} proposals.</p>
      ) : (
        <Paging
          shown={proposals.length}
          total={props.page.total}
          cursor={props.page.cursor}
          noun="merge proposal"
          href={(cursor) => `${OPS_BASE}/merges?${new URLSearchParams({ status: props.status, cursor })}`}
        />
      )}
      {proposals.map((m) => (
        <section class="prop" data-id={m.id}>
          <p>
            <strong>score {m.score.toFixed(2)}</strong> <span class="mut">{m.reasons.join(", ")}</span>
          </p>
          <div class="pair">
            <Person p={m.a} survives={m.survivor === m.a?.id} />
            <Person p={m.b} survives={m.survivor === m.b?.id} />
          </div>
          {m.status === "proposed" ? (
            <p>
              <form class="in" method="post" action={`${OPS_BASE}/merges/${encodeURIComponent(m.id)}/approve`}>
                <button type="submit">Approve merge</button>
              </form>
              <form class="in" method="post" action={`${OPS_BASE}/merges/${encodeURIComponent(m.id)}/reject`}>
                <button type="submit" class="sec">
                  Reject
                </button>
              </form>
            </p>
          ) : (
            <p class="mut">
              {m.status} {m.decidedBy ? `by ${m.decidedBy}` : ""} {m.decidedAt ? when(m.decidedAt) : ""}
            </p>
          )}
        </section>
      ))}
    </>
  );
}
