/**
 * Follow Up Boss people: the stored shape, input parsing, server-side duplicate matching
 * (email first, then phone) and the response view.
 */
import { asObject, num, str } from "../lib/http";
import { isoSeconds } from "../lib/time";
import type { Store } from "../state/store";
import type { CustomField, User } from "./data";

export interface Contact {
  value: string;
  type: string;
  isPrimary: 0 | 1;
  status: "Valid";
}

export interface Person {
  id: number;
  created: string;
  updated: string;
  createdVia: string;
  lastActivity: string;
  name: string;
  firstName: string;
  lastName: string;
  stage: string;
  source: string;
  sourceUrl: string;
  contacted: number;
  price: number;
  background: string | null;
  assignedTo: string | null;
  assignedUserId: number | null;
  assignedLenderName: string | null;
  assignedLenderId: number | null;
  emails: Contact[];
  phones: Contact[];
  addresses: Array<Record<string, unknown>>;
  tags: string[];
  custom: Record<string, unknown>;
}

/** Person fields read from a request (every one optional). */
export interface PersonInput {
  firstName?: string;
  lastName?: string;
  stage?: string;
  source?: string;
  sourceUrl?: string;
  price?: number;
  background?: string;
  contacted?: number;
  assignedTo?: string;
  assignedUserId?: number;
  emails?: string[];
  phones?: string[];
  addresses?: Array<Record<string, unknown>>;
  tags?: string[];
  custom: Record<string, unknown>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The match key of a phone: its 10 national digits, extension and country code dropped. */
export function phoneKey(raw: string): string | null {
  const noExt = raw.replace(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i, "");
  let digits = noExt.replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("1")) digits = digits.slice(1);
  return digits.length >= 7 ? digits : null;
}

export function emailKey(raw: string): string {
  return raw.trim().toLowerCase();
}

function values(v: unknown, field: string): Parsed<string[] | undefined> {
  if (v === undefined || v === null) return { ok: true, value: undefined };
  if (!Array.isArray(v)) return { ok: false, message: `${field} must be an array of objects with a value.` };
  const out: string[] = [];
  for (const item of v) {
    const value = str(asObject(item)?.["value"]);
    if (value === undefined) return { ok: false, message: `Each of ${field} needs a value.` };
    out.push(value);
  }
  return { ok: true, value: out };
}

/** Reads person fields from a body; `custom<Name>` keys are collected for the caller to check. */
export function parsePerson(raw: unknown): Parsed<PersonInput> {
  const o = asObject(raw);
  if (o === null) return { ok: false, message: "person must be an object." };
  const emails = values(o["emails"], "emails");
  if (!emails.ok) return emails;
  const phones = values(o["phones"], "phones");
  if (!phones.ok) return phones;
  if (o["tags"] !== undefined && !(Array.isArray(o["tags"]) && o["tags"].every((t) => typeof t === "string"))) {
    return { ok: false, message: "tags must be an array of strings." };
  }
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (/^custom[A-Z0-9]/.test(k)) custom[k] = v;
  return {
    ok: true,
    value: {
      firstName: str(o["firstName"]),
      lastName: str(o["lastName"]),
      stage: str(o["stage"]),
      source: str(o["source"]),
      sourceUrl: str(o["sourceUrl"]),
      price: num(o["price"]),
      background: str(o["background"]),
      contacted: num(o["contacted"]),
      assignedTo: str(o["assignedTo"]),
      assignedUserId: num(o["assignedUserId"]),
      emails: emails.value,
      phones: phones.value,
      addresses: Array.isArray(o["addresses"]) ? o["addresses"].map((a) => asObject(a) ?? {}) : undefined,
      tags: Array.isArray(o["tags"]) ? (o["tags"] as string[]) : undefined,
      custom,
    },
  };
}

/** Names of `custom*` keys that are not defined custom fields. */
export function unknownCustomFields(store: Store, kind: "customField" | "dealCustomField", custom: Record<string, unknown>): string[] {
  return Object.keys(custom).filter((k) => store.idsBy(kind, "name", k).length === 0);
}

/** Keeps only the custom keys that are defined. */
export function knownCustom(
  store: Store,
  kind: "customField" | "dealCustomField",
  custom: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(custom).filter(([k]) => store.idsBy(kind, "name", k).length > 0));
}

/** Finds an existing person by email, then by phone. */
export function findDuplicate(store: Store, emails: string[], phones: string[]): { person: Person; by: "email" | "phone" } | undefined {
  for (const e of emails) {
    const id = store.idsBy("person", "email", emailKey(e))[0];
    const p = id === undefined ? undefined : store.get<Person>("person", id);
    if (p) return { person: p, by: "email" };
  }
  for (const ph of phones) {
    const key = phoneKey(ph);
    const id = key === null ? undefined : store.idsBy("person", "phone", key)[0];
    const p = id === undefined ? undefined : store.get<Person>("person", id);
    if (p) return { person: p, by: "phone" };
  }
  return undefined;
}

function contacts(list: string[], type: string): Contact[] {
  return list.map((value, i) => ({ value, type, isPrimary: i === 0 ? 1 : 0, status: "Valid" }));
}

function assigned(store: Store, input: PersonInput): { assignedTo: string | null; assignedUserId: number | null } | undefined {
  if (input.assignedUserId !== undefined) {
    const u = store.get<User>("user", input.assignedUserId);
    return u ? { assignedTo: u.name, assignedUserId: u.id } : undefined;
  }
  if (input.assignedTo !== undefined) {
    const id = store.idsBy("user", "name", input.assignedTo.toLowerCase())[0];
    const u = id === undefined ? undefined : store.get<User>("user", id);
    return u ? { assignedTo: u.name, assignedUserId: u.id } : undefined;
  }
  return undefined;
}

/** Creates and stores a new person. */
export function createPerson(store: Store, input: PersonInput, now: number, via: string): Person {
  const t = isoSeconds(now);
  const first = input.firstName ?? "";
  const last = input.lastName ?? "";
  const person: Person = {
    id: store.seq("person", 101),
    created: t,
    updated: t,
    createdVia: via,
    lastActivity: t,
    name: [first, last].filter((s) => s !== "").join(" "),
    firstName: first,
    lastName: last,
    stage: input.stage ?? "Lead",
    source: input.source ?? "<unspecified>",
    sourceUrl: input.sourceUrl ?? "",
    contacted: input.contacted ?? 0,
    price: input.price ?? 0,
    background: input.background ?? null,
    assignedTo: null,
    assignedUserId: null,
    assignedLenderName: null,
    assignedLenderId: null,
    emails: contacts(input.emails ?? [], "home"),
    phones: contacts(input.phones ?? [], "mobile"),
    addresses: input.addresses ?? [],
    tags: input.tags ?? [],
    custom: input.custom,
    ...assigned(store, input),
  };
  savePerson(store, person);
  return person;
}

/**
 * Applies input to a person. `merge` (events) adds emails, phones and tags, fills empty names and
 * keeps the assigned agent; otherwise (PUT) the given lists replace the old ones. Returns whether
 * it changed.
 */
export function updatePerson(store: Store, p: Person, input: PersonInput, now: number, merge: boolean): boolean {
  const before = JSON.stringify(p);
  const setName = (k: "firstName" | "lastName", v: string | undefined) => {
    if (v !== undefined && (!merge || p[k] === "")) p[k] = v;
  };
  setName("firstName", input.firstName);
  setName("lastName", input.lastName);
  p.name = [p.firstName, p.lastName].filter((s) => s !== "").join(" ");
  if (input.stage !== undefined && !merge) p.stage = input.stage;
  if (input.price !== undefined) p.price = input.price;
  if (input.background !== undefined) p.background = input.background;
  if (input.contacted !== undefined) p.contacted = input.contacted;
  // Published (events-post): "A person cannot be re-assigned in the same events call".
  if (!merge) Object.assign(p, assigned(store, input));
  if (input.emails) {
    const kept = merge ? p.emails : [];
    const have = new Set(kept.map((e) => emailKey(e.value)));
    p.emails = [
      ...kept,
      ...contacts(
        input.emails.filter((e) => !have.has(emailKey(e))),
        "home",
      ),
    ];
  }
  if (input.phones) {
    const kept = merge ? p.phones : [];
    const have = new Set(kept.map((x) => phoneKey(x.value)));
    p.phones = [
      ...kept,
      ...contacts(
        input.phones.filter((x) => !have.has(phoneKey(x))),
        "mobile",
      ),
    ];
  }
  for (const [i, e] of p.emails.entries()) e.isPrimary = i === 0 ? 1 : 0;
  for (const [i, e] of p.phones.entries()) e.isPrimary = i === 0 ? 1 : 0;
  if (input.addresses) p.addresses = merge ? [...p.addresses, ...input.addresses] : input.addresses;
  if (input.tags) p.tags = merge ? [...new Set([...p.tags, ...input.tags])] : input.tags;
  p.custom = { ...p.custom, ...input.custom };
  const changed = JSON.stringify(p) !== before;
  if (changed) p.updated = isoSeconds(now);
  savePerson(store, p);
  return changed;
}

export function savePerson(store: Store, p: Person): void {
  store.put("person", p.id, p, {
    email: p.emails.map((e) => emailKey(e.value)),
    phone: p.phones.map((x) => phoneKey(x.value)).filter((k): k is string => k !== null),
  });
}

/** The API view of a person; custom fields appear only with `fields=allFields`. */
export function personView(p: Person, allFields: boolean, fields?: CustomField[]): Record<string, unknown> {
  const { custom, ...rest } = p;
  if (!allFields) return rest;
  const blanks = Object.fromEntries((fields ?? []).map((f) => [f.name, null]));
  return { ...rest, ...blanks, ...custom };
}
