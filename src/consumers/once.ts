import { ok, transient, type Result } from "../lib/result";
import { log } from "../lib/log";
import { CLAIM_TTL_MS, claimAction, completeStatement, releaseAction, renewClaim } from "../store/applied";

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
  renewEveryMs = CLAIM_TTL_MS / 3,
): Promise<Result<string>> {
  let heldAt = Date.now();
  const claim = await claimAction(db, eventId, action, heldAt);
  if (claim === "done") return ok("already_applied");
  if (claim === "busy") return transient("in_progress", `${action} for ${eventId} is being applied`, { retryAfterSeconds: 5 });
  // Each call is bounded by the claim's lifetime; an action of several calls keeps its claim alive
  // while it works, and a worker that dies stops renewing, so its claim still lapses.
  const renewing = setInterval(() => {
    renewClaim(db, eventId, action, heldAt, Date.now())
      .then((at) => {
        if (at !== null) heldAt = at;
        else log("warn", "claim_lost", { eventId, action });
      })
      .catch(() => undefined); // the next tick tries again; the claim holds for CLAIM_TTL_MS meanwhile
  }, renewEveryMs);
  let r: Result<{ result: string; writes: D1PreparedStatement[] }>;
  try {
    r = await act();
  } catch (err) {
    await releaseAction(db, eventId, action);
    throw err;
  } finally {
    clearInterval(renewing);
  }
  if (!r.ok) {
    await releaseAction(db, eventId, action);
    return r;
  }
  await db.batch([...r.value.writes, completeStatement(db, eventId, action, r.value.result, Date.now())]);
  return ok(r.value.result);
}
