import { parseCanonicalMessage } from "../queues/messages";
import { brokerageConfig } from "../config/load";
import { changeTime } from "../flows/golden";
import { ok, permanent, type Result } from "../lib/result";
import { dealIdsOfPerson } from "../store/links";
import { tmsFor } from "../vendors/systems";
import type { TmsAdapter, TmsTransaction } from "../vendors/tms";
import { pushContact } from "./contact-push";
import { applyPersonChange } from "./person-sync";
import { handleCreateTransaction } from "./tms-create";
import { handleTmsChange } from "./tms-status";
import type { EventOf } from "../canonical";
import { findExternalId } from "../store/links";
import { personKeys } from "../store/people";
import { traceStatement } from "../store/traces";
import { currentDealValues } from "./deal-fields";

/**
 * The brokerage's own fields changed on the CRM deal: the linked transaction takes them, as the
 * golden deal holds them now. Writing the same values twice changes nothing, so a redelivered
 * change needs no claim.
 */
async function pushFields(event: EventOf<"deal.upserted">, env: Env, tms: TmsAdapter): Promise<Result<unknown>> {
  const dealId = event.data.deal.id;
  const custom = event.data.deal.custom ?? {};
  if (!dealId || event.source.system === tms.system || Object.keys(custom).length === 0) return ok("nothing_to_push");
  const externalId = await findExternalId(env.DB, dealId, tms.system, "transaction");
  if (!externalId) return ok("no_transaction");
  const r = await tms.updateFields(externalId, await currentDealValues(env.DB, dealId, custom));
  if (!r.ok) return r;
  await env.DB.batch([
    traceStatement(env.DB, {
      subject: dealId,
      deliveryId: event.source.deliveryId,
      stage: "FIELDS_PUSHED",
      detail: `${tms.system}: ${Object.keys(custom).join(", ")}`.slice(0, 500),
      at: Date.now(),
    }),
  ]);
  return ok(r.value ? "fields_pushed" : "fields_not_taken");
}

/** The `tms` queue: canonical events the brokerage's transaction management system must act on. */
export async function tmsMessage(body: unknown, env: Env): Promise<Result<unknown>> {
  const msg = parseCanonicalMessage(body);
  if (!msg.ok) return permanent(msg.code, msg.message);
  const config = brokerageConfig(env);
  if (!config.tms) return ok("no_tms_configured");
  const tms = tmsFor(env, config);
  const event = msg.value.event;
  switch (event.type) {
    case "deal.stage_changed":
      return handleCreateTransaction(event, env, config, tms);
    case "deal.upserted":
      return pushFields(event, env, tms);
    case "vendor.resource_changed": {
      // The status sync and the buyer's contact sync read the same transaction: fetched once per
      // message (a loop costs three Dotloop calls, and Dotloop allows 100 a minute).
      const fetched = new Map<string, Promise<Result<TmsTransaction | null>>>();
      const fetchOnce = (id: string): Promise<Result<TmsTransaction | null>> => {
        const known = fetched.get(id);
        if (known) return known;
        const p = tms.getTransaction(id);
        fetched.set(id, p);
        return p;
      };
      const reading: TmsAdapter = {
        system: tms.system,
        findTransaction: (reference, deal, taken) => tms.findTransaction(reference, deal, taken),
        createTransaction: (input) => tms.createTransaction(input),
        getTransaction: fetchOnce,
        updateParticipant: (externalId, match, person) => tms.updateParticipant(externalId, match, person),
        updateFields: (externalId, values) => tms.updateFields(externalId, values),
      };
      for (const id of event.data.ids) {
        const r = await handleTmsChange(id, event.source.deliveryId, env, config, reading);
        if (!r.ok) return r;
        if (event.data.resource === "loop" || event.data.resource === "sale") {
          const tx = await fetchOnce(id);
          if (!tx.ok) return tx;
          const buyer = tx.value?.deal.participants.find((p) => p.role === "buyer")?.person;
          if (buyer && buyer.emails.length + buyer.phones.length > 0) {
            // The loop was read once, before the golden person: unlike a CRM person's sync, a
            // snapshot read before a newer one is ordered against it by the stamps alone.
            const at = changeTime(tx.value?.updatedAt, event.occurredAt);
            const pr = await applyPersonChange(env, config, {
              system: tms.system,
              externalId: `${id}:buyer`,
              read: async () => ok({ person: buyer, at }),
              deliveryId: event.source.deliveryId,
              participant: true,
            });
            if (!pr.ok) return pr;
          }
        }
      }
      return ok("applied");
    }
    case "person.upserted": {
      // A contact change from the CRM: the participant on each of the person's transactions gets
      // the golden person as it is now, not the event's copy (see pushContact).
      const person = event.data.person;
      if (!person.id || event.source.system === tms.system) return ok("own_change");
      const personId = person.id;
      return pushContact(event, env, { system: tms.system, action: "tms.contact" }, async (now) => {
        const transactions = await dealIdsOfPerson(env.DB, personId, tms.system, "transaction");
        // By every email the person was ever known by, and by name: after a rename the participant
        // still carries the old name, and after an edit of name and email at once the old email.
        const emails = transactions.length
          ? (await personKeys(env.DB, personId)).flatMap((k) => (k.kind === "email" ? [k.value] : []))
          : [];
        const name = [now.firstName, now.lastName].filter(Boolean).join(" ");
        let matched = 0;
        for (const externalId of transactions) {
          const r = await tms.updateParticipant(externalId, { emails, ...(name ? { name } : {}) }, now);
          if (!r.ok) return r;
          if (r.value) matched++;
        }
        return ok(`participants:${matched}/${transactions.length}`);
      });
    }
    default:
      // Nothing for the TMS to do; of these the table routes it deal.created: a transaction is
      // asked for only at the trigger stage (deal.stage_changed), not when a deal appears.
      return ok(`no_tms_action:${event.type}`);
  }
}
