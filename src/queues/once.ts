import { ok, transient, type Result } from "../lib/result";
import { log, errorDetail } from "../lib/log";
import { sleep } from "../lib/sleep";
import { failureOfThrown } from "./thrown";
import {
  type AppliedVersion,
  CLAIM_RENEW_MS,
  CLAIM_TTL_MS,
  claimAction,
  completedResult,
  completeStatement,
  releaseAction,
  renewClaim,
  otherUnderWay,
} from "../store/applied";

/** The wait before the second try at recording a completed action; it doubles up to the cap. */
const COMPLETE_BACKOFF_MS = 250;
const COMPLETE_BACKOFF_CAP_MS = 4_000;
/**
 * How long after a vendor effect its record is still tried in place. Giving up fails the message,
 * and its retry makes the effect again (a second CRM note); trying on costs only the consumer's
 * wall time (15 minutes on Cloudflare), so this rides out an outage of minutes, not seconds.
 */
export const RECORD_FOR_MS = 3 * 60_000;

/**
 * How long to wait before the next try at recording a completed action (`attempt` tries failed so
 * far), or null to give up: the next try must start before `deadline`. `jitter` in [0, 1) spreads
 * workers that failed together.
 */
export function completionWait(attempt: number, now: number, deadline: number, jitter: number): number | null {
  const wait = Math.min(COMPLETE_BACKOFF_MS * 2 ** (attempt - 1), COMPLETE_BACKOFF_CAP_MS) * (0.5 + jitter);
  return now + wait < deadline ? wait : null;
}

/**
 * Runs D1 work that records a vendor effect already made. A failure the queue would retry (a
 * retryable result, or a throw other than a corrupt record) is tried again here, waiting as
 * `completionWait` says, for RECORD_FOR_MS; then the last failure stands. Failing at once would
 * fail the message, and its retry would make the effect again. Each retry is logged as `about.log`.
 */
export async function recordInPlace<T>(
  work: () => Promise<Result<T>>,
  about: { log: "record_retried" | "completion_retried"; eventId: string; action: string },
): Promise<Result<T>> {
  const deadline = Date.now() + RECORD_FOR_MS;
  for (let attempt = 1; ; attempt++) {
    let r: Result<T> | undefined;
    let thrown: unknown;
    try {
      r = await work();
      if (r.ok || !r.error.retryable) return r;
    } catch (err) {
      if (!failureOfThrown(err).retryable) throw err;
      thrown = err;
    }
    const wait = completionWait(attempt, Date.now(), deadline, Math.random());
    if (wait === null) {
      if (r) return r;
      throw thrown;
    }
    const { log: event, ...ids } = about;
    log("warn", event, { ...ids, attempt, error: r && !r.ok ? r.error.code : errorDetail(thrown) });
    await sleep(wait);
  }
}

/** The claim an action runs under, as `once` hands it to `act`. */
export interface Lease {
  /**
   * Runs D1 work that records an effect the action has already made (the golden person a lead
   * sent to the CRM belongs to). A throw or a retryable failure is tried again in place
   * (`recordInPlace`): failing the action instead would give the claim back, and the message's
   * retry would make the effect again.
   */
  record<T>(work: () => Promise<Result<T>>): Promise<Result<T>>;
}

/**
 * Runs a vendor effect at most once per (event, action): claims it, runs `act`, and commits the
 * D1 writes `act` returns together with the completion. A duplicate of the event arriving at the
 * same moment waits (retry) and then finds it done; a failure gives the claim back. `version`:
 * the change of a golden record the action applies, recorded with it (see `laterApplied`).
 */
export async function once(
  db: D1Database,
  eventId: string,
  action: string,
  act: (lease: Lease) => Promise<Result<{ result: string; writes: D1PreparedStatement[] }>>,
  opts: { version?: AppliedVersion; renewEveryMs?: number } = {},
): Promise<Result<string>> {
  const renewEveryMs = opts.renewEveryMs ?? CLAIM_RENEW_MS;
  let heldAt = Date.now();
  const lease: Lease = { record: (work) => recordInPlace(work, { log: "record_retried", eventId, action }) };
  let claim = await claimAction(db, eventId, action, heldAt, opts.version);
  if (claim === "done") return ok("already_applied");
  // Two changes of one record applied side by side: the earlier goes first, or its effect could
  // land after the later one's (a CRM deal moved back to an older stage), and one that finds a
  // later change under way is stale already.
  if (claim === "claimed" && opts.version) {
    const later = await otherUnderWay(db, action, opts.version, heldAt - CLAIM_TTL_MS);
    if (later) {
      await db.batch([completeStatement(db, eventId, action, "superseded", heldAt)]);
      return ok("superseded");
    }
    if (later === 0) {
      await releaseAction(db, eventId, action, heldAt);
      claim = "busy";
    }
  }
  // Another worker holds the claim, or held it and died (it lapses within CLAIM_TTL_MS). Waiting
  // for it is not a failed attempt: the message is deferred, so it never spends its retries and
  // is not dead-lettered while the effect is being applied elsewhere.
  if (claim === "busy") return transient("in_progress", `${action} for ${eventId} is being applied`, { retryAfterSeconds: 5, defer: true });
  // The claim is a lease: renewed while `act` runs (through slow calls too) and while its effect
  // is being recorded, so only a worker that died stops renewing and lets it lapse.
  const renewing = setInterval(() => {
    renewClaim(db, eventId, action, heldAt, Date.now())
      .then((at) => {
        if (at !== null) heldAt = at;
        else log("warn", "claim_lost", { eventId, action });
      })
      .catch(() => undefined); // the next tick tries again; the lease survives a few missed renewals
  }, renewEveryMs);
  try {
    let r: Result<{ result: string; writes: D1PreparedStatement[] }> | undefined;
    let thrown: unknown;
    try {
      r = await act(lease);
    } catch (err) {
      thrown = err;
    }
    if (!r?.ok) {
      clearInterval(renewing);
      // The claim goes back so a retry can take it at once. When D1 refuses even that, the action's
      // own failure is still the one reported (it decides the retry or the dead letter, and names
      // the cause): the claim then lapses by itself within the lease, and copies wait for it.
      await releaseAction(db, eventId, action, heldAt).catch((err: unknown) =>
        log("warn", "claim_release_failed", { eventId, action, error: errorDetail(err) }),
      );
      if (r === undefined) throw thrown;
      return r;
    }
    // The effect has happened, so D1 trouble must not leave it unrecorded: the message's retry
    // would act again (a second note in the CRM). So the completion is tried again in place
    // (`recordInPlace`), past the lease if D1 stays away that long: a copy can take a lapsed claim
    // only once D1 answers, and then this worker's next try comes within seconds. D1 advises
    // retrying writes that are idempotent; reading back whether an attempt whose answer was lost
    // committed makes this one so.
    const writes = [...r.value.writes, completeStatement(db, eventId, action, r.value.result, Date.now())];
    let tried = false;
    await recordInPlace(
      async () => {
        // A read D1 refuses too says nothing: the write is tried again.
        if (tried && (await completedResult(db, eventId, action).catch(() => null)) !== null) return ok(undefined);
        tried = true;
        await db.batch(writes);
        return ok(undefined);
      },
      { log: "completion_retried", eventId, action },
    );
    return ok(r.value.result);
  } finally {
    clearInterval(renewing);
  }
}
