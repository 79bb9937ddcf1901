import type { LeadData } from "../canonical";
import type { BrokerageConfig } from "../config/brokerage";

/** The brokerage-facing name of a lead source, as the CRM's lead flow knows it. */
export function leadSourceName(system: string, lead: LeadData): string {
  if (lead.person.leadSource?.name) return lead.person.leadSource.name;
  const names: Record<string, string> = { zillow: "Zillow", realtor: "Realtor.com", idx: "Website", standard: "dealwire" };
  return names[system] ?? system;
}

/** Normalized identity keys of a person: lowercase emails, E.164 phones (already normalized by mapping). */
export function identityKeys(person: LeadData["person"]): { emails: string[]; phones: string[] } {
  return {
    emails: [...new Set(person.emails.map((e) => e.value))],
    phones: [...new Set(person.phones.map((p) => p.value))],
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

/**
 * Which agent a new lead goes to when the brokerage lets the hub assign: the first rule whose
 * ZIP, price band and source all match, else the next agent in the round robin, else nobody
 * (the CRM's own routing decides).
 */
export function routeLead(
  lead: LeadData,
  sourceName: string,
  routing: BrokerageConfig["routing"],
  roundRobinTurn: number,
): string | undefined {
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
  return routing.roundRobin[roundRobinTurn % routing.roundRobin.length];
}
