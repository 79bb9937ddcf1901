import { commissionChanged, fireAlert } from "../alerts";
import { Commission, type EventOf } from "../canonical";
import { parseCanonicalMessage } from "../queues/messages";
import type { BrokerageConfig } from "../config/brokerage";
import { brokerageConfig } from "../config/load";
import { commissionPlan } from "../flows/commission";
import { failureLabel } from "../lib/failures";
import { usd } from "../lib/money";
import { ok, permanent, type Result } from "../lib/result";
import { claimCanonicalId } from "../store/claim";
import { getDeal, updateDealStatement } from "../store/deals";
import { findCanonicalId, findExternalId, linkStatement, relinkStatements } from "../store/links";
import { getPerson, parseFields } from "../store/people";
import { fromGolden } from "../mapping/custom-fields";
import { traceStatement } from "../store/traces";
import type { AccountingAdapter, BillsInput } from "../vendors/accounting";
import { accountingFor } from "../vendors/systems";
import { recordInPlace } from "../queues/once";

/**
 * Flow 4: a closed transaction becomes the accounting document the brokerage configured (invoice
 * or sales receipt for the gross commission, optionally a bill per agent split), idempotent by a
 * request id derived from the deal.
 */
async function invoiceClosed(
  event: EventOf<"transaction.closed">,
  env: Env,
  config: BrokerageConfig,
  acct: AccountingAdapter,
): Promise<Result<string>> {
  const db = env.DB;
  const tx = event.data.transaction;
  if (!tx.id) return permanent("event_incomplete", "transaction.closed without a deal id");
  const invoiced = await findExternalId(db, tx.id, acct.system, "invoice");
  const doc = config.accountingDocument;
  if (invoiced && !doc.agentBills) return ok("already_invoiced");
  const golden = await getDeal(db, tx.id);
  const fields = parseFields(golden);
  // The event holds the deal as it closed. A commission entered or corrected in the TMS after that
  // is merged into the golden deal, where a retry, or the replay of this event's dead letter,
  // finds it: the golden commission is billed, and the golden price where the event has none.
  const stored = Commission.safeParse(fields.commission?.value);
  const price = fields.price?.value;
  const plan = commissionPlan({
    ...tx,
    ...(stored.success ? { commission: stored.data } : {}),
    ...(tx.purchasePrice === undefined && typeof price === "number" ? { purchasePrice: price } : {}),
  });
  if (!plan.ok) return permanent("commission_missing", plan.reason);
  const address = tx.property?.address;
  const where = address ? [address.number, address.street, address.suffix].filter(Boolean).join(" ") : (golden?.name ?? tx.id);
  const bills = {
    reference: tx.id,
    description: `Commission - ${where}`,
    payouts: doc.agentBills ? plan.payouts : [],
    expenseAccountRef: doc.expenseAccountRef,
  };
  // The document was made on an earlier try whose bills were not all made: only those are left.
  if (invoiced) return billsLeft(env, acct, bills, event.source.deliveryId);
  const person = golden?.person_id ? await getPerson(db, golden.person_id) : null;
  // Found by name, a customer may be another client's of the same name: once linked, the client's own.
  const customerId = person ? await findExternalId(db, person.id, acct.system, "customer") : null;
  const buyer = tx.participants.find((p) => p.role === "buyer")?.person;
  const customerName =
    [person?.first_name ?? buyer?.firstName, person?.last_name ?? buyer?.lastName].filter(Boolean).join(" ") ||
    golden?.name ||
    `Deal ${tx.id}`;
  const r = await acct.recordCommission({
    ...bills,
    customerName,
    ...(person?.email ? { customerEmail: person.email } : {}),
    ...(customerId ? { customerId } : {}),
    taken: async (id) => ![null, person?.id].includes(await findCanonicalId(db, acct.system, "customer", id)),
    grossCents: plan.grossCents,
    kind: doc.kind,
    itemRef: doc.itemRef,
    // The golden record's values of the brokerage's fields (the event's copy may predate a change).
    custom: { ...(tx.custom ?? {}), ...fromGolden(fields) },
  });
  if (!r.ok) return r;
  const { documentId, docNumber, billIds, billsFailed } = r.value;
  const dealId = tx.id;
  // An earlier try made the document and its answer was lost: the vendor answers that document,
  // at the figure of then. The deal records what the books say, and a corrected commission since
  // is the accountant's to adjust, as after any invoice.
  const billedCents = r.value.billedCents ?? plan.grossCents;
  const docName = `${doc.kind} ${docNumber ?? documentId}`;
  const stale = billedCents !== plan.grossCents ? `, billed ${usd(billedCents)} by an earlier try, not ${usd(plan.grossCents)}` : "";
  // The document exists now. Its request id makes a retry's create return it rather than make a
  // second, but only while QuickBooks remembers that id, so its link is recorded in place through
  // D1 trouble (a replay of the message days later would otherwise invoice the deal again), and
  // before a failed bill fails the message: its retry then makes only the bills.
  const recorded = await recordInPlace(
    async () => {
      const now = Date.now();
      const claim = await claimCanonicalId(
        db,
        { system: acct.system, kind: "invoice", externalId: documentId, ...(config.accounting ? { connection: config.accounting } : {}) },
        dealId,
        now,
      );
      if (claim.created) {
        await db.batch([
          // Only the commission: the deal's fields were read before the (slow, rate-limited) vendor
          // call, and writing them back would revert whatever changed them meanwhile.
          updateDealStatement(db, dealId, { gciCents: billedCents }, now),
          // The customer it used, linked to the client unless it already was.
          ...(person && !customerId
            ? [linkStatement(db, { system: acct.system, kind: "customer", externalId: r.value.customerId, canonicalId: person.id }, now)]
            : []),
          traceStatement(db, {
            subject: dealId,
            deliveryId: event.source.deliveryId,
            stage: "INVOICED",
            detail: `${acct.system} ${docName}${stale}${billsFailed ? `, agent bills not made: ${failureLabel(billsFailed)}` : billsNote(doc.agentBills, billIds.length)}`,
            at: now,
          }),
        ]);
      }
      return ok("invoiced");
    },
    { log: "record_retried", eventId: event.id, action: "accounting.invoice" },
  );
  if (recorded.ok && stale) await commissionChanged(env, dealId, `${golden?.name ?? dealId}: ${docName}${stale}`);
  return recorded.ok && billsFailed ? { ok: false, error: billsFailed } : recorded;
}

/** The agent bills of a deal invoiced before, each made unless found; traced when any was made. */
async function billsLeft(env: Env, acct: AccountingAdapter, input: BillsInput, deliveryId: string): Promise<Result<string>> {
  if (input.payouts.length === 0) return ok("already_invoiced");
  const r = await acct.recordBills(input);
  if (!r.ok) return r;
  if (r.value.made > 0)
    await traceStatement(env.DB, {
      subject: input.reference,
      deliveryId,
      stage: "BILLED",
      detail: `${acct.system}: ${r.value.made} agent bill${r.value.made === 1 ? "" : "s"}`,
      at: Date.now(),
    }).run();
  return ok("already_invoiced");
}

/**
 * What the trace says of agent bills when the brokerage asked for them: how many, or that the
 * transaction named no agent splits (so none was billed, rather than silently none).
 */
function billsNote(agentBills: boolean, bills: number): string {
  if (!agentBills) return "";
  return bills > 0 ? `, ${bills} agent bill${bills === 1 ? "" : "s"}` : ", no agent bills: the transaction names no agent splits";
}

/**
 * A commission document of the hub's voided or deleted in the accounting system by hand: said on
 * the deal's timeline and raised as an alert. Its link stays, so the deal is not billed again
 * behind the accountant's back; a document the hub did not make is left alone.
 */
async function documentWithdrawn(
  event: EventOf<"invoice.changed" | "vendor.resource_changed">,
  env: Env,
  kind: string,
): Promise<Result<string>> {
  const { system, resource, ids, action } = event.data;
  if (resource !== kind || (action !== "voided" && action !== "deleted")) return ok(`no_accounting_action:${event.type}`);
  let ours = 0;
  for (const id of ids) {
    const dealId = await findCanonicalId(env.DB, system, "invoice", id);
    if (!dealId) continue;
    ours++;
    const what = `${system} ${resource} ${id} of deal ${dealId} was ${action}`;
    await traceStatement(env.DB, {
      subject: dealId,
      deliveryId: event.source.deliveryId,
      stage: "INVOICE_WITHDRAWN",
      outcome: "error",
      detail: what,
      at: Date.now(),
    }).run();
    await fireAlert(env, { key: `invoice_${action}:${system}:${id}`, severity: "warning", title: what });
  }
  return ok(`${action}:${ours}`);
}

/** The `accounting` queue. */
export async function accountingMessage(body: unknown, env: Env): Promise<Result<unknown>> {
  const msg = parseCanonicalMessage(body);
  if (!msg.ok) return permanent(msg.code, msg.message);
  const config = brokerageConfig(env);
  if (!config.accounting) return ok("no_accounting_configured");
  const event = msg.value.event;
  switch (event.type) {
    case "transaction.closed":
      return invoiceClosed(event, env, config, accountingFor(env, config));
    // A sales receipt's change is QuickBooks' own vendor.resource_changed, of the same data.
    case "invoice.changed":
    case "vendor.resource_changed": {
      // The accountant merged a client's customer into another: later invoices go to the one kept.
      const { resource, action, ids, mergedIds } = event.data;
      if (resource === "customer" && action === "merged" && ids[0] && mergedIds?.length) {
        await env.DB.batch(relinkStatements(env.DB, event.data.system, "customer", mergedIds, ids[0]));
        return ok("customer_relinked");
      }
      return documentWithdrawn(event, env, config.accountingDocument.kind);
    }
    default:
      // The hub writes commissions to accounting; of what it reads back, only a withdrawn document matters.
      return ok(`no_accounting_action:${event.type}`);
  }
}
