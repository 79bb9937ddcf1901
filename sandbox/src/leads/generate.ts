/**
 * Realistic lead payloads for Zillow, Realtor.com and IDX forms: messy phones, mixed-case
 * emails, one-field names, repeats of the same person. Pure: the same seed gives the same
 * leads; `expected` says what a correct normaliser should make of each.
 */
import { Rng } from "../lib/prng";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MESSAGES, PLACES, SELLER_MESSAGES, STREET_NAMES, STREET_SUFFIXES } from "./names";

export const LEAD_SOURCES = ["zillow", "realtor", "idx"] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** Who a lead really is, normalised. */
export interface Identity {
  firstName: string;
  lastName: string;
  /** Lower-case, trimmed. */
  email: string;
  /** E.164, extension dropped. */
  phone: string;
}

export interface GeneratedLead {
  /** The Standard Webhooks message id this lead is delivered under. */
  webhookId: string;
  source: LeadSource;
  /** Index of the underlying person in this batch; repeats share it. */
  personKey: number;
  repeat: boolean;
  expected: Identity;
  /** The payload's `data` object. */
  data: Record<string, unknown>;
}

export interface GenerateOptions {
  source: LeadSource;
  count: number;
  repeatRate: number;
  seed: number;
  /** Distinguishes emissions with one seed, so their webhook ids differ. */
  batch: number;
}

interface Listing {
  street: string;
  city: string;
  state: string;
  zip: string;
  mls: string;
  price: number;
}

function makeIdentity(rng: Rng): Identity & { areaCode: string; local: string } {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const place = rng.pick(PLACES);
  const areaCode = rng.pick(place.areaCodes);
  const local = `01${String(rng.int(100)).padStart(2, "0")}`;
  const f = firstName.toLowerCase().replace(/[^a-z]/g, "");
  const l = lastName.toLowerCase().replace(/[^a-z]/g, "");
  const user = rng.pick([`${f}.${l}`, `${f}${l}`, `${f.charAt(0)}${l}${rng.int(90) + 10}`, `${l}.${f}`]);
  return { firstName, lastName, email: `${user}@${rng.pick(EMAIL_DOMAINS)}`, phone: `+1${areaCode}555${local}`, areaCode, local };
}

/** A human-typed rendering of the same phone number. */
function messyPhone(rng: Rng, area: string, local: string): string {
  const ext = rng.int(90) + 10;
  return rng.pick([
    `(${area}) 555-${local}`,
    `${area}.555.${local} x${ext}`,
    `${area}-555-${local}`,
    `+1 ${area} 555 ${local}`,
    `${area}555${local}`,
    `1 (${area}) 555-${local}`,
    `${area}/555-${local} ext. ${ext}`,
  ]);
}

function messyEmail(rng: Rng, email: string): string {
  const [user = "", domain = ""] = email.split("@");
  const cased = rng.pick([
    email,
    `${user.charAt(0).toUpperCase()}${user.slice(1)}@${domain}`,
    email.toUpperCase(),
    `${user.replace(/(^|\.)([a-z])/g, (_m, p: string, ch: string) => p + ch.toUpperCase())}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`,
  ]);
  return rng.chance(0.15) ? ` ${cased} ` : cased;
}

function listing(rng: Rng): Listing {
  const place = rng.pick(PLACES);
  return {
    street: `${rng.int(9800) + 100} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_SUFFIXES)}`,
    city: place.city,
    state: place.state,
    zip: place.zip,
    mls: String(1_000_000 + rng.int(9_000_000)),
    price: (rng.int(120) + 18) * 5_000,
  };
}

function zillowName(rng: Rng, id: Identity): string {
  return rng.pick([
    `${id.firstName} ${id.lastName}`,
    `${id.firstName} ${id.lastName}`,
    `${id.firstName.toLowerCase()} ${id.lastName.toLowerCase()}`,
    `${id.lastName}, ${id.firstName}`,
    `${id.firstName.toUpperCase()} ${id.lastName.toUpperCase()}`,
  ]);
}

function render(rng: Rng, source: LeadSource, who: ReturnType<typeof makeIdentity>): Record<string, unknown> {
  const home = listing(rng);
  const phone = messyPhone(rng, who.areaCode, who.local);
  const email = messyEmail(rng, who.email);
  const message = rng.pick(MESSAGES).replace("{street}", home.street);
  if (source === "zillow") {
    return {
      contact_name: zillowName(rng, who),
      contact_email_address: email,
      phone_number: phone,
      message,
      listing: {
        street: home.street,
        city: home.city,
        state: home.state,
        zip: home.zip,
        mls_id: home.mls,
        price: `$${String(home.price).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`,
      },
    };
  }
  if (source === "realtor") {
    const role = rng.chance(0.25) ? "seller" : "buyer";
    return {
      lead_id: `rdc-${rng.hex(12)}`,
      role,
      contact: { first_name: who.firstName, last_name: who.lastName, email, phone },
      property: { address: home.street, city: home.city, state: home.state, postal_code: home.zip, mls_id: home.mls, price: home.price },
      message: role === "seller" ? rng.pick(SELLER_MESSAGES).replace("{street}", home.street) : message,
    };
  }
  const data: Record<string, unknown> = { firstName: who.firstName, lastName: who.lastName, email, phone, message };
  if (rng.chance(0.7)) {
    data["property"] = { street: home.street, city: home.city, state: home.state, zip: home.zip, mlsNumber: home.mls, price: home.price };
  }
  return data;
}

/** Generates `count` leads of one source. */
export function generateLeads(opts: GenerateOptions): GeneratedLead[] {
  const rng = new Rng(opts.seed);
  const ids = new Rng((opts.seed ^ Math.imul(opts.batch + 1, 0x9e3779b1)) >>> 0);
  const people: Array<ReturnType<typeof makeIdentity>> = [];
  const out: GeneratedLead[] = [];
  for (let i = 0; i < opts.count; i++) {
    const repeat = people.length > 0 && rng.chance(opts.repeatRate);
    const personKey = repeat ? rng.int(people.length) : people.length;
    if (!repeat) people.push(makeIdentity(rng));
    const who = people[personKey];
    if (who === undefined) continue;
    const webhookId = `msg_${ids.hex(24)}`;
    const { areaCode: _a, local: _l, ...expected } = who;
    out.push({ webhookId, source: opts.source, personKey, repeat, expected, data: render(rng, opts.source, who) });
  }
  return out;
}
