import { emit } from "../queues/emit";
import { parseCanonicalMessage } from "../queues/messages";
import { brokerageConfig } from "../config/load";
import { ok, permanent, type Result } from "../lib/result";
import { dealIdsOfPerson, findCanonicalId, findExternalId } from "../store/links";
import type { BrokerageConfig } from "../config/brokerage";
import { crmFor } from "../vendors/systems";
import { pushContact } from "./contact-push";
import { handleCrmDeal } from "./crm-deal";
import { handleLead } from "./crm-lead";
import { noteSignedDocument, syncStatusToCrm, writeFields, writeTransactionId } from "./crm-sync";
import { crmPersonChanged } from "./person-sync";

/**
 * The CRM deals that read brokerage fields from this CRM person (`followupboss.person`): none
 * unless such a field is configured, so a person's edit costs no deal reads otherwise.
 */
async function dealsReadingPerson(db: D1Database, config: BrokerageConfig, system: string, personExt: string): Promise<string[]> {
  if (system !== "followupboss" || !Object.values(config.fields).some((f) => f.followupboss?.person)) return [];
  const personId = await findCanonicalId(db, system, "person", personExt);
  return personId ? dealIdsOfPerson(db, personId, system, "deal") : [];
}

/** The `crm` queue: canonical events the brokerage's CRM must act on. */
export async function crmMessage(body: unknown, env: Env): Promise<Result<unknown>> {
  const msg = parseCanonicalMessage(body);
  if (!msg.ok) return permanent(msg.code, msg.message);
  const config = brokerageConfig(env);
  const crm = crmFor(env, config);
  const event = msg.value.event;
  switch (event.type) {
    case "lead.received":
      return handleLead(event, env, config, crm);
    case "transaction.created":
      return writeTransactionId(event, env, config, crm);
    case "transaction.status_changed":
      return syncStatusToCrm(event, env, crm);
    case "document.signed":
      return noteSignedDocument(event, env, crm);
    case "transaction.closed":
      // Routed here, deliberately a no-op: the closed stage reaches the CRM deal through the
      // transaction.status_changed of the same change, which carries the stage to map.
      return ok("closed_stage_follows_status_sync");
    case "transaction.upserted":
      return writeFields(event, env, config, crm);
    case "person.upserted": {
      // The table sends a contact change to every system, its own included: the CRM's own change
      // is already in the CRM.
      if (event.source.system === crm.system) return ok("own_change");
      // A contact change from elsewhere (the TMS): the CRM person gets the golden person as it is
      // now, not the event's copy, which a late redelivery or a replayed dead letter may have outdated.
      const personId = event.data.person.id;
      const crmId = personId ? await findExternalId(env.DB, personId, crm.system, "person") : null;
      if (!crmId) return ok("not_in_crm");
      return pushContact(event, env, { system: crm.system, action: "crm.contact" }, async (p) => {
        const r = await crm.updatePerson(crmId, {
          emails: p.emails.map((e) => e.value),
          phones: p.phones.map((x) => x.value),
          ...(p.firstName ? { firstName: p.firstName } : {}),
          ...(p.lastName ? { lastName: p.lastName } : {}),
        });
        return r.ok ? ok("pushed") : r;
      });
    }
    case "vendor.resource_changed": {
      const { resource, ids } = event.data;
      // A permanent failure of one record (a deal halted on missing data) must not hold back the
      // others of the same notice: they are applied, and the first such failure settles the
      // message. A transient one retries the whole notice (each record is idempotent).
      let stuck: Result<unknown> | null = null;
      const others: string[] = [];
      const deals: string[] = [];
      for (const id of ids) {
        let r: Result<unknown>;
        if (resource === "deal") r = await handleCrmDeal(id, event.source.deliveryId, env, config, crm);
        else if (resource === "person") {
          r = await crmPersonChanged(id, event.occurredAt, event.source.deliveryId, env, config, crm);
          // A deal's fields kept on its person change with no deal notice: its deals are read again.
          for (const deal of r.ok ? await dealsReadingPerson(env.DB, config, crm.system, id) : []) {
            const d = await handleCrmDeal(deal, event.source.deliveryId, env, config, crm);
            if (!d.ok && d.error.retryable) return d;
            if (!d.ok) deals.push(deal);
          }
        } else r = ok("ignored");
        if (!r.ok && r.error.retryable) return r;
        if (!r.ok && stuck) others.push(id);
        if (!r.ok) stuck ??= r;
      }
      // A message has one dead letter: each other stuck record goes again as a notice of its own,
      // to fail into a letter of its own rather than be hidden behind the first; so does a deal
      // read again for its person that no retry mends, which no deal notice would bring again.
      await emit(env, [
        ...others.map((id) => ({ ...event, id: `${event.id}:${id}`, data: { ...event.data, ids: [id] } })),
        ...deals.map((id) => ({ ...event, id: `${event.id}:deal:${id}`, data: { ...event.data, resource: "deal", ids: [id] } })),
      ]);
      return stuck ?? ok("applied");
    }
    default:
      // Nothing for the CRM to do; of these the table routes it only a TMS's deal.stage_changed,
      // whose stage reaches the CRM as transaction.status_changed.
      return ok(`no_crm_action:${event.type}`);
  }
}
