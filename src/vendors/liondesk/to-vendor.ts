import type { LeadData, Person } from "../../canonical";
import type { ContactBody, LeadBody } from "./schemas";

/**
 * A LionDesk contact from a canonical person: the first email, phones by type (mobile when the
 * type is unknown, since leads mostly leave a cell number), tags as LionDesk's comma list.
 */
export function personToContact(person: Person): ContactBody {
  const email = person.emails[0]?.value;
  const byType = (t: string) => person.phones.find((p) => p.type === t)?.value;
  const mobile = byType("mobile") ?? person.phones.find((p) => p.type === undefined || p.type === "other")?.value;
  const home = byType("home");
  const office = byType("work");
  const fax = byType("fax");
  return {
    ...(person.firstName ? { first_name: person.firstName } : {}),
    ...(person.lastName ? { last_name: person.lastName } : {}),
    ...(email ? { email } : {}),
    ...(mobile ? { mobile_phone: mobile } : {}),
    ...(home ? { home_phone: home } : {}),
    ...(office ? { office_phone: office } : {}),
    ...(fax ? { fax } : {}),
    ...(person.tags.length ? { tags: person.tags.join(",") } : {}),
  };
}

/** A lead's inquiry for `POST /leads`: its message and the property it is about (dollars). */
export function leadToLionDeskLead(lead: LeadData, contactId: number): LeadBody {
  const p = lead.property;
  const a = p?.address;
  const street = a
    ? [a.number, a.predirectional, a.street, a.suffix, a.postdirectional, a.unitId ? `#${a.unitId}` : undefined].filter(Boolean).join(" ")
    : "";
  return {
    contact_id: contactId,
    ...(lead.message ? { text_body: lead.message } : {}),
    ...(p?.mlsId ? { mls_id: p.mlsId } : {}),
    ...(p?.price !== undefined ? { listing_price: p.price / 100 } : {}),
    ...(street ? { street_address: street } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.state ? { state: a.state } : {}),
    ...(a?.zip ? { zipcode: a.zip } : {}),
    ...(lead.leadType ? { type: lead.leadType } : {}),
  };
}
