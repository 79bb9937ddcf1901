/**
 * `--apply` after review: what the backfill agreed goes to the vendors through the hub's normal,
 * idempotent flows — never by a direct call. A transaction linked to a CRM deal that does not name
 * it yet becomes `transaction.created` on the CRM queue (the flow that writes the TMS id back); a
 * person whose systems disagreed becomes `person.upserted` with the golden person on the CRM and
 * TMS queues (the contact sync, which writes each system only what differs). Applying twice sends
 * the same event ids, which the consumers apply once.
 */
import type { CanonicalMessage } from "../queues/messages";
import { personFromGolden } from "../flows/golden";
import { emit } from "../queues/emit";
import { done, refused, type Outcome } from "../lib/outcome";
import { getDeal } from "../store/deals";
import { getPerson, parseFields } from "../store/people";
import { getRun, listItems, markApplied } from "../store/backfill";

const LIMIT = 5_000;

export async function applyBackfill(
  env: Env,
  id: string,
  now: number,
): Promise<Outcome<{ id: string; transactionIds: number; contacts: number }>> {
  const run = await getRun(env.DB, id);
  if (!run) return refused("not_found", `No backfill ${id}.`);
  if (run.status !== "done") return refused("conflict", `backfill ${id} is ${run.status}; review and apply it once it is done`);
  const base = { schemaVersion: 1 as const, occurredAt: new Date(now).toISOString(), receivedAt: new Date(now).toISOString() };
  const deliveryId = `backfill:${id}`;

  const crm: CanonicalMessage[] = [];
  for (const w of await listItems(env.DB, id, "writeback", LIMIT)) {
    const detail = JSON.parse(w.detail) as { system: "dotloop" | "skyslope"; externalId: string };
    const deal = await getDeal(env.DB, w.subject);
    if (!deal) continue;
    crm.push({
      v: 1,
      event: {
        ...base,
        id: `${w.subject}:backfill-transaction:${detail.externalId}`,
        type: "transaction.created",
        source: { system: detail.system, externalId: detail.externalId, deliveryId },
        subject: { kind: "transaction", externalId: detail.externalId },
        data: { transaction: { id: w.subject, ...(deal.name ? { name: deal.name } : {}), dates: {}, participants: [] } },
      },
    });
  }
  const people = new Set((await listItems(env.DB, id, "conflict", LIMIT)).map((c) => c.subject).filter((s) => s.startsWith("per_")));
  for (const personId of people) {
    const row = await getPerson(env.DB, personId);
    if (!row || row.merged_into) continue;
    const person = personFromGolden(personId, parseFields(row));
    if (person.emails.length + person.phones.length === 0) continue;
    const body: CanonicalMessage = {
      v: 1,
      event: {
        ...base,
        // The contact sync orders its events by the golden person's version they carry.
        id: `${personId}:contact:${row.updated_at}`,
        recordVersion: row.updated_at,
        type: "person.upserted",
        source: { system: "hub", externalId: personId, deliveryId },
        subject: { kind: "person", externalId: personId },
        data: { person },
      },
    };
    crm.push(body);
  }
  // The routing table sends transaction.created to the CRM, person.upserted to the CRM and the TMS.
  try {
    await emit(
      env,
      crm.map((m) => m.event),
    );
  } catch {
    // Some may be queued already: applying again sends the same ids, which apply once.
    return refused("queue_unavailable", `backfill ${id} could not be queued in full; apply it again.`);
  }
  await markApplied(env.DB, id, now);
  return done({ id, transactionIds: crm.length - people.size, contacts: people.size });
}
