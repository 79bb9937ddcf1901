import { fireAlert } from "../alerts";
import type { EventOf } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { ok, permanent, type Result } from "../lib/result";
import { laterApplied } from "../store/applied";
import { resolveSubjectStatement } from "../store/dead-letters";
import { getDeal, noteStageHeldStatement } from "../store/deals";
import { findCanonicalId, findExternalId } from "../store/links";
import { personIdByEmail } from "../store/people";
import { currentDealValues } from "./deal-fields";
import { traceStatement } from "../store/traces";
import type { CrmAdapter } from "../vendors/crm";
import { once } from "../queues/once";

/**
 * The brokerage's own fields changed in the TMS: the CRM deal takes the ones it maps, as the
 * golden deal holds them now. Writing the same values twice changes nothing, so a redelivered
 * change needs no claim.
 */
export async function writeFields(
  event: EventOf<"transaction.upserted">,
  env: Env,
  config: BrokerageConfig,
  crm: CrmAdapter,
): Promise<Result<string>> {
  const dealId = event.data.transaction.id;
  const custom = event.data.transaction.custom ?? {};
  if (!dealId || event.source.system === crm.system) return ok("own_change");
  // A field kept on the CRM deal's person is written there (`updateDealFields`).
  const mapped = (k: string) => config.fields[k]?.followupboss?.deal || config.fields[k]?.followupboss?.person;
  if (!Object.keys(custom).some(mapped)) return ok("no_crm_fields");
  const crmDeal = await findExternalId(env.DB, dealId, crm.system, "deal");
  if (!crmDeal) return permanent("deal_not_linked", `deal ${dealId} has no ${crm.system} deal`);
  const r = await crm.updateDealFields(crmDeal, await currentDealValues(env.DB, dealId, custom));
  if (!r.ok) return r;
  await env.DB.batch([
    traceStatement(env.DB, {
      subject: dealId,
      deliveryId: event.source.deliveryId,
      stage: "FIELDS_SYNCED",
      detail: `${crm.system}: ${Object.keys(custom).join(", ")}`.slice(0, 500),
      at: Date.now(),
    }),
  ]);
  return ok("fields_written");
}

/** Flow 2, last step: the TMS id goes back to the CRM deal's custom field. */
export async function writeTransactionId(
  event: EventOf<"transaction.created">,
  env: Env,
  config: BrokerageConfig,
  crm: CrmAdapter,
): Promise<Result<string>> {
  const db = env.DB;
  const dealId = event.data.transaction.id;
  const tmsId = event.source.externalId;
  if (!dealId || !tmsId) return permanent("event_incomplete", "transaction.created without deal id or TMS id");
  const crmDeal = await findExternalId(db, dealId, crm.system, "deal");
  if (!crmDeal) return permanent("deal_not_linked", `deal ${dealId} has no ${crm.system} deal`);
  // Every request for the deal's id is one write (see `transactionCreated`): while it fails, its
  // requests share one open dead letter, and the write closes it once applied.
  const subject = transactionIdSubject(dealId);
  return once(db, event.id, "crm.transaction_id", async () => {
    const r = await crm.updateDeal(crmDeal, { customFields: { [config.transactionIdField]: tmsId } });
    if (!r.ok) return { ok: false, error: { ...r.error, subject } };
    const now = Date.now();
    return ok({
      result: tmsId,
      writes: [
        traceStatement(db, {
          subject: dealId,
          deliveryId: event.source.deliveryId,
          stage: "TMS_ID_WRITTEN",
          detail: `${config.transactionIdField}=${tmsId}`,
          at: now,
        }),
        resolveSubjectStatement(db, subject, "resolved: the transaction id was written by a later request", now),
      ],
    });
  });
}

/** The dead-letter subject of a deal's transaction id write (one open letter per deal). */
export function transactionIdSubject(dealId: string): string {
  return `deal:${dealId}:transaction_id`;
}

const STATUS_ACTION = "crm.status";

/** Flow 3, CRM side: the deal's stage follows the TMS, with a note on the person. */
export async function syncStatusToCrm(event: EventOf<"transaction.status_changed">, env: Env, crm: CrmAdapter): Promise<Result<string>> {
  const db = env.DB;
  const dealId = event.data.transaction?.id;
  if (!dealId) return permanent("event_incomplete", "transaction.status_changed without a deal id");
  const crmDeal = await findExternalId(db, dealId, crm.system, "deal");
  if (!crmDeal) return permanent("deal_not_linked", `deal ${dealId} has no ${crm.system} deal`);
  // A change older than one the CRM already got from us (a dead letter replayed after a later
  // status synced, or a copy delayed by its retries) must not move the CRM deal back. A change
  // without a version (queued before changes carried one) is applied as it comes.
  const version =
    event.recordVersion === undefined ? undefined : { kind: "status" as const, subject: dealId, version: event.recordVersion };
  const newer = version ? await laterApplied(db, STATUS_ACTION, version) : null;
  // Nor may it undo a stage the deal took since (an agent's move in the CRM, which then holds it).
  const golden = await getDeal(db, dealId);
  const moved = golden?.stage !== event.data.to && golden?.stage;
  if (newer || moved) {
    await traceStatement(db, {
      subject: dealId,
      deliveryId: event.source.deliveryId,
      stage: "STATUS_SUPERSEDED",
      outcome: "skipped",
      detail: `${event.data.to}: ${newer ? `the CRM already has a later status (${newer.result} @ ${newer.version})` : `the deal is ${moved} since`}`,
      at: Date.now(),
    }).run();
    return ok("superseded");
  }
  return once(
    db,
    event.id,
    STATUS_ACTION,
    async () => {
      const r = await crm.updateDeal(crmDeal, { stage: event.data.to });
      if (!r.ok) return r;
      const personCrm = golden?.person_id ? await findExternalId(db, golden.person_id, crm.system, "person") : null;
      if (personCrm) {
        const status = event.data.rawStatus ?? event.data.to;
        const note = await crm.addNote(
          personCrm,
          "Transaction status",
          `${event.source.system} status is now ${status}${golden?.name ? ` for ${golden.name}` : ""}.`,
        );
        if (!note.ok) return note;
      }
      return ok({
        result: event.data.to,
        writes: [
          // The CRM holds the stage now: its echo is not the CRM's change, an agent's move after it is.
          noteStageHeldStatement(db, dealId, crm.system, event.data.to),
          traceStatement(db, {
            subject: dealId,
            deliveryId: event.source.deliveryId,
            stage: "STATUS_SYNCED",
            detail: `${event.data.from ?? "?"}→${event.data.to}`,
            at: Date.now(),
          }),
        ],
      });
    },
    version ? { version } : {},
  );
}

/**
 * Flow 6: a signed document becomes a note on the CRM person (and its deal); it creates nothing.
 * DocuSign Connect's JSON SIM event carries the recipients only when the account's Connect
 * configuration includes them; without them the note cannot be placed, and that is raised as an
 * alert naming the setting, never skipped in silence.
 */
export async function noteSignedDocument(event: EventOf<"document.signed">, env: Env, crm: CrmAdapter): Promise<Result<string>> {
  const db = env.DB;
  if (event.data.signers.length === 0) {
    const system = event.source.system;
    await fireAlert(env, {
      key: `document_without_signers:${system}`,
      severity: "warning",
      title: `Signed documents from ${system} arrive without their signers`,
      detail:
        `envelope ${event.data.envelopeId} (delivery ${event.source.deliveryId}) names no recipients, so no CRM note could be placed: include Recipients in the DocuSign Connect configuration's data, then republish the envelope from Connect's failures queue.`.slice(
          0,
          500,
        ),
    });
    await db.batch([
      traceStatement(db, {
        subject: event.data.envelopeId,
        deliveryId: event.source.deliveryId,
        stage: "DOCUMENT_NO_SIGNERS",
        outcome: "error",
        detail: "the event names no signers: the Connect configuration omits recipients",
        at: Date.now(),
      }),
    ]);
    return ok("no_signers");
  }
  // One recipient's signing is not the document signed: the note waits for the envelope.
  if (event.data.scope === "recipient") {
    await traceStatement(db, {
      subject: event.data.envelopeId,
      deliveryId: event.source.deliveryId,
      stage: "DOCUMENT_RECIPIENT_SIGNED",
      outcome: "skipped",
      detail: `recipient ${event.data.recipientId ?? "?"}; the note waits for the whole envelope`,
      at: Date.now(),
    }).run();
    return ok("recipient_signed");
  }
  const emails = event.data.signers.map((s) => s.email).filter((e): e is string => Boolean(e));
  let personId: string | null = null;
  for (const email of emails) {
    personId = await personIdByEmail(db, email);
    if (personId) break;
  }
  const dealRef = event.data.customFields.dealId ?? event.data.customFields.loopId;
  const dealId = dealRef ? ((await findCanonicalId(db, "dotloop", "transaction", dealRef)) ?? dealRef) : null;
  const personCrm = personId ? await findExternalId(db, personId, crm.system, "person") : null;
  const now = Date.now();
  if (!personCrm) {
    await db.batch([
      traceStatement(db, {
        subject: event.data.envelopeId,
        deliveryId: event.source.deliveryId,
        stage: "DOCUMENT_UNMATCHED",
        outcome: "skipped",
        detail: "no known signer",
        at: now,
      }),
    ]);
    return ok("no_known_signer");
  }
  const title = event.data.title ?? "A document";
  // Once per envelope, not per delivery: Connect's retries (and a second Connect configuration)
  // send the same signing as bodies that differ, so as deliveries of their own.
  return once(db, `${event.source.system}:${event.data.envelopeId}`, "crm.document_note", async () => {
    const r = await crm.addNote(
      personCrm,
      "Document signed",
      `${title} was signed (${event.source.system} envelope ${event.data.envelopeId}).`,
    );
    if (!r.ok) return r;
    return ok({
      result: personCrm,
      writes: [
        traceStatement(db, {
          subject: personId ?? event.data.envelopeId,
          deliveryId: event.source.deliveryId,
          stage: "DOCUMENT_SIGNED",
          detail: event.data.envelopeId,
          at: now,
        }),
        ...(dealId
          ? [
              traceStatement(db, {
                subject: dealId,
                deliveryId: event.source.deliveryId,
                stage: "DOCUMENT_SIGNED",
                detail: event.data.envelopeId,
                at: now,
              }),
            ]
          : []),
      ],
    });
  });
}
