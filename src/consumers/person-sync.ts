import type { CanonicalMessage, Person } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { mergeFields, type GoldenFields } from "../flows/golden";
import { ok, type Result } from "../lib/result";
import { claimCanonicalId } from "../store/claim";
import { findCanonicalId } from "../store/links";
import { addKeysStatements, findPersonByKeys, getPerson, parseFields, updatePersonStatement } from "../store/people";
import { traceStatement } from "../store/traces";

/** Contact fields kept in step between the CRM and the TMS (flow 5). */
export function contactFields(p: Person): Record<string, unknown> {
  return { firstName: p.firstName, lastName: p.lastName, emails: p.emails.map((e) => e.value), phones: p.phones.map((x) => x.value) };
}

/** The golden person as a canonical person, for writing to the other system. */
export function personFromGolden(id: string, fields: GoldenFields): Person {
  const v = (k: string) => fields[k]?.value;
  const emails = (v("emails") as string[] | undefined) ?? [];
  const phones = (v("phones") as string[] | undefined) ?? [];
  return {
    id,
    ...(typeof v("firstName") === "string" ? { firstName: v("firstName") as string } : {}),
    ...(typeof v("lastName") === "string" ? { lastName: v("lastName") as string } : {}),
    emails: emails.map((value) => ({ value })),
    phones: phones.map((value) => ({ value })),
    roles: [],
    tags: [],
  };
}

/**
 * Applies a person as one system sees it to the golden record under the conflict policy. When a
 * contact field changed, the other side is told with `person.upserted`; a value equal to the
 * golden one (for instance the echo of the hub's own write) changes nothing and is not re-sent.
 */
export async function applyPersonChange(
  env: Env,
  config: BrokerageConfig,
  change: { system: string; externalId: string; person: Person; at: string; deliveryId: string; notify: Queue },
): Promise<Result<string>> {
  const db = env.DB;
  const now = Date.now();
  const keys = { emails: change.person.emails.map((e) => e.value), phones: change.person.phones.map((p) => p.value) };
  // Only people the hub already knows are synced; linking a stranger here could race the lead
  // flow that is about to create the golden record for them.
  const linked = await findCanonicalId(db, change.system, "person", change.externalId);
  const personId = linked ?? (await findPersonByKeys(db, keys))?.id ?? null;
  const golden = personId ? await getPerson(db, personId) : null;
  if (!personId || !golden) return ok("person_unknown");
  if (!linked) await claimCanonicalId(db, { system: change.system, kind: "person", externalId: change.externalId }, personId, now);
  const merged = mergeFields(parseFields(golden), contactFields(change.person), change.system, change.at, config.ownership);
  if (merged.changed.length === 0) return ok("unchanged");
  const primaryEmail = (merged.fields.emails?.value as string[] | undefined)?.[0];
  const primaryPhone = (merged.fields.phones?.value as string[] | undefined)?.[0];
  await db.batch([
    updatePersonStatement(db, personId, { ...(primaryEmail ? { email: primaryEmail } : {}), ...(primaryPhone ? { phone: primaryPhone } : {}), fields: merged.fields }, now),
    ...addKeysStatements(db, personId, keys),
    traceStatement(db, { subject: personId, deliveryId: change.deliveryId, stage: "CONTACT_CHANGED", detail: `${change.system}: ${merged.changed.join(",")}`, at: now }),
  ]);
  const body: CanonicalMessage = {
    v: 1,
    event: {
      id: `${personId}:contact:${now}`,
      type: "person.upserted",
      schemaVersion: 1,
      occurredAt: change.at,
      receivedAt: new Date(now).toISOString(),
      source: { system: change.system as CanonicalMessage["event"]["source"]["system"], externalId: change.externalId, deliveryId: change.deliveryId },
      subject: { kind: "person", externalId: change.externalId },
      data: { person: personFromGolden(personId, merged.fields) },
    },
  };
  await change.notify.send(body, { contentType: "json" });
  return ok("changed");
}
