import { ok, transient, type Result } from "../lib/result";
import { claimAction, completeStatement, releaseAction } from "../store/applied";

/**
 * Runs a vendor effect at most once per (event, action): claims it, runs `act`, and commits the
 * D1 writes `act` returns together with the completion. A duplicate of the event arriving at the
 * same moment waits (retry) and then finds it done; a failure gives the claim back.
 */
export async function once(
  db: D1Database,
  eventId: string,
  action: string,
  act: () => Promise<Result<{ result: string; writes: D1PreparedStatement[] }>>,
): Promise<Result<string>> {
  const claim = await claimAction(db, eventId, action, Date.now());
  if (claim === "done") return ok("already_applied");
  if (claim === "busy") return transient("in_progress", `${action} for ${eventId} is being applied`, { retryAfterSeconds: 5 });
  let r: Result<{ result: string; writes: D1PreparedStatement[] }>;
  try {
    r = await act();
  } catch (err) {
    await releaseAction(db, eventId, action);
    throw err;
  }
  if (!r.ok) {
    await releaseAction(db, eventId, action);
    return r;
  }
  await db.batch([...r.value.writes, completeStatement(db, eventId, action, r.value.result, Date.now())]);
  return ok(r.value.result);
}
