import { ok, permanent, type Result } from "../lib/result";
import { approveMerge } from "../ops/merges";
import { MergeMessage } from "../queues/messages";

/**
 * A merge the nightly dedupe approved on its own (auto-merge above the brokerage's bar): it takes
 * the path an operator's approval takes, survivor rule, CRM note and trace, on the CRM's queue.
 * A proposal decided meanwhile (by an operator) is left as it is.
 */
export async function mergeMessage(body: unknown, env: Env): Promise<Result<string>> {
  const parsed = MergeMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "merge message");
  const r = await approveMerge(env, parsed.data.proposal, parsed.data.actor);
  return ok(r.ok ? `merged:crm_note_${r.value.crmNote}` : `not_merged:${r.code}`);
}
