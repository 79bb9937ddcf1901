import { ok, permanent, type Result } from "../lib/result";
import { mergeProposal, noteMergedProposal } from "../ops/merges";
import { MergeMessage } from "../queues/messages";

/**
 * A merge the nightly dedupe approved on its own (auto-merge above the brokerage's bar): it takes
 * the path an operator's approval takes, survivor rule, CRM note and trace, on the CRM's queue.
 * A proposal decided meanwhile (by an operator) is left as it is; one merged whose CRM note
 * failed gets the note on the message's retry.
 */
export async function mergeMessage(body: unknown, env: Env): Promise<Result<string>> {
  const parsed = MergeMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "merge message");
  const r = await mergeProposal(env, parsed.data.proposal, parsed.data.actor);
  // A proposal this message's earlier try merged answers conflict now: its note, if that try's
  // failed, is added here. A failed note goes back to the queue (retried, then dead-lettered).
  const noted = r.ok ? r.value.note : await noteMergedProposal(env, parsed.data.proposal);
  if (!noted.ok) return noted;
  return ok(r.ok ? `merged:crm_note_${noted.value}` : noted.value === "not_merged" ? `not_merged:${r.code}` : `crm_note_${noted.value}`);
}
