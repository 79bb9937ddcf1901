import { ok, permanent, type Result } from "../lib/result";
import { approveMerge, noteMergedProposal } from "../ops/merges";
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
  const r = await approveMerge(env, parsed.data.proposal, parsed.data.actor);
  if (r.ok && !r.value.crmNote.startsWith("failed")) return ok(`merged:crm_note_${r.value.crmNote}`);
  // The merge stands; its CRM note failed, on this try or on one before whose retry this is: it
  // is tried again, and a failure goes back to the queue (retried, then dead-lettered to replay).
  const noted = await noteMergedProposal(env, parsed.data.proposal);
  if (!noted.ok) return noted;
  return ok(r.ok ? `merged:crm_note_${noted.value}` : noted.value === "not_merged" ? `not_merged:${r.code}` : `crm_note_${noted.value}`);
}
