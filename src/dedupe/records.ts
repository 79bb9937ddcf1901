/**
 * The records the dedupe takes and gives, as schemas for their types only: nothing validates them
 * at run time, so they live apart from the schemas the code parses with and stay out of the bundle.
 */
import * as z from "../lib/zod";

/** One person of the golden record as the dedupe sees it; every field but `id` may be missing. */
export const DedupePersonSchema = z.object({
  id: z.string().check(z.minLength(1)),
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  emails: z.optional(z.array(z.string())),
  phones: z.optional(z.array(z.string())),
  address: z.optional(
    z.object({
      street: z.optional(z.string()),
      city: z.optional(z.string()),
      state: z.optional(z.string()),
      zip: z.optional(z.string()),
    }),
  ),
  /** ISO `YYYY-MM-DD` (also accepted: `YYYYMMDD`). */
  birthDate: z.optional(z.string()),
});
export type DedupePerson = z.infer<typeof DedupePersonSchema>;

/** Counters of one run, so callers (and tests) can see that blocking kept the work near-linear. */
export const DedupeStatsSchema = z.object({
  people: z.int(),
  blocks: z.int(),
  /** Blocks that stayed above `maxBlockSize` even after refinement, and were dropped. */
  droppedBlocks: z.int(),
  /** Candidate pairs visited (including ones owned by another block and skipped). */
  visited: z.int(),
  /** Pairs actually scored. */
  comparisons: z.int(),
  pairs: z.int(),
});
export type DedupeStats = z.infer<typeof DedupeStatsSchema>;

/** One proposed merge: ids in lexical order, match probability, and why. */
export const DuplicatePairSchema = z.object({
  a: z.string(),
  b: z.string(),
  score: z.number().check(z.gte(0), z.lte(1)),
  reasons: z.array(z.string()),
});
export type DuplicatePair = z.infer<typeof DuplicatePairSchema>;
