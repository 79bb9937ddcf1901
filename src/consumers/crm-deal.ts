import type { CanonicalEvent, Person, Property } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { vendorOf } from "../config/connections";
import { dealColumns, mergeFields, mergeRead, overruled } from "../flows/golden";
import { planTransaction, transactionCreated } from "../flows/under-contract";
import { fireAlertAnyway } from "../alerts";
import { ok, permanent, transient, type Result } from "../lib/result";
import { log } from "../lib/log";
import { claimCanonicalId } from "../store/claim";
import { compareAndSet } from "../store/compare-and-set";
import { resolveSubjectStatement } from "../store/dead-letters";
import { getDeal, insertDealStatement, updateDealStatement } from "../store/deals";
import { findCanonicalId, findExternalId } from "../store/links";
import { getPerson, parseFields } from "../store/people";
import { traceIfChangedStatement, traceStatement } from "../store/traces";
import type { CrmAdapter, CrmDeal } from "../vendors/crm";
import { asGolden, forCreate, fromGolden, goldenKey, ownershipWith, writableTo } from "../mapping/custom-fields";
import type { GoldenFields } from "../flows/golden";
import { noteInvalidFields, noteUnmappedFields, restoreOwned } from "./deal-fields";
import { emit, emitRecorded } from "../queues/emit";
import { outboxIfChangedStatements } from "../store/outbox";
import { linkDealToListing } from "../mls/link";

/** The `deal.upserted` that carries a change of the brokerage's own fields to the deal's transaction. */
function customFieldsChanged(input: {
  dealId: string;
  fields: GoldenFields;
  customChanged: readonly string[];
  at: string;
  now: number;
  source: { system: CrmAdapter["system"]; externalId: string; deliveryId: string };
}): CanonicalEvent {
  const { dealId, fields, customChanged, at, now, source } = input;
  const changed = Object.fromEntries(Object.entries(fromGolden(fields)).filter(([k]) => customChanged.includes(goldenKey(k))));
  return {
    id: `${dealId}:fields:${at}:${customChanged.join(",")}`.slice(0, 300),
    type: "deal.upserted",
    schemaVersion: 1,
    occurredAt: at,
    receivedAt: new Date(now).toISOString(),
    source,
    subject: { kind: "deal", externalId: source.externalId },
    data: { deal: { id: dealId, custom: changed, dates: {}, participants: [] } },
  };
}

/**
 * A CRM deal merged into the golden deal at the deal's change time, but for the brokerage's fields
 * read from its person, which merge at the person's (an edit of the person leaves the deal's time).
 * Of the deal's own fields only those the CRM changed since the hub last read it merge: the deal's
 * time moves with any write (the hub's own transaction id too), and would otherwise carry a stage
 * the TMS has since moved on over the TMS's.
 */
export function mergeCrmDeal(
  current: GoldenFields,
  incoming: Record<string, unknown>,
  d: CrmDeal,
  system: string,
  at: string,
  ownership: Record<string, string>,
): { fields: GoldenFields; changed: string[]; noted: boolean } {
  const custom = d.deal.custom ?? {};
  const onPerson = new Set(d.personFields?.names ?? []);
  const pick = (fromPerson: boolean) => Object.fromEntries(Object.entries(custom).filter(([k]) => onPerson.has(k) === fromPerson));
  const own = mergeRead(current, { ...incoming, ...asGolden(pick(false)) }, system, at, ownership);
  if (onPerson.size === 0) return own;
  const theirs = mergeFields(own.fields, asGolden(pick(true)), system, d.personFields?.updatedAt ?? at, ownership);
  return { fields: theirs.fields, changed: [...own.changed, ...theirs.changed], noted: own.noted || theirs.changed.length > 0 };
}

/** Tries of the compare-and-set before the message is retried later. */
const ATTEMPTS = 3;

/**
 * A CRM deal changed (Follow Up Boss `dealsUpdated` → fetch the deal). Keeps the golden deal in
 * step and, when the deal reached the trigger stage, asks the TMS for the transaction (flow 2).
 *
 * The golden deal is read before the CRM's deal is fetched and written by compare-and-set on that
 * read (as the TMS status sync and the person sync do): what is written can then only replace a
 * version read before it was fetched. A TMS change (the deal closing) or another notice of the
 * deal committed in between makes the write change nothing, and both are read again.
 */
export async function handleCrmDeal(
  externalId: string,
  deliveryId: string,
  env: Env,
  config: BrokerageConfig,
  crm: CrmAdapter,
): Promise<Result<string>> {
  const db = env.DB;
  let linked = await findCanonicalId(db, crm.system, "deal", externalId);
  type Synced = {
    d: CrmDeal;
    dealId: string;
    personExt: string | undefined;
    personId: string | null;
    at: string;
    now: number;
    stageChanged: boolean;
    closedBare: boolean;
    fields: GoldenFields;
    customChanged: string[];
    /** The deal's TMS transaction, read with the golden deal (a deal new to the hub has none). */
    linkedTx: string | null;
    /** What the change sends on, recorded in the outbox with it. */
    events: CanonicalEvent[];
    /** The brokerage's fields the CRM holds otherwise than their owner set them: written back. */
    restore: string[];
  };
  const tmsSystem = vendorOf(config, config.tms);
  const ownership = ownershipWith(config.ownership, config.fields);
  const outcome = await compareAndSet<{ exit: Result<string> } | { synced: Synced }>(db, ATTEMPTS, async () => {
    const current = linked ? await getDeal(db, linked) : null;
    const fetched = await crm.getDeal(externalId);
    if (!fetched.ok) return { done: { exit: fetched } };
    const d = fetched.value;
    if (!d) return { done: { exit: ok("deal_gone") } };
    const now = Date.now();
    const dealId = (linked ??= (
      await claimCanonicalId(
        db,
        { system: crm.system, kind: "deal", externalId, connection: config.crm },
        `deal_${crypto.randomUUID()}`,
        now,
      )
    ).id);
    const personExt = d.personExternalIds[0];
    const personId = personExt ? await findCanonicalId(db, crm.system, "person", personExt) : null;
    const at = d.updatedAt ?? new Date(now).toISOString();
    const incoming = { name: d.name, stage: d.stage, price: d.deal.purchasePrice };
    // The brokerage's own fields join the golden record beside the standard ones, each with its
    // provenance and under the same ownership policy (`custom.<name>`).
    const merged = mergeCrmDeal(parseFields(current), incoming, d, crm.system, at, ownership);
    // Only the fields this change won reach the columns: the rest keep what the golden deal says.
    const columns = dealColumns(incoming, merged.changed);
    const customChanged = merged.changed.filter((k) => k.startsWith("custom."));
    const restore = overruled(merged.fields, asGolden(d.deal.custom ?? {}), crm.system, ownership);
    const linkedTx = current && tmsSystem ? await findExternalId(db, dealId, tmsSystem, "transaction") : null;
    const source = { system: crm.system, externalId, deliveryId };
    const events: CanonicalEvent[] = [];
    // A change of the brokerage's fields on a deal that has its transaction goes to the TMS too.
    const toTms = writableTo(customChanged, ownership, tmsSystem);
    if (linkedTx && toTms.length > 0)
      events.push(customFieldsChanged({ dealId, fields: merged.fields, customChanged: toTms, at, now, source }));
    // The deal closes, and is invoiced, when its transaction says closed and the golden deal
    // agrees (closesDeal). A TMS close the CRM's stage overruled was left open, and no later
    // notice of that transaction is sure to come: the CRM's close has it read again.
    if (linkedTx && tmsSystem && !current?.closed_at && merged.changed.includes("stage") && merged.fields.stage?.value === "closed")
      events.push({
        id: `${dealId}:reread:${current?.updated_at}`,
        type: "vendor.resource_changed",
        schemaVersion: 1,
        occurredAt: at,
        receivedAt: new Date(now).toISOString(),
        source,
        subject: { kind: "transaction", externalId: linkedTx },
        data: { system: tmsSystem, resource: "transaction", ids: [linkedTx], action: "updated" },
      });
    const synced = {
      synced: {
        d,
        dealId,
        personExt,
        personId,
        at,
        now,
        stageChanged: merged.changed.includes("stage"),
        // A deal the hub knew closing with no transaction: it never reached the trigger stage in
        // the hub's sight (an agent skipped it), so no transaction was made and none will be invoiced.
        closedBare: !!current && !!tmsSystem && !linkedTx && merged.changed.includes("stage") && merged.fields.stage?.value === "closed",
        fields: merged.fields,
        customChanged,
        linkedTx,
        events,
        restore,
      },
    };
    if (!current) {
      // An insert that finds the deal created by another notice meanwhile is tried again, merging into that.
      return {
        write: [
          insertDealStatement(db, { id: dealId, personId, ...columns, fields: merged.fields }, now),
          // Traced only by the copy whose insert won: two webhooks for one new deal can race here.
          traceIfChangedStatement(db, {
            subject: dealId,
            deliveryId,
            stage: "DEAL_LINKED",
            detail: `${crm.system}:${externalId}`,
            at: now,
          }),
        ],
        result: synced,
      };
    }
    // The agent gave the deal another client: invoices, notes and contact syncs follow them.
    const moved = personId && personId !== current.person_id ? { personId } : {};
    // Nothing changed, nor what the CRM holds (see mergeCrmDeal): nothing to write.
    if (!merged.noted && !moved.personId) return { done: synced };
    return {
      write: [
        updateDealStatement(db, dealId, { ...columns, ...moved, fields: merged.fields, expectedUpdatedAt: current.updated_at }, now),
        // Right after the compare-and-set update: recorded only if it was made.
        ...outboxIfChangedStatements(db, events, now),
      ],
      result: synced,
    };
  });
  if (!outcome.won)
    return transient("deal_changed_concurrently", `deal ${linked ?? `${crm.system}:${externalId}`} kept changing while syncing; retrying`, {
      retryAfterSeconds: 2,
    });
  if ("exit" in outcome.value) return outcome.value.exit;
  const { d, dealId, personExt, personId, at, now, stageChanged, closedBare, fields, customChanged, linkedTx, events, restore } =
    outcome.value.synced;
  await emitRecorded(env, events);
  if (closedBare)
    await fireAlertAnyway(env, {
      key: `deal_closed_without_transaction:${dealId}`,
      severity: "warning",
      title: `A deal closed in ${crm.system} with no ${tmsSystem} transaction`,
      detail: `${d.name} (${crm.system} ${externalId}) is ${d.vendorStage ?? "closed"} and was never '${config.triggerStage}' in the hub's sight, so it has no ${tmsSystem} transaction and will not be invoiced: move it to '${config.triggerStage}' to make one, or resolve this alert if none is owed.`,
    });
  // The owner's values go back over the CRM's edit of them (its echo then merges as unchanged).
  const restored = await restoreOwned(db, dealId, restore, { system: crm.system, deliveryId, now, ownership }, (values) =>
    crm.updateDealFields(externalId, values),
  );
  if (!restored.ok) return restored;
  await noteUnmappedFields(env, config, crm.system, deliveryId, d.customFields);
  await noteInvalidFields(env, config, crm.system, deliveryId, d.invalidFields);
  // A deal naming a replicated MLS listing (its MLS number or address) is linked to it, and the
  // transaction gets the listing's facts where the deal has none.
  const listed = await linkDealToListing(db, dealId, d.name, deliveryId, now);

  // A deal with its transaction whose CRM record does not hold the transaction's id was never
  // told it (the request lost with a restarted local runtime, or its dead letter discarded): it is
  // asked for again, under the one id per deal, so a write already applied is not repeated.
  if (tmsSystem && linkedTx && String(d.customFields[config.transactionIdField] ?? "") !== linkedTx)
    await emit(env, transactionCreated({ dealId, tmsSystem, transactionId: linkedTx, deliveryId, now }));

  // At the trigger stage without a transaction, the transaction is asked for whether or not this
  // very change moved the deal there: an earlier attempt may have stored the stage and then failed
  // (its retry, a redelivered webhook or the backup poll must still finish the job), or halted on
  // data the agent has since filled in. Creation is claimed once per deal, so asking twice is safe.
  if (d.vendorStage !== config.triggerStage || !tmsSystem)
    return ok(stageChanged ? "stage_changed" : customChanged.length > 0 ? "fields_changed" : "unchanged");
  if (linkedTx) return ok("transaction_exists");

  let buyer: Person | null = null;
  if (personExt) {
    const p = await crm.getPerson(personExt);
    if (!p.ok) return p;
    buyer = p.value?.person ?? null;
  }
  const golden = personId ? await getPerson(db, personId) : null;
  const lastInquiry = parseFields(golden).lastInquiry?.value as Property | undefined;
  const own = forCreate(config.fields, fromGolden(fields), new Set(d.invalidFields));
  const plan = planTransaction({
    custom: own.values,
    missingFields: own.missing,
    dealId,
    dealName: d.name,
    ...(d.deal.purchasePrice !== undefined ? { purchasePrice: d.deal.purchasePrice } : {}),
    buyer,
    ...(lastInquiry ? { lastInquiry } : {}),
    ...(listed ? { property: listed } : {}),
    ...(d.agentName ? { agent: { name: d.agentName } } : {}),
  });
  if (!plan.ok) {
    await db.batch([
      traceStatement(db, { subject: dealId, deliveryId, stage: "TMS_HALTED", outcome: "error", detail: plan.reason, at: now }),
    ]);
    log("warn", "transaction_halted", { dealId, missing: plan.missing.join(",") });
    // Every later notice of the deal (its webhooks, backup polls, a replay) halts the same way
    // until the agent fills the data in: one open dead letter for the deal, not one per notice.
    return permanent("transaction_incomplete", `deal ${dealId} (${crm.system} ${externalId}): ${plan.reason}`, {
      subject: haltSubject(dealId),
    });
  }
  await emit(env, {
    id: `${dealId}:under_contract`,
    type: "deal.stage_changed",
    schemaVersion: 1,
    occurredAt: at,
    receivedAt: new Date(now).toISOString(),
    source: { system: crm.system, externalId, deliveryId },
    subject: { kind: "deal", externalId },
    data: { to: "under_contract", deal: plan.deal },
  });
  // If the deal had halted, its letter has nothing left to replay.
  await resolveSubjectStatement(
    db,
    haltSubject(dealId),
    "resolved: the deal's data was filled in and its transaction requested",
    Date.now(),
  ).run();
  return ok("transaction_requested");
}

/** The dead-letter subject of a deal halted before its transaction (one open letter per deal). */
export function haltSubject(dealId: string): string {
  return `deal:${dealId}:transaction_halted`;
}
