/** The operator API's views of stored rows: the names its answers use for a row's columns. */
import type { DealRow } from "../store/deals";
import type { LinkRow } from "../store/links";
import type { PersonRow } from "../store/people";

export function personView(p: PersonRow) {
  return {
    id: p.id,
    firstName: p.first_name,
    lastName: p.last_name,
    email: p.email,
    phone: p.phone,
    leadSource: p.lead_source,
    leadSystem: p.lead_system,
    mergedInto: p.merged_into,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export function dealView(d: DealRow) {
  return {
    id: d.id,
    personId: d.person_id,
    name: d.name,
    stage: d.stage,
    priceCents: d.price_cents,
    gciCents: d.gci_cents,
    leadSource: d.lead_source,
    closedAt: d.closed_at,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

export function linkView(l: LinkRow) {
  return {
    system: l.system,
    kind: l.kind,
    externalId: l.external_id,
    canonicalId: l.canonical_id,
    connection: l.connection,
    createdAt: l.created_at,
  };
}
