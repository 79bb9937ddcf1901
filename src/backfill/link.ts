/**
 * Links one page of vendor records to the golden record: by ids already linked (or written back),
 * then by normalized email and phone, then (transactions) by the client's deals and the property
 * address. Fields are merged under the golden record's conflict policy with provenance; where two
 * systems disagree the conflict is listed, and a record whose keys point at two golden people
 * becomes a merge proposal. Nothing here calls a vendor.
 */
import type { PostalAddress } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { vendorOf } from "../config/connections";
import { mergeFields, type GoldenFields } from "../flows/golden";
import { getDeal, insertDealStatement, updateDealStatement } from "../store/deals";
import { changedOrUndoStatement } from "../store/compare-and-set";
import { linkStatement, type LinkKind } from "../store/links";
import { proposeStatement } from "../store/merges";
import { addKeysStatements, getPeople, parseFields, updatePersonStatement, type PersonRow } from "../store/people";
import { addressKey, conflictsOf, pickDeal, unionList, type FieldConflict } from "./compare";
import type { SourceDeal, SourcePerson } from "./sources";
import {
  insertBackfilledPersonStatement,
  itemStatement,
  keyOwners,
  linkedIds,
  setDealPersonStatement,
  touchStatement,
  unlinkedDealsOf,
} from "../store/backfill";

const json = (v: unknown) => JSON.stringify(v);

/** What one page's linking needs in memory: who owns each key, and the golden people read so far. */
class PeopleView {
  readonly keys = new Map<string, string>();
  readonly people = new Map<string, PersonRow>();

  async load(db: D1Database, records: SourcePerson[], linked: Iterable<string>): Promise<void> {
    const emails = [...new Set(records.flatMap((r) => r.emails))];
    const phones = [...new Set(records.flatMap((r) => r.phones))];
    const results = await keyOwners(db, emails, phones);
    for (const r of results) this.keys.set(`${r.kind}:${r.value}`, r.person_id);
    await this.read(db, [...new Set([...results.map((r) => r.person_id), ...linked])]);
  }

  async read(db: D1Database, ids: string[]): Promise<void> {
    const wanted = ids.filter((id) => !this.people.has(id));
    if (wanted.length === 0) return;
    const results = await getPeople(db, wanted);
    for (const p of results) this.people.set(p.id, p);
    const survivors = results.flatMap((p) => (p.merged_into && !this.people.has(p.merged_into) ? [p.merged_into] : []));
    if (survivors.length) await this.read(db, survivors);
  }

  /** The golden person an id stands for now (a merged person's survivor). */
  resolve(id: string): string {
    const p = this.people.get(id);
    return p?.merged_into ?? id;
  }
}

/** The outcome of linking a page: how many records were linked to a record another system has. */
export interface LinkCounts {
  records: number;
  linked: number;
  created: number;
  ambiguous: number;
  conflicts: number;
}

const zero = (): LinkCounts => ({ records: 0, linked: 0, created: 0, ambiguous: 0, conflicts: 0 });

function personFields(r: SourcePerson, current: GoldenFields): Record<string, unknown> {
  return {
    firstName: r.firstName,
    lastName: r.lastName,
    emails: unionList(current.emails?.value, r.emails),
    phones: unionList(current.phones?.value, r.phones),
    address: r.address,
  };
}

function conflictItems(db: D1Database, runId: string, subject: string, conflicts: FieldConflict[], now: number): D1PreparedStatement[] {
  // One row per field and incoming system: a third system's disagreement does not hide the second's.
  return conflicts.map((c) =>
    itemStatement(db, {
      runId,
      category: "conflict",
      subject,
      field: `${c.field}@${c.incoming.system}`,
      detail: { field: c.field, golden: c.golden, incoming: c.incoming },
      at: now,
    }),
  );
}

/**
 * Links people (CRM people, TMS clients, accounting customers) to golden people, creating one for
 * a record no system has yet. Returns the golden id of each record (by `system:kind:id`).
 */
export async function linkPeople(
  db: D1Database,
  config: BrokerageConfig,
  runId: string,
  records: SourcePerson[],
  now: number,
): Promise<{ counts: LinkCounts; ids: Map<string, string>; writes: D1PreparedStatement[] }> {
  const counts = zero();
  const ids = new Map<string, string>();
  const writes: D1PreparedStatement[] = [];
  // The records of each (system, kind), looked up together; the group keeps both as fields.
  const groups = new Map<string, { system: string; kind: LinkKind; externalIds: string[] }>();
  for (const r of records) {
    const group = groups.get(`${r.system}:${r.kind}`) ?? { system: r.system, kind: r.kind, externalIds: [] };
    group.externalIds.push(r.externalId);
    groups.set(`${r.system}:${r.kind}`, group);
  }
  const links = new Map<string, string>();
  for (const { system, kind, externalIds } of groups.values()) {
    for (const [ext, id] of await linkedIds(db, system, kind, externalIds)) links.set(`${system}:${kind}:${ext}`, id);
  }
  const view = new PeopleView();
  await view.load(db, records, links.values());
  const changed = new Map<string, { row: PersonRow; fields: GoldenFields; isNew: boolean }>();

  for (const r of records) {
    counts.records++;
    const ref = `${r.system}:${r.kind}:${r.externalId}`;
    if (r.emails.length + r.phones.length === 0 && !links.has(ref)) {
      // Nothing to match or link it by: listed in the report as in one system, with no golden record.
      writes.push(itemStatement(db, { runId, category: "unkeyed", subject: ref, field: "", detail: null, at: now }));
      continue;
    }
    const owners: string[] = [];
    for (const key of [...r.emails.map((e) => `email:${e}`), ...r.phones.map((p) => `phone:${p}`)]) {
      const owner = view.keys.get(key);
      if (owner) owners.push(view.resolve(owner));
    }
    const known = links.get(ref);
    const target = known ? view.resolve(known) : owners[0];
    const others = [...new Set(owners)].filter((o) => o !== target);
    let id: string;
    let state: { row: PersonRow; fields: GoldenFields; isNew: boolean };
    if (target && (changed.get(target) ?? view.people.get(target))) {
      id = target;
      const row = changed.get(target)?.row ?? (view.people.get(target) as PersonRow);
      state = changed.get(target) ?? { row, fields: parseFields(row), isNew: false };
      counts.linked++;
    } else {
      id = `per_${crypto.randomUUID()}`;
      const row: PersonRow = {
        id,
        first_name: null,
        last_name: null,
        email: null,
        phone: null,
        lead_source: null,
        lead_system: r.system,
        fields: "{}",
        merged_into: null,
        created_at: now,
        updated_at: now,
      };
      state = { row, fields: {}, isNew: true };
      counts.created++;
    }
    if (others.length > 0) {
      counts.ambiguous++;
      for (const o of others)
        writes.push(
          proposeStatement(db, { a: id, b: o, score: 0.9, reasons: [`backfill: ${ref} shares an email or phone with both`] }, now),
        );
      writes.push(
        itemStatement(db, {
          runId,
          category: "ambiguous",
          subject: ref,
          field: "",
          detail: { kind: "person", linkedTo: id, alsoMatches: others },
          at: now,
        }),
      );
    }
    const incoming = personFields(r, state.fields);
    const conflicts = conflictsOf(
      state.fields,
      { firstName: r.firstName, lastName: r.lastName, emails: r.emails, phones: r.phones, address: r.address },
      r.system,
      r.at,
    );
    counts.conflicts += conflicts.length;
    writes.push(...conflictItems(db, runId, id, conflicts, now));
    state.fields = mergeFields(state.fields, incoming, r.system, r.at, config.ownership).fields;
    changed.set(id, state);
    view.people.set(id, state.row);
    for (const e of r.emails) if (!view.keys.has(`email:${e}`)) view.keys.set(`email:${e}`, id);
    for (const p of r.phones) if (!view.keys.has(`phone:${p}`)) view.keys.set(`phone:${p}`, id);
    ids.set(ref, id);
    links.set(ref, id);
    writes.push(linkStatement(db, { system: r.system, kind: r.kind, externalId: r.externalId, canonicalId: id }, now));
    writes.push(...addKeysStatements(db, id, { emails: r.emails, phones: r.phones }));
    writes.push(touchStatement(db, runId, "person", id));
  }

  for (const [id, s] of changed) {
    const v = (k: string) => s.fields[k]?.value;
    const first = typeof v("firstName") === "string" ? (v("firstName") as string) : undefined;
    const last = typeof v("lastName") === "string" ? (v("lastName") as string) : undefined;
    const email = (v("emails") as string[] | undefined)?.[0];
    const phone = (v("phones") as string[] | undefined)?.[0];
    if (s.isNew) {
      writes.push(
        insertBackfilledPersonStatement(
          db,
          {
            id,
            firstName: first ?? null,
            lastName: last ?? null,
            email: email ?? null,
            phone: phone ?? null,
            leadSystem: s.row.lead_system,
            fields: json(s.fields),
          },
          now,
        ),
      );
    } else {
      writes.push(
        updatePersonStatement(
          db,
          id,
          {
            ...(first ? { firstName: first } : {}),
            ...(last ? { lastName: last } : {}),
            ...(email ? { email } : {}),
            ...(phone ? { phone } : {}),
            fields: s.fields,
            expectedUpdatedAt: s.row.updated_at,
          },
          now,
        ),
        changedOrUndoStatement(db),
      );
    }
  }
  return { counts, ids, writes };
}

/** A client's golden deals that no transaction of `system` is linked to yet; `ongoing`: only those not ended. */
export async function openDeals(
  db: D1Database,
  personId: string,
  system: string,
  ongoing = false,
): Promise<Array<{ id: string; priceCents: number | null; address: PostalAddress | undefined }>> {
  const results = await unlinkedDealsOf(db, personId, system, ongoing);
  return results.map((d) => ({ id: d.id, priceCents: d.price_cents, address: parseFields(d).address?.value as PostalAddress | undefined }));
}

function dealFields(d: SourceDeal): Record<string, unknown> {
  return { name: d.name, stage: d.stage, price: d.priceCents, closingDate: d.closingDate, address: d.address };
}

/**
 * Links CRM deals and TMS transactions to golden deals. A CRM deal that names its transaction
 * (the id written back) links that transaction too; a transaction not linked yet joins its
 * client's one deal that has no transaction (by address or price among several), else becomes a
 * deal of its own. A transaction that fits several deals is listed as ambiguous, unlinked.
 */
export async function linkDeals(
  db: D1Database,
  config: BrokerageConfig,
  runId: string,
  records: SourceDeal[],
  now: number,
  guard: D1PreparedStatement[],
): Promise<{ counts: LinkCounts; writes: D1PreparedStatement[] }> {
  const counts = zero();
  const writes: D1PreparedStatement[] = [];
  const clients = records.flatMap((r) => (r.client ? [r.client] : []));
  const people = await linkPeople(db, config, runId, clients, now);
  writes.push(...people.writes);
  counts.ambiguous += people.counts.ambiguous;
  counts.conflicts += people.counts.conflicts;
  const tmsSystem = vendorOf(config, config.tms) ?? null;

  for (const r of records) {
    counts.records++;
    const ref = `${r.system}:${r.kind}:${r.externalId}`;
    let dealId = (await linkedIds(db, r.system, r.kind, [r.externalId])).get(r.externalId) ?? null;
    let personId: string | null = null;
    if (r.kind === "deal" && r.personExternalId) {
      personId = (await linkedIds(db, r.system, "person", [r.personExternalId])).get(r.personExternalId) ?? null;
    }
    if (r.kind === "transaction" && r.client)
      personId = people.ids.get(`${r.client.system}:${r.client.kind}:${r.client.externalId}`) ?? null;

    if (!dealId && r.kind === "transaction" && personId) {
      const candidates = await openDeals(db, personId, r.system);
      const chosen = pickDeal(candidates, {
        ...(r.address ? { address: r.address } : {}),
        ...(r.priceCents !== undefined ? { priceCents: r.priceCents } : {}),
      });
      if (chosen) {
        dealId = chosen.id;
        // The CRM deal does not carry this transaction's id yet: --apply writes it back.
        writes.push(
          itemStatement(db, {
            runId,
            category: "writeback",
            subject: dealId,
            field: "transactionId",
            detail: { system: r.system, externalId: r.externalId },
            at: now,
          }),
        );
      } else if (candidates.length > 0) {
        counts.ambiguous++;
        writes.push(
          itemStatement(db, {
            runId,
            category: "ambiguous",
            subject: ref,
            field: "",
            detail: { kind: "transaction", client: personId, candidates: candidates.map((c) => c.id) },
            at: now,
          }),
        );
        continue;
      }
    }

    const current = dealId ? await getDeal(db, dealId) : null;
    const fields = parseFields(current);
    const incoming = dealFields(r);
    // Names differ by design (a CRM names the client, a TMS the property): not a conflict.
    const { name: _name, ...compared } = incoming;
    const conflicts = conflictsOf(fields, compared, r.system, r.at);
    const merged = mergeFields(fields, incoming, r.system, r.at, config.ownership);
    // Closed before go-live: billed then, by whoever billed it. Marked closed, so that the first
    // live notice of its transaction is not taken for the close and invoiced again.
    const closedAt = merged.fields.stage?.value === "closed" ? Date.parse(r.at) || now : undefined;
    const closed = closedAt === undefined ? {} : { closedAt };
    if (dealId && current) {
      counts.linked++;
      counts.conflicts += conflicts.length;
      writes.push(...conflictItems(db, runId, dealId, conflicts, now));
      const won = (f: string) => merged.changed.includes(f);
      writes.push(
        updateDealStatement(
          db,
          dealId,
          {
            ...(won("name") && r.name ? { name: r.name } : {}),
            ...(won("stage") && r.stage ? { stage: r.stage } : {}),
            ...(won("price") && r.priceCents !== undefined ? { priceCents: r.priceCents } : {}),
            ...closed,
            fields: merged.fields,
            expectedUpdatedAt: current.updated_at,
          },
          now,
        ),
        changedOrUndoStatement(db),
      );
      if (personId) writes.push(setDealPersonStatement(db, dealId, personId));
    } else {
      dealId ??= `deal_${crypto.randomUUID()}`;
      counts.created++;
      writes.push(
        insertDealStatement(
          db,
          {
            id: dealId,
            personId,
            ...(r.name ? { name: r.name } : {}),
            ...(r.stage ? { stage: r.stage } : {}),
            ...(r.priceCents !== undefined ? { priceCents: r.priceCents } : {}),
            ...closed,
            fields: merged.fields,
          },
          now,
        ),
      );
    }
    writes.push(linkStatement(db, { system: r.system, kind: r.kind, externalId: r.externalId, canonicalId: dealId }, now));
    if (r.kind === "deal" && r.transactionId && tmsSystem) {
      // The id already written back on the CRM deal: its transaction is this deal's.
      writes.push(linkStatement(db, { system: tmsSystem, kind: "transaction", externalId: r.transactionId, canonicalId: dealId }, now));
    }
    writes.push(touchStatement(db, runId, "deal", dealId));
    // Within a page, a later record must see this one's deal and links; `guard` undoes the
    // record's writes once this copy no longer holds the page.
    await db.batch([...guard, ...writes.splice(0)]);
  }
  return { counts, writes };
}

export { addressKey };
