/**
 * After go-live, the backfill's matching runs on each transaction the hub hears of but did not
 * create (a loop an agent opened by hand for a client the CRM already has): its client is found in
 * the golden record by email or phone, and the transaction joins that client's one deal without a
 * transaction (by address or price among several), instead of being ignored.
 */
import { ok, type Result } from "../lib/result";
import { once } from "../queues/once";
import { claimCanonicalId } from "../store/claim";
import { findPersonByKeys } from "../store/people";
import { traceStatement } from "../store/traces";
import type { TmsAdapter } from "../vendors/tms";
import { pickDeal } from "./compare";
import { openDeals } from "./link";

/** The golden deal an unlinked transaction belongs to, linked now; null when none fits one way. */
export async function linkArrivingTransaction(
  db: D1Database,
  tms: TmsAdapter,
  externalId: string,
  deliveryId: string,
): Promise<Result<string | null>> {
  const fetched = await tms.getTransaction(externalId);
  if (!fetched.ok) return fetched;
  const deal = fetched.value?.deal;
  const party =
    deal?.participants.find((p) => p.role === "buyer" && p.person) ?? deal?.participants.find((p) => p.role === "seller" && p.person);
  if (!deal || !party?.person) return ok(null);
  const person = await findPersonByKeys(db, {
    emails: party.person.emails.map((e) => e.value),
    phones: party.person.phones.map((p) => p.value),
  });
  if (!person) return ok(null);
  // A deal that fell through or closed is not the one a new transaction is for (a repeat client's).
  const candidates = await openDeals(db, person.id, tms.system, true);
  const chosen = pickDeal(candidates, {
    ...(deal.property?.address ? { address: deal.property.address } : {}),
    ...(deal.purchasePrice !== undefined ? { priceCents: deal.purchasePrice } : {}),
  });
  const now = Date.now();
  if (!chosen) {
    if (candidates.length > 0) {
      await traceStatement(db, {
        subject: person.id,
        deliveryId,
        stage: "TRANSACTION_UNLINKED",
        outcome: "skipped",
        detail: `${tms.system}:${externalId} fits none of ${candidates.length} open deals alone`,
        at: now,
      }).run();
    }
    return ok(null);
  }
  // Under the claim the hub creates a deal's transaction with: a creation under way (the CRM deal
  // reached the trigger stage meanwhile) makes this wait, and a deal it made a transaction for
  // keeps that one, instead of holding two.
  const done = await once(db, chosen.id, "tms.create", async () => {
    const linked = await claimCanonicalId(db, { system: tms.system, kind: "transaction", externalId }, chosen.id, now);
    if (linked.created)
      await traceStatement(db, {
        subject: linked.id,
        deliveryId,
        stage: "TRANSACTION_LINKED",
        detail: `${tms.system}:${externalId}, opened in the TMS for this deal's client`,
        at: now,
      }).run();
    return ok({ result: linked.id, writes: [] });
  });
  if (!done.ok) return done;
  return ok(done.value === "already_applied" ? null : done.value);
}
