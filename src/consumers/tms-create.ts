import type { Deal, EventOf } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { ok, permanent, type Result } from "../lib/result";
import { findCanonicalId, findExternalId, linkStatement } from "../store/links";
import { getDeal } from "../store/deals";
import { parseFields } from "../store/people";
import { forCreate, fromGolden } from "../mapping/custom-fields";
import { traceStatement } from "../store/traces";
import type { TmsAdapter } from "../vendors/tms";
import { transactionCreated } from "../flows/under-contract";
import { emit } from "../queues/emit";
import { once } from "../queues/once";
import { type AlertInput, fireAlert } from "../alerts";

/** The alert for a transaction created without some of its parts (one per TMS, naming the latest). */
function incompleteAlert(system: TmsAdapter["system"], dealId: string, externalId: string, missing: string): AlertInput {
  return {
    key: `tms_incomplete:${system}`,
    severity: "warning",
    title: `${system} transaction created incomplete`,
    detail: `${system} ${externalId} (deal ${dealId}) lacks ${missing}; see its TMS_INCOMPLETE trace`.slice(0, 500),
  };
}

/**
 * The deal with the custom values its golden record holds now. The trigger's copy was taken when
 * the deal reached the stage; a field the agent changed since then (while the trigger waited on a
 * rate limit, a retry or a replayed dead letter) had no transaction to reach, and the new
 * transaction's echo, stamped later, would otherwise bring the older value back to the CRM.
 */
async function withCurrentFields(db: D1Database, config: BrokerageConfig, deal: Deal): Promise<Deal> {
  const custom = forCreate(config.fields, { ...(deal.custom ?? {}), ...fromGolden(parseFields(await getDeal(db, deal.id ?? ""))) }).values;
  return Object.keys(custom).length > 0 ? { ...deal, custom } : deal;
}

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
  // One creation per deal at a time (two copies of the trigger may race); inside the claim, the
  // TMS is searched before anything is created, so a retry after a crash finds what it made.
  const link = (externalId: string) =>
    linkStatement(
      db,
      { system: tms.system, kind: "transaction", externalId, canonicalId: dealId, ...(config.tms ? { connection: config.tms } : {}) },
      Date.now(),
    );
  const made = await once(db, dealId, "tms.create", async (lease) => {
    const linked = await findExternalId(db, dealId, tms.system, "transaction");
    if (linked) return ok({ result: linked, writes: [] });
    const takenElsewhere = async (externalId: string) => {
      const owner = await findCanonicalId(db, tms.system, "transaction", externalId);
      return owner !== null && owner !== dealId;
    };
    const found = await tms.findTransaction(dealId, deal, takenElsewhere);
    if (!found.ok) return found;
    const externalId = found.value?.externalId ?? null;
    if (externalId) return ok({ result: externalId, writes: [link(externalId)] });
    const created = await tms.createTransaction({
      reference: dealId,
      deal: await withCurrentFields(db, config, deal),
      ...(deal.agent?.email ? { agentEmail: deal.agent.email } : {}),
    });
    if (!created.ok) return created;
    const { externalId: made, incomplete = [] } = created.value;
    // The link and the claim's completion commit together: "done" always means "linked".
    const traces = [
      traceStatement(db, {
        subject: dealId,
        deliveryId: event.source.deliveryId,
        stage: "TMS_CREATED",
        detail: `${tms.system}:${made}`,
        at: Date.now(),
      }),
    ];
    if (incomplete.length > 0) {
      // The transaction exists but lacks a part the agent would otherwise re-key: raised, and
      // recorded on the deal, rather than left to a log line.
      const missing = incomplete.join(", ");
      traces.push(
        traceStatement(db, {
          subject: dealId,
          deliveryId: event.source.deliveryId,
          stage: "TMS_INCOMPLETE",
          outcome: "error",
          detail: `${tms.system}:${made} without ${missing}`.slice(0, 500),
          at: Date.now(),
        }),
      );
      await lease.record(async () => {
        await fireAlert(env, incompleteAlert(tms.system, dealId, made, missing), config.alerts.minIntervalSeconds);
        return ok(undefined);
      });
    }
    return ok({ result: made, writes: [link(made), ...traces] });
  });
  if (!made.ok) return made;
  const externalId = await findExternalId(db, dealId, tms.system, "transaction");
  if (!externalId)
    return permanent("transaction_unlinked", `${tms.system} transaction for ${dealId} could not be linked (is it linked to another deal?)`);
  await emit(
    env,
    transactionCreated({
      dealId,
      tmsSystem: tms.system,
      transactionId: externalId,
      deliveryId: event.source.deliveryId,
      now: Date.now(),
      deal,
    }),
  );
  return ok(made.value === "already_applied" ? "already_linked" : "created");
}
