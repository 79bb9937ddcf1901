import type { CanonicalEvent, Person, SystemName } from "../canonical";
import { emitRecorded } from "../queues/emit";
import type { BrokerageConfig } from "../config/brokerage";
import { addedContact, changeTime, mergeFields, participantContact, personFromGolden, type GoldenFields } from "../flows/golden";
import { ok, transient, type Result } from "../lib/result";
import { claimCanonicalId } from "../store/claim";
import { findCanonicalId, findExternalId } from "../store/links";
import { compareAndSet } from "../store/compare-and-set";
import { addKeysStatements, findPersonByKeys, getPerson, parseFields, updatePersonStatement, type PersonRow } from "../store/people";
import { outboxIfChangedStatements } from "../store/outbox";
import { traceIfChangedStatement } from "../store/traces";
import type { CrmAdapter } from "../vendors/crm";

/** Contact fields kept in step between the CRM and the TMS (flow 5). */
export function contactFields(p: Person): Record<string, unknown> {
  return { firstName: p.firstName, lastName: p.lastName, emails: p.emails.map((e) => e.value), phones: p.phones.map((x) => x.value) };
}

/** A person as one system holds it, and when that system says it last changed. */
export interface SystemPerson {
  person: Person;
  at: string;
}

/** Tries of the compare-and-set before the message is retried later. */
const ATTEMPTS = 3;

/**
 * Applies a person as one system sees it to the golden record under the conflict policy. When a
 * contact field changed, `person.upserted` goes where the routing table says (the CRM and the
 * TMS; each ignores a change that came from itself); a value equal to the
 * golden one (for instance the echo of the hub's own write) changes nothing and is not re-sent.
 * The event is recorded in the outbox with the change, so a retry that finds the person changed
 * already does not lose it: the scheduled run sends what the consumer could not.
 *
 * `read` fetches the person from the system. The golden person is read first and written by
 * compare-and-set on that read: a state can then only replace a golden version read before it
 * was fetched. A state fetched before an agent's edit (the echo of the hub's own write) that is
 * slower than the edit's own sync finds the golden person changed, and reads both again.
 */
export async function applyPersonChange(
  env: Env,
  config: BrokerageConfig,
  change: {
    system: SystemName;
    externalId: string;
    read: () => Promise<Result<SystemPerson | null>>;
    deliveryId: string;
    /** The system holds a person as a TMS participant does (`participantContact`). */
    participant?: boolean;
  },
): Promise<Result<string>> {
  const db = env.DB;
  let personId = await findCanonicalId(db, change.system, "person", change.externalId);
  if (!personId) {
    // Only people the hub already knows are synced; linking a stranger here could race the lead
    // flow that is about to create the golden record for them.
    const first = await change.read();
    if (!first.ok) return first;
    if (!first.value) return ok("gone");
    const known = await findPersonByKeys(db, keysOf(first.value.person));
    if (!known) return ok("person_unknown");
    personId = (await claimCanonicalId(db, { system: change.system, kind: "person", externalId: change.externalId }, known.id, Date.now()))
      .id;
  }
  const id = personId;
  // A second contact of the person in one system (a merged-away person's, still live there) only
  // adds what it holds: its name and lists must not replace those of the contact the hub counts.
  const secondary = !change.participant && (await findExternalId(db, id, change.system, "person")) !== change.externalId;
  const outcome = await compareAndSet<{ exit: Result<string> } | { changed: CanonicalEvent }>(db, ATTEMPTS, async () => {
    const golden = await getPerson(db, id);
    if (!golden) return { done: { exit: ok("person_unknown") } };
    const fetched = await change.read();
    if (!fetched.ok) return { done: { exit: fetched } };
    if (!fetched.value) return { done: { exit: ok("gone") } };
    const { person, at } = fetched.value;
    const current = parseFields(golden);
    const incoming = change.participant
      ? participantContact(current, person)
      : secondary
        ? addedContact(current, person)
        : contactFields(person);
    if (!incoming) return { done: { exit: ok("another_person") } };
    const merged = mergeFields(current, incoming, change.system, at, config.ownership);
    if (merged.changed.length === 0) return { done: { exit: ok("unchanged") } };
    const now = Date.now();
    const primaryEmail = (merged.fields.emails?.value as string[] | undefined)?.[0];
    const primaryPhone = (merged.fields.phones?.value as string[] | undefined)?.[0];
    const event = contactChanged({ personId: id, golden, fields: merged.fields, at, now, change });
    return {
      write: [
        updatePersonStatement(
          db,
          id,
          {
            ...(primaryEmail ? { email: primaryEmail } : {}),
            ...(primaryPhone ? { phone: primaryPhone } : {}),
            fields: merged.fields,
            expectedUpdatedAt: golden.updated_at,
          },
          now,
        ),
        // Right after the update: changes() is still the update's.
        traceIfChangedStatement(db, {
          subject: id,
          deliveryId: change.deliveryId,
          stage: "CONTACT_CHANGED",
          detail: `${change.system}: ${merged.changed.join(",")}`,
          at: now,
        }),
        // After the trace, which was inserted only if the update was made.
        ...outboxIfChangedStatements(db, [event], now),
        ...addKeysStatements(db, id, keysOf(person)),
      ],
      result: { changed: event },
    };
  });
  if (!outcome.won)
    return transient("person_changed_concurrently", `person ${personId} kept changing while syncing; retrying`, { retryAfterSeconds: 2 });
  if ("exit" in outcome.value) return outcome.value.exit;
  await emitRecorded(env, [outcome.value.changed]);
  return ok("changed");
}

/** The `person.upserted` a contact change sends, carrying the golden person as the change left it. */
function contactChanged(input: {
  personId: string;
  golden: PersonRow;
  fields: GoldenFields;
  at: string;
  now: number;
  change: { system: SystemName; externalId: string; deliveryId: string };
}): CanonicalEvent {
  const { personId, golden, fields, at, now, change } = input;
  // The version the write gives the golden person (its new updated_at, exactly as
  // updatePersonStatement sets it): two changes never share it, and a later one has a larger one.
  // The id only keys idempotency.
  const version = Math.max(now, golden.updated_at + 1);
  return {
    id: `${personId}:contact:${version}`,
    recordVersion: version,
    type: "person.upserted",
    schemaVersion: 1,
    occurredAt: at,
    receivedAt: new Date(now).toISOString(),
    source: { system: change.system, externalId: change.externalId, deliveryId: change.deliveryId },
    subject: { kind: "person", externalId: change.externalId },
    data: { person: personFromGolden(personId, fields) },
  };
}

function keysOf(p: Person): { emails: string[]; phones: string[] } {
  return { emails: p.emails.map((e) => e.value), phones: p.phones.map((x) => x.value) };
}

/**
 * A CRM person changed (its webhook, or the backup poll found it): applied as the CRM holds it
 * now, stamped with the CRM's own change time; `heard` (when the hub was told) only when the CRM
 * gives none.
 */
export function crmPersonChanged(
  externalId: string,
  heard: string,
  deliveryId: string,
  env: Env,
  config: BrokerageConfig,
  crm: CrmAdapter,
): Promise<Result<string>> {
  return applyPersonChange(env, config, {
    system: crm.system,
    externalId,
    deliveryId,
    read: async () => {
      const r = await crm.getPerson(externalId);
      if (!r.ok) return r;
      return ok(r.value ? { person: r.value.person, at: changeTime(r.value.updatedAt, heard) } : null);
    },
  });
}
