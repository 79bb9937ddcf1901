import * as z from "zod";

/** One person of the golden record as the dedupe sees it; every field but `id` may be missing. */
export const DedupePersonSchema = z.object({
  id: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  emails: z.array(z.string()).optional(),
  phones: z.array(z.string()).optional(),
  address: z
    .object({
      street: z.string().optional(),
      city: z.string().optional(),
      state: z.string().optional(),
      zip: z.string().optional(),
    })
    .optional(),
  /** ISO `YYYY-MM-DD` (also accepted: `YYYYMMDD`). */
  birthDate: z.string().optional(),
});
export type DedupePerson = z.infer<typeof DedupePersonSchema>;

/** Counters of one run, so callers (and tests) can see that blocking kept the work near-linear. */
export const DedupeStatsSchema = z.object({
  people: z.number().int(),
  blocks: z.number().int(),
  /** Blocks that stayed above `maxBlockSize` even after refinement, and were dropped. */
  droppedBlocks: z.number().int(),
  /** Candidate pairs visited (including ones owned by another block and skipped). */
  visited: z.number().int(),
  /** Pairs actually scored. */
  comparisons: z.number().int(),
  pairs: z.number().int(),
});
export type DedupeStats = z.infer<typeof DedupeStatsSchema>;

/** Tuning knobs; defaults were tuned on febrl, splink_fake_1000 and synthetic US people. */
export const DedupeOptionsSchema = z.object({
  /** Minimum match probability in [0,1] for a pair to be reported. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Largest block that is compared all-pairs; bigger ones are refined, then dropped. */
  maxBlockSize: z.number().int().min(2).default(100),
  /** Called once at the end of a run with its counters. */
  onStats: z.custom<(stats: DedupeStats) => void>((v) => typeof v === "function").optional(),
});
export type DedupeOptions = z.input<typeof DedupeOptionsSchema>;

/** One proposed merge: ids in lexical order, match probability, and why. */
export const DuplicatePairSchema = z.object({
  a: z.string(),
  b: z.string(),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type DuplicatePair = z.infer<typeof DuplicatePairSchema>;

/** Where a chunked run resumes: the block key and the index of the next pair inside it. */
export const BlockCursorSchema = z.object({ key: z.string(), pair: z.number().int().min(0) });
export type BlockCursor = z.infer<typeof BlockCursorSchema>;
