import { resolveAlert } from "../alerts";
import { done, refused, type Outcome } from "../lib/outcome";
import { findAlertState } from "../store/alerts";

/**
 * An operator resolves a firing alert by hand, with a reason: for conditions no check can see end
 * (a refused record, an unreadable row left behind) and for those the operator has dealt with.
 * The recovery is notified like any other, naming who and why; a check that still sees the
 * condition fires the alert again.
 */
export async function resolveAlertByHand(
  env: Env,
  key: string,
  reason: string,
  actor: string,
  now = Date.now(),
): Promise<Outcome<{ key: string; state: "resolved" }>> {
  const state = await findAlertState(env.DB, key);
  if (!state) return refused("not_found", `No alert ${key}.`);
  // resolveAlert resolves only a firing alert, and says whether this call did.
  if (!(await resolveAlert(env, key, `by ${actor}: ${reason}`.slice(0, 500), now)))
    return refused("conflict", `Alert ${key} is not firing.`);
  return done({ key, state: "resolved" as const });
}
