import * as z from "zod";
import type { Result } from "../lib/result";

export const PropertyFacts = z.object({
  beds: z.number().int().nonnegative().optional(),
  baths: z.number().nonnegative().optional(),
  areaSqft: z.number().nonnegative().optional(),
  yearBuilt: z.number().int().optional(),
  source: z.string(),
});
export type PropertyFacts = z.infer<typeof PropertyFacts>;

export const PhoneFacts = z.object({ valid: z.boolean(), lineType: z.string().optional(), source: z.string() });
export type PhoneFacts = z.infer<typeof PhoneFacts>;

/** A data provider the hub asks only when a record lacks something it needs. */
export interface EnrichmentProvider {
  property(address: { street: string; zip: string }): Promise<Result<PropertyFacts | null>>;
  phone(e164: string): Promise<Result<PhoneFacts>>;
}
