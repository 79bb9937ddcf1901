import type { LeadData } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";
import { joinLists } from "./golden";

/** The brokerage-facing name of a lead source, as the CRM's lead flow knows it. */
export function leadSourceName(system: string, lead: LeadData): string {
  if (lead.person.leadSource?.name) return lead.person.leadSource.name;
  const names: Record<string, string> = { zillow: "Zillow", realtor: "Realtor.com", idx: "Website", standard: "dealwire" };
  return names[system] ?? system;
}

/**
 * Normalized identity keys of a person: lowercase emails, E.164 phones (already normalized by
 * mapping). A number with an extension is an office's switchboard, shared: it names no one.
 */
export function identityKeys(person: LeadData["person"]): { emails: string[]; phones: string[] } {
  return {
    emails: [...new Set(person.emails.map((e) => e.value))],
    phones: [...new Set(person.phones.filter((p) => !p.ext).map((p) => p.value))],
  };
}

/** Golden-record fields a lead contributes. */
export function leadFields(lead: LeadData): Record<string, unknown> {
  const p = lead.person;
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    emails: p.emails.map((e) => e.value),
    phones: p.phones.map((ph) => ph.value),
    address: p.address,
    tags: p.tags,
    lastInquiry: lead.property,
  };
}

/** The fields a lead brings that are lists: it adds to them, never takes from them. */
const LEAD_LISTS = new Set(["emails", "phones", "tags"]);
/** The lead's own: what this lead asked about is always the latest inquiry. */
const LEAD_OWN = new Set(["lastInquiry"]);

/**
 * What a lead may change of a person the hub already knows. A lead is what someone typed into a
 * form, unverified, and anyone who knows a client's email can send one: it fills the fields the
 * person lacks and adds its emails, phones and tags to theirs, but never replaces a name, an
 * address or a list the record holds. Corrections come from the systems agents work in.
 */
export function leadChanges(
  current: Readonly<Record<string, { value: unknown }>>,
  incoming: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(incoming)) {
    if (value === undefined || value === null) continue;
    const held = current[field]?.value;
    if (LEAD_OWN.has(field) || held === undefined || held === null) out[field] = value;
    else if (LEAD_LISTS.has(field) && Array.isArray(value) && Array.isArray(held)) {
      const joined = joinLists(held, value);
      if (joined !== held) out[field] = joined;
    }
  }
  return out;
}

/**
 * Which agent a new lead goes to when the brokerage lets the hub assign: the first rule whose
 * ZIP, price band and source all match, else the next agent in the round robin, else nobody
 * (the CRM's own routing decides). The round robin's turn is drawn only for a lead it takes, so
 * leads the rules take do not skip its agents.
 */
export async function routeLead(
  lead: LeadData,
  sourceName: string,
  routing: BrokerageConfig["routing"],
  nextTurn: () => Promise<number>,
): Promise<string | undefined> {
  if (!routing.enabled) return undefined;
  const zip = lead.property?.address?.zip ?? lead.person.address?.zip;
  const price = lead.property?.price;
  for (const rule of routing.rules) {
    if (rule.zips && (!zip || !rule.zips.includes(zip))) continue;
    if (rule.minPriceCents !== undefined && (price === undefined || price < rule.minPriceCents)) continue;
    if (rule.maxPriceCents !== undefined && (price === undefined || price > rule.maxPriceCents)) continue;
    if (rule.sources && !rule.sources.some((s) => s.toLowerCase() === sourceName.toLowerCase())) continue;
    return rule.agent;
  }
  if (routing.roundRobin.length === 0) return undefined;
  return routing.roundRobin[(await nextTurn()) % routing.roundRobin.length];
}
