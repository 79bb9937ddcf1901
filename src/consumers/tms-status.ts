import { linkArrivingTransaction } from "../backfill/live";
import type { CanonicalMessage } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { closesDeal, dealColumns, mergeFields } from "../flows/golden";
import { ok, transient, type Result } from "../lib/result";
import { getDeal, updateDealStatement } from "../store/deals";
import { findCanonicalId } from "../store/links";
import { parseFields } from "../store/people";
import type { TmsAdapter } from "../vendors/tms";

/**
 * Flow 3: a transaction changed in the TMS (Dotloop LOOP_UPDATED, or a SkySlope change found by
 * polling). Fetch it, update the golden deal, and when its stage moved tell the CRM; when it
 * closed, tell accounting (flow 4).
 */
export async function handleTmsChange(externalId: string, deliveryId: string, env: Env, config: BrokerageConfig, tms: TmsAdapter): Promise<Result<string>> {
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
  if (!tx) return ok("transaction_gone");
  const now = Date.now();
  const at = tx.updatedAt ?? new Date(now).toISOString();
  const incoming = { stage: tx.stage, price: tx.deal.purchasePrice, commission: tx.deal.commission, closingDate: tx.deal.dates.actualClosing ?? tx.deal.dates.estimatedClosing };
  const merged = mergeFields(parseFields(current), incoming, tms.system, at, config.ownership);
  // Only the fields this change won reach the columns, and the deal closes only if the merged
  // deal says closed: a TMS stage that lost the merge (the CRM's later stage, an owner rule) must
  // not overwrite the stage column, set closed_at or invoice the deal.
  const columns = dealColumns(incoming, merged.changed);
  const closedNow = closesDeal(tx.stage, merged.fields, current.closed_at);
  if (merged.changed.length === 0 && !closedNow) return ok("unchanged");
  const from = current.stage ?? undefined;
  // Two changes of one loop can be processed at once: the update is a compare-and-set on what
  // was read, and the loser retries (and then finds nothing left to do).
  const [updated] = await db.batch([
    updateDealStatement(
      db,
      dealId,
      { ...columns, ...(closedNow ? { closedAt: now } : {}), fields: merged.fields, expectedUpdatedAt: current.updated_at },
      now,
    ),
    ...(closedNow
      ? [db.prepare(`INSERT INTO traces (subject, delivery_id, stage, outcome, detail, at) SELECT ?1, ?2, 'CLOSED', 'ok', ?3, ?4 WHERE changes() > 0`).bind(dealId, deliveryId, `${tms.system}:${externalId}`, now)]
      : []),
  ]);
  if ((updated?.meta.changes ?? 0) === 0) return transient("deal_changed_concurrently", `deal ${dealId} changed while syncing; retrying`, { retryAfterSeconds: 2 });

  const base = {
    schemaVersion: 1 as const,
    occurredAt: at,
    receivedAt: new Date(now).toISOString(),
    source: { system: tms.system, externalId, deliveryId },
    subject: { kind: "transaction" as const, externalId },
  };
  const transaction = { ...tx.deal, id: dealId };
  const messages: Array<{ queue: Queue; body: CanonicalMessage }> = [];
  if (merged.changed.includes("stage") && tx.stage) {
    messages.push({
      queue: env.CRM,
      // One event per change of the golden deal (the version it replaced): a deal that leaves a
      // stage and comes back to it is synced again, a redelivered change is not.
      body: { v: 1, event: { ...base, id: `${dealId}:status:${tx.stage}:${current.updated_at}`, type: "transaction.status_changed", data: { ...(from ? { from: from as typeof tx.stage } : {}), to: tx.stage, ...(tx.vendorStatus ? { rawStatus: tx.vendorStatus } : {}), transaction } } },
    });
  }
  if (closedNow) {
    messages.push({ queue: env.ACCOUNTING, body: { v: 1, event: { ...base, id: `${dealId}:closed`, type: "transaction.closed", data: { transaction } } } });
  }
  for (const m of messages) await m.queue.send(m.body, { contentType: "json" });
  return ok(closedNow ? "closed" : "synced");
}
