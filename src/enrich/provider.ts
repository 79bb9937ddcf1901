import * as z from "../lib/zod";
import type { Result } from "../lib/result";

export const PropertyFacts = z.object({
  beds: z.optional(z.int().check(z.nonnegative())),
  baths: z.optional(z.number().check(z.nonnegative())),
  areaSqft: z.optional(z.number().check(z.nonnegative())),
  yearBuilt: z.optional(z.int()),
  source: z.string(),
});
export type PropertyFacts = z.infer<typeof PropertyFacts>;

export const PhoneFacts = z.object({ valid: z.boolean(), lineType: z.optional(z.string()), source: z.string() });
export type PhoneFacts = z.infer<typeof PhoneFacts>;

/** A data provider the hub asks only when a record lacks something it needs. */
export interface EnrichmentProvider {
  property(address: { street: string; zip: string }): Promise<Result<PropertyFacts | null>>;
  phone(e164: string): Promise<Result<PhoneFacts>>;
}
