/**
 * `--apply` after review: what the backfill agreed goes to the vendors through the hub's normal,
 * idempotent flows — never by a direct call. A transaction linked to a CRM deal that does not name
 * it yet becomes `transaction.created` on the CRM queue (the flow that writes the TMS id back); a
 * person whose systems disagreed becomes `person.upserted` with the golden person on the CRM and
 * TMS queues (the contact sync, which writes each system only what differs). Applying twice sends
 * the same event ids, which the consumers apply once.
 */
import type { CanonicalEvent } from "../canonical";
import { personFromGolden } from "../flows/golden";
import { emit } from "../queues/emit";
import { done, refused, type Outcome } from "../lib/outcome";
import { getDeals } from "../store/deals";
import { getPeople, parseFields } from "../store/people";
import { getRun, type ItemCategory, type ItemRow, listItems, markApplied } from "../store/backfill";

/** Items read, and their records fetched, a page at a time: a few queries per page, whatever the run's size. */
const PAGE = 500;

/** Every item of a category, a page at a time in (subject, field) order. */
async function* pagesOf(db: D1Database, run: string, category: ItemCategory): AsyncGenerator<ItemRow[]> {
  let after: ItemRow | undefined;
  for (;;) {
    const items = await listItems(db, run, category, PAGE, after);
    if (items.length === 0) return;
    yield items;
    after = items[items.length - 1];
  }
}

export async function applyBackfill(
  env: Env,
  id: string,
  now: number,
): Promise<Outcome<{ id: string; transactionIds: number; contacts: number }>> {
  const db = env.DB;
  const run = await getRun(db, id);
  if (!run) return refused("not_found", `No backfill ${id}.`);
  if (run.status !== "done") return refused("conflict", `backfill ${id} is ${run.status}; review and apply it once it is done`);
  const base = { schemaVersion: 1 as const, occurredAt: new Date(now).toISOString(), receivedAt: new Date(now).toISOString() };
  const deliveryId = `backfill:${id}`;
  // Counted as sent: a write-back whose deal is gone, or a person merged away or with no way to
  // reach them, is skipped and not counted.
  let transactionIds = 0;
  let contacts = 0;
  // Some may be queued already when a send fails: applying again sends the same ids, which apply once.
  const unqueued = () => refused("queue_unavailable", `backfill ${id} could not be queued in full; apply it again.`);
  const sent = (events: CanonicalEvent[]) =>
    emit(env, events).then(
      () => true,
      () => false,
    );
  for await (const items of pagesOf(db, id, "writeback")) {
    const subjects = items.map((w) => w.subject);
    const deals = new Map((await getDeals(db, subjects)).map((d) => [d.id, d]));
    const events: CanonicalEvent[] = [];
    for (const w of items) {
      const deal = deals.get(w.subject);
      if (!deal) continue;
      const detail = JSON.parse(w.detail) as { system: "dotloop" | "skyslope"; externalId: string };
      events.push({
        ...base,
        id: `${w.subject}:backfill-transaction:${detail.externalId}`,
        type: "transaction.created",
        source: { system: detail.system, externalId: detail.externalId, deliveryId },
        subject: { kind: "transaction", externalId: detail.externalId },
        data: { transaction: { id: w.subject, ...(deal.name ? { name: deal.name } : {}), dates: {}, participants: [] } },
      });
    }
    // The routing table sends transaction.created to the CRM, person.upserted to the CRM and the TMS.
    if (!(await sent(events))) return unqueued();
    transactionIds += events.length;
  }
  // A person has one conflict item per field that disagreed: each is synced once.
  let last = "";
  for await (const items of pagesOf(db, id, "conflict")) {
    const ids = [...new Set(items.map((c) => c.subject))].filter((s) => s.startsWith("per_") && s !== last);
    last = items[items.length - 1]?.subject ?? last;
    const events: CanonicalEvent[] = [];
    for (const row of await getPeople(db, ids)) {
      if (row.merged_into) continue;
      const person = personFromGolden(row.id, parseFields(row));
      if (person.emails.length + person.phones.length === 0) continue;
      events.push({
        ...base,
        // The contact sync orders its events by the golden person's version they carry.
        id: `${row.id}:contact:${row.updated_at}`,
        recordVersion: row.updated_at,
        type: "person.upserted",
        source: { system: "hub", externalId: row.id, deliveryId },
        subject: { kind: "person", externalId: row.id },
        data: { person },
      });
    }
    if (!(await sent(events))) return unqueued();
    contacts += events.length;
  }
  await markApplied(db, id, now);
  return done({ id, transactionIds, contacts });
}
