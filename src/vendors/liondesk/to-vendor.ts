import type { Person } from "../../canonical";
import type { ContactBody } from "./schemas";

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
