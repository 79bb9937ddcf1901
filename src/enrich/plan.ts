import type { EnrichedFields } from "../canonical/golden";
import type { GoldenFields } from "../flows/golden";

export interface EnrichmentPlan {
  property?: { street: string; zip: string };
  phones: string[];
}

/**
 * What to ask the provider for, only where the record lacks it: property facts when the latest
 * inquiry has an address but no size; phone verification for phones not verified yet.
 */
export function enrichmentPlan(fields: GoldenFields, enriched: EnrichedFields): EnrichmentPlan {
  const plan: EnrichmentPlan = { phones: [] };
  const inquiry = fields.lastInquiry?.value as
    | { address?: { number?: string; street?: string; suffix?: string; zip?: string }; beds?: number; areaSqft?: number }
    | undefined;
  const a = inquiry?.address;
  if (a?.street && a.zip && inquiry?.beds === undefined && inquiry?.areaSqft === undefined && !enriched.enriched_property) {
    plan.property = { street: [a.number, a.street, a.suffix].filter(Boolean).join(" "), zip: a.zip };
  }
  const phones = (fields.phones?.value as string[] | undefined) ?? [];
  plan.phones = phones.filter((p) => !enriched[`enriched_phone:${p}`]);
  return plan;
}
