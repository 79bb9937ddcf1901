import type { Person } from "../canonical";
import type { GoldenFields } from "../canonical/golden";

export type { GoldenFields, Provenance } from "../canonical/golden";

/**
 * The golden record's conflict policy, as pure functions. Every field keeps its provenance
 * (value, system, time). A field with a declared owner system takes only that system's values
 * (unless the current value came from a non-owner too); other fields take the most recent change
 * by the source's own timestamp. An incoming value equal to the golden one changes nothing — that
 * is what suppresses echoes of the hub's own writes.
 */

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * When a record fetched from a vendor changed: the vendor's own change time when it gives a
 * readable one, else `heard` (when the hub was told of the change). The notice's time is not the
 * time of the state a later fetch returns: stamped with it, a state read before the hub's own
 * write landed (or the echo of that write) could beat a newer change made elsewhere.
 */
export function changeTime(vendorUpdated: string | null | undefined, heard: string): string {
  const t = vendorUpdated ? Date.parse(vendorUpdated) : Number.NaN;
  return Number.isNaN(t) ? heard : new Date(t).toISOString();
}

/**
 * Whether a change stamped `incoming` is at least as recent as one stamped `existing`. Vendors
 * stamp to the second (Follow Up Boss) or the millisecond (lead sources): compared to the
 * second, and within one second the change applied later wins. A tie cannot be ordered by the
 * stamps, so it is ordered by the hub's own reads: a vendor's record is fetched after the golden
 * record is read and written by compare-and-set on that read (applyPersonChange), so of two
 * states of one system the one applied later was read later, and is the newer. An echo of the
 * hub's own write read before an agent's edit of the same second thus cannot land after the
 * edit. Letting the existing value win ties instead would drop the second of two edits made
 * within one second.
 */
export function notOlder(incoming: string, existing: string): boolean {
  const a = Math.floor(Date.parse(incoming) / 1000);
  const b = Math.floor(Date.parse(existing) / 1000);
  if (Number.isNaN(a) || Number.isNaN(b)) return incoming >= existing;
  return a >= b;
}

export function mergeFields(
  current: GoldenFields,
  incoming: Record<string, unknown>,
  system: string,
  at: string,
  ownership: Record<string, string> = {},
): { fields: GoldenFields; changed: string[] } {
  const fields: GoldenFields = { ...current };
  const changed: string[] = [];
  for (const [field, value] of Object.entries(incoming)) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    const existing = fields[field];
    if (existing && same(existing.value, value)) continue;
    const owner = ownership[field];
    const wins = !existing
      ? true
      : owner !== undefined
        ? system === owner || (existing.system !== owner && notOlder(at, existing.at))
        : notOlder(at, existing.at);
    if (!wins) continue;
    fields[field] = { value, system, at, ...(existing?.held ? { held: existing.held } : {}) };
    changed.push(field);
  }
  return { fields, changed };
}

/**
 * A system's whole record read again (a CRM deal, a TMS transaction), merged at the record's
 * stamp. Only the fields it changed since it was last read merge: a field it holds as it held it
 * then is not its change, whatever the record's stamp says (a field never noted is). What it holds
 * now is noted on each field (`held`); `noted` says the stored record differs, a held value moved
 * even where nothing merged.
 */
export function mergeRead(
  current: GoldenFields,
  incoming: Record<string, unknown>,
  system: string,
  at: string,
  ownership: Record<string, string> = {},
): { fields: GoldenFields; changed: string[]; noted: boolean } {
  const changes = Object.fromEntries(Object.entries(incoming).filter(([field, value]) => !same(current[field]?.held?.[system], value)));
  const { fields, changed } = mergeFields(current, changes, system, at, ownership);
  for (const [field, value] of Object.entries(incoming)) {
    const entry = fields[field];
    if (entry && value !== undefined && value !== null) fields[field] = { ...entry, held: { ...entry.held, [system]: value } };
  }
  return { fields, changed, noted: JSON.stringify(fields) !== JSON.stringify(current) };
}

/** A list with the values of `more` it lacks added after its own, or the list itself when it lacks none. */
export function joinLists(held: readonly unknown[], more: readonly unknown[]): readonly unknown[] {
  const added = more.filter((v, i) => !held.some((h) => same(h, v)) && more.findIndex((w) => same(w, v)) === i);
  return added.length > 0 ? [...held, ...added] : held;
}

/** A person's emails and phones that the golden record lacks, joined after its own (no name, nothing replaced). */
export function addedContact(current: GoldenFields, p: Person): Record<string, unknown> {
  const held = (field: string) => (current[field]?.value as unknown[] | undefined) ?? [];
  const emails = p.emails.map((e) => e.value);
  const phones = p.phones.map((x) => x.value);
  return { emails: joinLists(held("emails"), emails), phones: joinLists(held("phones"), phones) };
}

/**
 * A merged-away person's fields folded into the survivor's: lists (emails, phones, tags) joined,
 * any other field taken where the survivor lacks it or holds an older value, under the same
 * ownership rules as every change.
 */
export function foldFields(into: GoldenFields, from: GoldenFields, ownership: Record<string, string> = {}): GoldenFields {
  let fields = into;
  for (const [field, f] of Object.entries(from)) {
    const held = fields[field];
    if (Array.isArray(held?.value) && Array.isArray(f.value)) {
      const joined = joinLists(held.value, f.value);
      if (joined !== held.value) fields = { ...fields, [field]: { ...held, value: joined } };
    } else fields = mergeFields(fields, { [field]: f.value }, f.system, f.at, ownership).fields;
  }
  return fields;
}

/**
 * The fields whose value from `system` the record keeps apart because another system owns them
 * and gave the value it holds: that system's copy now disagrees with the owner's, and is written
 * back (a field no owner has set yet takes any system's change, so it is never listed).
 */
export function overruled(
  fields: GoldenFields,
  incoming: Record<string, unknown>,
  system: string,
  ownership: Record<string, string>,
): string[] {
  return Object.entries(incoming)
    .filter(([field, value]) => {
      const owner = ownership[field];
      const held = fields[field];
      if (value === undefined || value === null || !owner || owner === system || !held || held.system !== owner) return false;
      return !same(held.value, value);
    })
    .map(([field]) => field);
}

/** The columns of a golden deal that copy one of its fields (name, stage, price). */
export interface DealColumns {
  name?: string;
  stage?: string;
  priceCents?: number;
}

/**
 * The columns a change of a deal writes: those of the fields it won in the merge (`changed`).
 * A column copies its field; written from a change that lost (the TMS closed the deal after the
 * CRM's last change, or owns the stage), it would contradict the field and outlive it.
 */
export function dealColumns(
  incoming: { name?: string | null; stage?: string | null; price?: number | null },
  changed: readonly string[],
): DealColumns {
  const won = (field: string) => changed.includes(field);
  return {
    ...(won("name") && incoming.name != null ? { name: incoming.name } : {}),
    ...(won("stage") && incoming.stage != null ? { stage: incoming.stage } : {}),
    ...(won("price") && incoming.price != null ? { priceCents: incoming.price } : {}),
  };
}

/**
 * Whether a TMS change closes the golden deal (closed_at, the invoice): the TMS says closed and
 * so does the deal once merged — the TMS's stage won, or agrees with the stage another system
 * gave it — and the deal was not closed yet. A closed stage that lost the merge (the CRM's stage
 * changed later, or the CRM owns the stage) leaves the deal open: invoiced on it, the brokerage
 * would bill a deal its golden record says is not closed.
 */
export function closesDeal(tmsStage: string | null | undefined, merged: GoldenFields, closedAt: number | null): boolean {
  return tmsStage === "closed" && merged.stage?.value === "closed" && closedAt === null;
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
 * A contact as a TMS participant gives it, which holds one full name, one email and a phone or
 * two: what it cannot hold stays as the golden person has it. Its name counts only when it reads
 * differently from the golden one; its email and phones only when the golden lists lack them, and
 * then they lead the list in place of its first entries. Null when it shares neither name, email
 * nor phone with the golden person: someone else now holds the participant's role.
 */
export function participantContact(current: GoldenFields, p: Person): Record<string, unknown> | null {
  const said = (...parts: unknown[]) => parts.filter(Boolean).join(" ").toLowerCase();
  const renamed = said(p.firstName, p.middleName, p.lastName) !== said(current.firstName?.value, current.lastName?.value);
  let shared = !renamed;
  const lead = (field: string, values: string[]) => {
    const had = (current[field]?.value as string[] | undefined) ?? [];
    const fresh = values.filter((v) => !had.includes(v));
    shared ||= fresh.length < values.length;
    return fresh.length ? [...new Set([...values, ...had.slice(values.length)])] : undefined;
  };
  const out = {
    firstName: renamed ? [p.firstName, p.middleName].filter(Boolean).join(" ") || undefined : undefined,
    lastName: renamed ? p.lastName : undefined,
    emails: lead(
      "emails",
      p.emails.map((e) => e.value),
    ),
    phones: lead(
      "phones",
      p.phones.map((x) => x.value),
    ),
  };
  return shared ? out : null;
}
