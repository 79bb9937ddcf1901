import { fireAlertAnyway } from "../alerts";
import type { EventOf } from "../canonical";
import type { GoldenFields } from "../canonical/golden";
import type { BrokerageConfig } from "../config/brokerage";
import { identityKeys, leadChanges, leadFields, leadSourceName, routeLead } from "../flows/lead-intake";
import { mergeFields } from "../flows/golden";
import { ok, permanent, transient, type Result } from "../lib/result";
import { nextTurn } from "../store/counters";
import { LEAD_ACTION, leadAppliedOf, leadAppliedText } from "../store/applied";
import { findExternalId, linkStatement, unlinkStatement } from "../store/links";
import { compareAndSet } from "../store/compare-and-set";
import {
  addKeysStatements,
  claimPerson,
  findPersonByKeys,
  currentPerson,
  getPerson,
  parseFields,
  updatePersonStatement,
  type PersonRow,
} from "../store/people";
import { traceStatement } from "../store/traces";
import type { CrmAdapter } from "../vendors/crm";
import { once } from "../queues/once";
import { enrichPerson } from "../enrich";
import { httpEnrichmentProvider } from "../enrich/http-provider";
import { failureLabel } from "../lib/failures";
import { log } from "../lib/log";
import { listingForProperty } from "../mls/link";
import { inquiryStatement } from "../store/listings";

/** Tries of the compare-and-set before the lead is retried later. */
const ATTEMPTS = 3;

/**
 * Merges a lead's fields into a known golden person (`read`, with the fields parsed from it), read
 * again whenever it changed since: as the person it is now, should it have been merged into
 * another meanwhile. The id of the person written is what the lead is recorded on.
 */
async function mergeIntoPerson(
  db: D1Database,
  read: { row: PersonRow; fields: GoldenFields },
  incoming: Record<string, unknown>,
  system: string,
  at: string,
  config: BrokerageConfig,
  now: number,
): Promise<Result<string>> {
  const outcome = await compareAndSet<string | null>(db, ATTEMPTS, async (attempt) => {
    const golden = attempt === 0 ? read.row : await currentPerson(db, read.row.id);
    if (!golden) return { done: null };
    const fields = attempt === 0 ? read.fields : parseFields(golden);
    const merged = mergeFields(fields, leadChanges(fields, incoming), system, at, config.ownership);
    // Nothing to write: the read made before the CRM call may since have been merged into another.
    if (merged.changed.length === 0) return { done: attempt === 0 ? ((await currentPerson(db, golden.id))?.id ?? golden.id) : golden.id };
    return {
      write: [updatePersonStatement(db, golden.id, { fields: merged.fields, expectedUpdatedAt: golden.updated_at }, now)],
      result: golden.id,
    };
  });
  if (outcome.won && outcome.value) return ok(outcome.value);
  return transient("person_changed_concurrently", `person ${read.row.id} kept changing while the lead was recorded; retrying`, {
    retryAfterSeconds: 2,
  });
}

/**
 * Flow 1, lead intake: match the lead to the golden record (email, then phone) and to the CRM
 * (search before create), deliver it the way the CRM wants leads, and record the person, the
 * link and the trace. A repeat lead for a known person becomes activity on that person.
 */
export async function handleLead(
  event: EventOf<"lead.received">,
  env: Env,
  config: BrokerageConfig,
  crm: CrmAdapter,
): Promise<Result<string>> {
  const db = env.DB;
  const done = await once(db, event.id, LEAD_ACTION, async (lease) => {
    // A lead naming a replicated MLS listing reaches the CRM with the listing's full facts.
    const listing = await listingForProperty(db, event.data.property);
    const lead = listing ? { ...event.data, property: listing.property } : event.data;
    const keys = identityKeys(lead.person);
    const sourceName = leadSourceName(event.source.system, lead);
    const golden = await findPersonByKeys(db, keys);
    // A golden record that does not parse is refused before the CRM hears of the lead: refused
    // after, the claim would go back with nothing recorded, and a replay send the lead again.
    const known = golden ? { row: golden, fields: parseFields(golden) } : null;
    let crmId = golden ? await findExternalId(db, golden.id, crm.system, "person") : null;
    let gone: string | null = null;
    let sent: Awaited<ReturnType<CrmAdapter["sendLead"]>>;
    for (;;) {
      if (!crmId) {
        const found = await crm.findPerson(keys);
        if (!found.ok) return found;
        crmId = found.value?.externalId ?? null;
      }
      const assignTo = crmId ? undefined : await routeLead(lead, sourceName, config.routing, () => nextTurn(db, "routing:round-robin"));
      sent = await crm.sendLead(lead, { sourceName, ...(crmId ? { knownExternalId: crmId } : {}), ...(assignTo ? { assignTo } : {}) });
      // The CRM no longer has that contact (an agent deleted or merged it): the lead goes as for a
      // person the hub has not linked, once, and the link to the contact that is gone is dropped.
      if (sent.ok || sent.error.status !== 404 || !crmId || gone) break;
      gone = crmId;
      crmId = null;
    }
    if (!sent.ok) return sent;
    // The CRM dropped the lead on purpose (Follow Up Boss: the source's lead flow is archived).
    // The hub keeps the person; someone must know the CRM does not, if that was not the intent.
    if (sent.value.ignored)
      await fireAlertAnyway(env, {
        key: `crm_lead_ignored:${sourceName.slice(0, 80)}`,
        severity: "warning",
        title: `${crm.system} ignores leads from ${sourceName.slice(0, 80)}`,
        detail: `${crm.system} took a lead from ${sourceName.slice(0, 80)} and did not add it (Follow Up Boss answers 204 when that source's lead flow is archived). The person is in the hub; un-archive the lead flow to receive the next ones.`,
      });

    // The lead is in the CRM now: what follows records it, tried again in place on D1 trouble
    // (a retry of the action would send the lead a second time). A new person's id is drawn once,
    // so a try that claimed the keys and failed before the row is finished by the next.
    const newPersonId = `per_${crypto.randomUUID()}`;
    return lease.record(async () => {
      const now = Date.now();
      const at = event.occurredAt;
      const incoming = leadFields(lead);
      let personId: string;
      const statements: D1PreparedStatement[] = [];
      if (known) {
        // Written by compare-and-set on the read made before the CRM call, at once rather than with
        // the completion: a change synced meanwhile (the agent's edit in the CRM) makes it change
        // nothing, and the lead is merged into the person as it is now. A plain write would put the
        // older read back over that change.
        const applied = await mergeIntoPerson(db, known, incoming, event.source.system, at, config, now);
        if (!applied.ok) return applied;
        personId = applied.value;
        statements.push(...addKeysStatements(db, personId, keys));
      } else {
        const claimed = await claimPerson(
          db,
          {
            id: newPersonId,
            ...(lead.person.firstName ? { firstName: lead.person.firstName } : {}),
            ...(lead.person.lastName ? { lastName: lead.person.lastName } : {}),
            keys,
            leadSource: sourceName,
            leadSystem: event.source.system,
            fields: mergeFields({}, incoming, event.source.system, at, config.ownership).fields,
          },
          now,
        );
        personId = claimed.id;
        // Another lead for this new person was recorded first: this one is merged in as a repeat is.
        const first = claimed.created ? null : await getPerson(db, personId);
        if (first) {
          const applied = await mergeIntoPerson(
            db,
            { row: first, fields: parseFields(first) },
            incoming,
            event.source.system,
            at,
            config,
            now,
          );
          if (!applied.ok) return applied;
        }
      }
      const stage = sent.value.ignored ? "CRM_IGNORED" : sent.value.created ? "CRM_CREATED" : golden ? "LEAD_ACTIVITY" : "CRM_MATCHED";
      const detail = `${crm.system}${sent.value.externalId ? `:${sent.value.externalId}` : ""} via ${sourceName}${gone ? `; ${gone} is gone` : ""}`;
      if (gone) statements.push(unlinkStatement(db, crm.system, "person", gone));
      if (sent.value.externalId) {
        statements.push(
          linkStatement(
            db,
            { system: crm.system, kind: "person", externalId: sent.value.externalId, canonicalId: personId, connection: config.crm },
            now,
          ),
        );
      }
      statements.push(
        traceStatement(db, {
          subject: personId,
          deliveryId: event.source.deliveryId,
          stage,
          outcome: sent.value.ignored ? "skipped" : "ok",
          detail,
          at: now,
        }),
      );
      if (listing) {
        statements.push(
          inquiryStatement(db, listing.listingKey, personId, event.id, now),
          traceStatement(db, {
            subject: personId,
            deliveryId: event.source.deliveryId,
            stage: "LISTING_LINKED",
            detail: `listing:${listing.listingKey}`,
            at: now,
          }),
        );
      }
      return ok({ result: leadAppliedText({ stage, personId, crmId: sent.value.externalId ?? null }), writes: statements });
    });
  });
  if (!done.ok || !env.ENRICHMENT_BASE_URL) return done;
  // On-demand enrichment of the person the lead was recorded on, read back from what the lead
  // action stored (also for a copy of a lead applied before, whose first run may have stopped
  // before enriching). Best effort: a provider failure never holds up or fails the lead itself.
  const applied = await leadAppliedOf(db, event.id);
  if (!applied.ok) return permanent(applied.code, applied.message);
  if (applied.value) {
    const personId = applied.value.personId;
    const r = await enrichPerson(db, httpEnrichmentProvider(env.ENRICHMENT_BASE_URL), personId);
    if (!r.ok) log("warn", "enrichment_failed", { personId, code: failureLabel(r.error) });
  }
  return done;
}
