import type { LeadData, PostalAddress } from "../../canonical";
import type { FubEventBody } from "./schemas";

function streetLine(a: PostalAddress | undefined): string | undefined {
  if (!a) return undefined;
  const parts = [a.number, a.predirectional, a.street, a.suffix, a.postdirectional, a.unitType, a.unitId].filter(Boolean);
  return parts.length ? parts.join(" ") : undefined;
}

/**
 * FUB's event type decides which of its automations fire: a lead about a property is a
 * `Property Inquiry`, a seller lead a `Seller Inquiry`, a bare sign-up a `Registration`.
 */
export function fubEventType(lead: LeadData): string {
  const t = (lead.leadType ?? "").toLowerCase();
  if (t.includes("seller")) return "Seller Inquiry";
  if (lead.property) return "Property Inquiry";
  if (!lead.message) return "Registration";
  return "General Inquiry";
}

/** A canonical lead as the body of POST /v1/events. Money goes to FUB in dollars. */
export function leadToFubEvent(
  lead: LeadData,
  opts: { sourceName: string; system?: string; knownExternalId?: string; assignTo?: string },
): FubEventBody {
  const p = lead.person;
  const property = lead.property;
  const propAddress = property?.address;
  return {
    source: opts.sourceName,
    ...(opts.system ? { system: opts.system } : {}),
    type: fubEventType(lead),
    ...(lead.message ? { message: lead.message } : {}),
    person: {
      ...(opts.knownExternalId ? { id: Number(opts.knownExternalId) } : {}),
      ...(p.firstName ? { firstName: p.firstName } : {}),
      ...(p.lastName ? { lastName: p.lastName } : {}),
      emails: p.emails.map((e) => ({ value: e.value })),
      phones: p.phones.map((ph) => ({ value: ph.value })),
      ...(p.tags.length ? { tags: p.tags } : {}),
      ...(p.leadSource?.url ? { sourceUrl: p.leadSource.url } : {}),
      ...(opts.assignTo ? { assignedTo: opts.assignTo } : {}),
    },
    ...(property
      ? {
          property: Object.fromEntries(
            Object.entries({
              street: streetLine(propAddress),
              city: propAddress?.city,
              state: propAddress?.state,
              code: propAddress?.zip,
              mlsNumber: property.mlsId,
              price: property.price !== undefined ? Math.round(property.price / 100) : undefined,
              bedrooms: property.beds,
              bathrooms: property.baths,
              area: property.areaSqft,
            }).filter(([, v]) => v !== undefined),
          ) as Record<string, string | number>,
        }
      : {}),
  };
}
