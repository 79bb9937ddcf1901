import type { EventOf } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { ok, permanent, type Result } from "../lib/result";
import { claimCanonicalId } from "../store/claim";
import { findExternalId } from "../store/links";
import { traceStatement } from "../store/traces";
import type { TmsAdapter } from "../vendors/tms";

/**
 * Flow 2, TMS side: create the transaction for a deal under contract — after searching the TMS
 * for one an interrupted attempt may have created — link it, and ask the CRM to record its id.
 */
export async function handleCreateTransaction(
  event: EventOf<"deal.stage_changed">,
  env: Env,
  config: BrokerageConfig,
  tms: TmsAdapter,
): Promise<Result<string>> {
  const deal = event.data.deal;
  if (event.data.to !== "under_contract" || !deal?.id) return ok("not_a_trigger");
  const db = env.DB;
  const dealId = deal.id;
  let externalId = await findExternalId(db, dealId, tms.system, "transaction");
  if (!externalId) {
    const found = await tms.findTransaction(dealId);
    if (!found.ok) return found;
    externalId = found.value?.externalId ?? null;
  }
  if (!externalId) {
    const created = await tms.createTransaction({ reference: dealId, deal, ...(deal.agent?.email ? { agentEmail: deal.agent.email } : {}) });
    if (!created.ok) return created;
    externalId = created.value.externalId;
  }
  const now = Date.now();
  const claim = await claimCanonicalId(db, { system: tms.system, kind: "transaction", externalId, ...(config.tms ? { connection: config.tms } : {}) }, dealId, now);
  if (claim.id !== dealId) return permanent("transaction_linked_elsewhere", `${tms.system} ${externalId} already belongs to ${claim.id}`);
  if (claim.created) {
    await db.batch([traceStatement(db, { subject: dealId, deliveryId: event.source.deliveryId, stage: "TMS_CREATED", detail: `${tms.system}:${externalId}`, at: now })]);
  }
  await env.CRM.send(
    {
      v: 1,
      event: {
        id: `${dealId}:transaction_created`,
        type: "transaction.created",
        schemaVersion: 1,
        occurredAt: new Date(now).toISOString(),
        receivedAt: new Date(now).toISOString(),
        source: { system: tms.system, externalId, deliveryId: event.source.deliveryId },
        subject: { kind: "transaction", externalId },
        data: { transaction: { ...deal, id: dealId } },
      },
    },
    { contentType: "json" },
  );
  return ok(claim.created ? "created" : "already_linked");
}
