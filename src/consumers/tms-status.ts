import { commissionChanged } from "../alerts";
import { linkArrivingTransaction } from "../backfill/live";
import { noteInvalidFields } from "./deal-fields";
import type { CanonicalEvent } from "../canonical";
import { emitRecorded } from "../queues/emit";
import type { BrokerageConfig } from "../config/brokerage";
import { vendorOf } from "../config/connections";
import { closesDeal, dealColumns, mergeRead, overruled } from "../flows/golden";
import { ok, permanent, transient, type Result } from "../lib/result";
import { compareAndSet } from "../store/compare-and-set";
import { getDeal, updateDealStatement } from "../store/deals";
import { outboxIfChangedStatements } from "../store/outbox";
import { findCanonicalId } from "../store/links";
import { parseFields } from "../store/people";
import { traceIfChangedStatement } from "../store/traces";
import type { TmsAdapter } from "../vendors/tms";
import { asGolden, fromGolden, goldenKey, ownershipWith, writableTo } from "../mapping/custom-fields";
import { restoreOwned } from "./deal-fields";
import { usd } from "../lib/money";

/**
 * Flow 3: a transaction changed in the TMS (Dotloop LOOP_UPDATED, or a SkySlope change found by
 * polling). Fetch it, update the golden deal, and when its stage moved tell the CRM; when it
 * closed, tell whoever the routing table names (accounting invoices it, flow 4).
 */
export async function handleTmsChange(
  externalId: string,
  deliveryId: string,
  env: Env,
  config: BrokerageConfig,
  tms: TmsAdapter,
): Promise<Result<string>> {
  const db = env.DB;
  let dealId = await findCanonicalId(db, tms.system, "transaction", externalId);
  if (!dealId) {
    // A transaction the hub did not create (opened by hand in the TMS): linked to its client's
    // deal when one fits, else left alone.
    const linked = await linkArrivingTransaction(db, tms, externalId, deliveryId);
    if (!linked.ok) return linked;
    if (!linked.value) return ok("not_linked");
    dealId = linked.value;
  }
  // The golden deal is read before the transaction is fetched, and written by compare-and-set on
  // what was read: a snapshot can then only replace a version older than itself. Read after the
  // fetch, a slow processing's older snapshot (the loop before it was sold, stamped the same
  // second) could overwrite a newer one and move the deal, and the CRM, back.
  const current = await getDeal(db, dealId);
  if (!current) return ok("no_golden_deal");
  const fetched = await tms.getTransaction(externalId);
  if (!fetched.ok) return fetched;
  const tx = fetched.value;
  // A linked transaction the TMS does not find (its grant no longer sees it, or it was removed):
  // the change it announced is unread, so it waits in a dead letter, one per deal, to be replayed.
  if (!tx)
    return permanent("transaction_unreadable", `${tms.system} ${externalId}, linked to ${dealId}, was not found`, {
      vendor: tms.system,
      subject: dealId,
    });
  await noteInvalidFields(env, config, tms.system, deliveryId, tx.invalidFields);
  const now = Date.now();
  const at = tx.updatedAt ?? new Date(now).toISOString();
  const incoming = {
    stage: tx.stage,
    price: tx.deal.purchasePrice,
    commission: tx.deal.commission,
    closingDate: tx.deal.dates.actualClosing ?? tx.deal.dates.estimatedClosing,
  };
  // The brokerage's own fields merge beside the standard ones, under the same ownership policy;
  // only those the TMS changed since the hub last read it (its stamp moves with the hub's own writes).
  const ownership = ownershipWith(config.ownership, config.fields);
  const merged = mergeRead(parseFields(current), { ...incoming, ...asGolden(tx.deal.custom ?? {}) }, tms.system, at, ownership);
  // Only the fields this change won reach the columns, and the deal closes only if the merged
  // deal says closed: a TMS stage that lost the merge (the CRM's later stage, an owner rule) must
  // not overwrite the stage column, set closed_at or invoice the deal.
  const columns = dealColumns(incoming, merged.changed);
  const closedNow = closesDeal(tx.stage, merged.fields, current.closed_at);
  const restored = await restoreOwned(
    db,
    dealId,
    overruled(merged.fields, asGolden(tx.deal.custom ?? {}), tms.system, ownership),
    { system: tms.system, deliveryId, now, ownership },
    (values) => tms.updateFields(externalId, values),
  );
  if (!restored.ok) return restored;
  if (!merged.noted && !closedNow) return ok(restored.value ? "restored" : "unchanged");
  const from = current.stage ?? undefined;
  const base = {
    schemaVersion: 1 as const,
    occurredAt: at,
    receivedAt: new Date(now).toISOString(),
    source: { system: tms.system, externalId, deliveryId },
    subject: { kind: "transaction" as const, externalId },
  };
  const transaction = { ...tx.deal, id: dealId };
  const events: CanonicalEvent[] = [];
  if (merged.changed.includes("stage") && tx.stage) {
    // One event per change of the golden deal, carrying the version it replaced: a deal that
    // leaves a stage and comes back to it is synced again, a redelivered change is not, and an
    // older change arriving after a later one is told apart by the version.
    events.push({
      ...base,
      id: `${dealId}:status:${tx.stage}:${current.updated_at}`,
      recordVersion: current.updated_at,
      type: "transaction.status_changed",
      data: {
        ...(from ? { from: from as typeof tx.stage } : {}),
        to: tx.stage,
        ...(tx.vendorStatus ? { rawStatus: tx.vendorStatus } : {}),
        transaction,
      },
    });
  }
  const customChanged = writableTo(
    merged.changed.filter((k) => k.startsWith("custom.")),
    ownership,
    vendorOf(config, config.crm),
  );
  if (customChanged.length > 0) {
    // The fields this change won go back to the CRM (what it already holds is not written again:
    // the CRM's echo of them then merges as "unchanged").
    const custom = Object.fromEntries(Object.entries(fromGolden(merged.fields)).filter(([k]) => customChanged.includes(goldenKey(k))));
    events.push({
      ...base,
      id: `${dealId}:fields:${current.updated_at}`,
      recordVersion: current.updated_at,
      type: "transaction.upserted",
      data: { transaction: { id: dealId, custom, dates: {}, participants: [] } },
    });
  }
  if (closedNow) events.push({ ...base, id: `${dealId}:closed`, type: "transaction.closed", data: { transaction } });
  // Two changes of one loop can be processed at once: the update is a compare-and-set on what
  // was read, and the loser retries (and then finds nothing left to do).
  // One try here: the queue's retry is the next read.
  const updated = await compareAndSet(db, 1, async () => ({
    write: [
      updateDealStatement(
        db,
        dealId,
        { ...columns, ...(closedNow ? { closedAt: now } : {}), fields: merged.fields, expectedUpdatedAt: current.updated_at },
        now,
      ),
      ...(closedNow
        ? [traceIfChangedStatement(db, { subject: dealId, deliveryId, stage: "CLOSED", detail: `${tms.system}:${externalId}`, at: now })]
        : []),
      // What this change sets off is recorded with it, if it is made: a retry of this message
      // would find the change made and nothing left to send (src/store/outbox.ts).
      ...outboxIfChangedStatements(db, events, now),
    ],
    result: true,
  }));
  if (!updated.won)
    return transient("deal_changed_concurrently", `deal ${dealId} changed while syncing; retrying`, { retryAfterSeconds: 2 });

  await emitRecorded(env, events);
  // A deal invoiced already whose commission or price the TMS corrects: the hub does not bill a
  // deal twice, so the books keep the first figure until someone adjusts the invoice.
  if (current.closed_at && current.gci_cents !== null && merged.changed.some((f) => f === "commission" || f === "price"))
    await commissionChanged(
      env,
      dealId,
      `${current.name ?? dealId} (${tms.system} ${externalId}): its commission or price changed after it was invoiced for ${usd(current.gci_cents)}`,
    );
  return ok(closedNow ? "closed" : merged.changed.length ? "synced" : "unchanged");
}
