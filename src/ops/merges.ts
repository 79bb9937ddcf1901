import { brokerageConfig } from "../config/load";
import { findExternalId } from "../store/links";
import { AUTO_MERGE } from "../queues/messages";
import { getProposal, listProposals, mergePeople, rejectedBetween, rejectProposal, type MergeProposalRow } from "../store/merges";
import { getPeople, getPerson, parseFields, type PersonRow } from "../store/people";
import { foldFields } from "../flows/golden";
import type { Position } from "../store/page";
import { traceStatement } from "../store/traces";
import type { CrmAdapter } from "../vendors/crm";
import { crmFor } from "../vendors/systems";
import { done, refused, type Outcome } from "../lib/outcome";
import { ok, type Result } from "../lib/result";
import { once } from "../queues/once";
import { failureLabel } from "../lib/failures";
import { personView } from "./views";

/** Merge proposals from the nightly dedupe, decided by an operator. */

const view = (p: PersonRow | undefined) => (p ? personView(p) : null);

function reasonsOf(row: MergeProposalRow): string[] {
  try {
    const r: unknown = JSON.parse(row.reasons);
    return Array.isArray(r) ? r.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * Proposals of one status, best score first, with both people side by side: one page, the total
 * of that status and the cursor of the next page.
 */
export async function listMergeProposals(
  db: D1Database,
  q: { status: MergeProposalRow["status"]; limit?: number | undefined; cursor?: Position | undefined },
) {
  const page = await listProposals(db, { status: q.status, limit: q.limit ?? 100, cursor: q.cursor });
  const people = new Map((await getPeople(db, [...new Set(page.rows.flatMap((r) => [r.a, r.b]))])).map((p) => [p.id, p]));
  return { proposals: page.rows.map((r) => proposalView(r, people)), total: page.total, cursor: page.cursor };
}

function proposalView(r: MergeProposalRow, people: Map<string, PersonRow>) {
  return {
    id: r.id,
    score: r.score,
    reasons: reasonsOf(r),
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    a: view(people.get(r.a)),
    b: view(people.get(r.b)),
    survivor:
      people.has(r.a) && people.has(r.b) ? pickSurvivor(people.get(r.a) as PersonRow, people.get(r.b) as PersonRow).survivor.id : null,
  };
}
export type MergeProposalView = ReturnType<typeof proposalView>;

/**
 * Which of two people survives a merge: the one created first (the older golden record keeps its
 * id, its CRM contact and its lead source, which is what ROI reports attribute to), ties broken
 * by the smaller id so the choice is deterministic.
 */
export function pickSurvivor<T extends { id: string; created_at: number }>(a: T, b: T): { survivor: T; loser: T } {
  const aFirst = a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
  return aFirst ? { survivor: a, loser: b } : { survivor: b, loser: a };
}

function fullName(p: PersonRow): string {
  return [p.first_name, p.last_name].filter(Boolean).join(" ") || "(no name)";
}

/** A merge the survivor's change since it was read kept from landing: read and tried again. */
const RACED = Symbol("raced");

/**
 * Approves a proposal: merges the later-created person into the earlier one (keys, links and
 * deals move, their fields are folded together; the loser points at the survivor) and adds a
 * note on the survivor's CRM contact so agents see why a contact's history grew. The merge stands
 * even if the CRM note fails; the outcome says so. A survivor changed between the read and the
 * merge (a lead, or another merge into it in the same batch) is read again, up to three times.
 */
export async function approveMerge(env: Env, id: string, actor: string, now = Date.now()) {
  const r = await mergeProposal(env, id, actor, now);
  if (!r.ok) return r;
  const { note, ...merged } = r.value;
  return done({ ...merged, crmNote: note.ok ? note.value : `failed: ${failureLabel(note.error)}` });
}

/** approveMerge with its CRM note's own result, whose failure the auto-merge's queue retries by. */
export async function mergeProposal(env: Env, id: string, actor: string, now = Date.now()) {
  for (let attempt = 1; ; attempt++) {
    const r = await approveOnce(env, id, actor, now);
    if (r !== RACED) return r;
    if (attempt === 3) return refused("conflict", `A person of proposal ${id} kept changing while it was merged; approve it again.`);
  }
}

async function approveOnce(env: Env, id: string, actor: string, now: number) {
  const db = env.DB;
  const proposal = await getProposal(db, id);
  if (!proposal) return refused("not_found", `No merge proposal ${id}.`);
  if (proposal.status === "rejected" || proposal.status === "merged")
    return refused("conflict", `Proposal ${id} is already ${proposal.status}.`);
  const [a, b] = await Promise.all([getPerson(db, proposal.a), getPerson(db, proposal.b)]);
  if (!a || !b) return refused("conflict", `A person of proposal ${id} no longer exists.`);
  const merged = [a, b].find((p) => p.merged_into !== null);
  if (merged) return refused("conflict", `${merged.id} was already merged into ${merged.merged_into}; reject this proposal.`);
  // An operator kept records of these two apart: a match through a third record does not overrule them.
  if (actor === AUTO_MERGE && (await rejectedBetween(db, a.id, b.id)))
    return refused("conflict", "An operator kept records of these people apart: decide it by hand.");
  const { survivor, loser } = pickSurvivor(a, b);
  // Resolve the CRM before anything changes: a configuration error must not leave a half-decided proposal.
  const { crm, ownership } = crmOf(env);
  const loserCrmId = crm ? await findExternalId(db, loser.id, crm.system, "person") : null;
  const fields = JSON.stringify(foldFields(parseFields(survivor), parseFields(loser), ownership));
  // Refused when the proposal was decided or a person merged meanwhile: the next read says which.
  if (!(await mergePeople(db, id, survivor.id, loser.id, actor, now, { fields, read: survivor.updated_at, loserRead: loser.updated_at })))
    return RACED;
  const note = await noteMerge(db, crm, { proposal, survivor, loser, loserCrmId, actor });
  return done({ proposalId: id, survivor: survivor.id, loser: loser.id, rule: "earliest-created survives", note });
}

/**
 * The note on the survivor's CRM contact saying why its history grew, added once per proposal:
 * a merge stands whether or not it is added, and whoever tries again (the auto-merge's retry,
 * `noteMergedProposal`) adds it only if no try did.
 */
async function noteMerge(
  db: D1Database,
  crm: CrmAdapter | null,
  m: { proposal: MergeProposalRow; survivor: PersonRow; loser: PersonRow; loserCrmId: string | null; actor: string },
): Promise<Result<string>> {
  if (!crm) return ok("no_crm_adapter");
  const survivorCrmId = await findExternalId(db, m.survivor.id, crm.system, "person");
  if (!survivorCrmId) return ok("not_linked");
  const { loser, proposal } = m;
  const body =
    `dealwire merged a duplicate contact into this one: ${fullName(loser)}` +
    `${loser.email ? ` <${loser.email}>` : ""} (dealwire ${loser.id}${m.loserCrmId ? `, ${crm.system} ${m.loserCrmId}` : ""}). ` +
    `Match score ${proposal.score}: ${reasonsOf(proposal).join(", ") || "no reasons recorded"}. Approved by ${m.actor}.`;
  return once(db, `merge:${proposal.id}`, "crm.merge_note", async () => {
    const r = await crm.addNote(survivorCrmId, "Duplicate contact merged", body);
    const trace = traceStatement(db, {
      subject: m.survivor.id,
      stage: "CRM_NOTE",
      outcome: r.ok ? "ok" : "error",
      detail: `${crm.system}:${survivorCrmId} merge note ${r.ok ? "added" : failureLabel(r.error)}`,
      at: Date.now(),
    });
    if (r.ok) return ok({ result: "added", writes: [trace] });
    await trace.run();
    return r;
  });
}

/**
 * The CRM note of a proposal merged already, added unless a try did (see `noteMerge`); a proposal
 * not merged has none to add.
 */
export async function noteMergedProposal(env: Env, id: string): Promise<Result<string>> {
  const proposal = await getProposal(env.DB, id);
  const people = proposal?.status === "merged" ? await getPeople(env.DB, [proposal.a, proposal.b]) : [];
  const loser = people.find((p) => p.merged_into);
  const survivor = people.find((p) => !p.merged_into);
  if (!proposal || !loser || !survivor) return ok("not_merged");
  // The loser's contact was moved to the survivor by the merge: the note names the loser without it.
  return noteMerge(env.DB, crmOf(env).crm, { proposal, survivor, loser, loserCrmId: null, actor: proposal.decided_by ?? AUTO_MERGE });
}

/** The CRM and the ownership policy; none when the configuration does not load (a merge needs neither). */
function crmOf(env: Env): { crm: CrmAdapter | null; ownership: Record<string, string> } {
  try {
    const config = brokerageConfig(env);
    return { crm: crmFor(env, config), ownership: config.ownership };
  } catch {
    return { crm: null, ownership: {} };
  }
}

/** Rejects a proposal; the pair is not proposed again (the proposal row stays, keyed by the pair). */
export async function rejectMerge(
  db: D1Database,
  id: string,
  actor: string,
  now = Date.now(),
): Promise<Outcome<{ proposalId: string; status: "rejected" }>> {
  const proposal = await getProposal(db, id);
  if (!proposal) return refused("not_found", `No merge proposal ${id}.`);
  if (!(await rejectProposal(db, id, actor, now))) return refused("conflict", `Proposal ${id} is already ${proposal.status}.`);
  return done({ proposalId: id, status: "rejected" as const });
}
