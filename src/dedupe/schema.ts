import * as z from "../lib/zod";
import type { DedupeStats } from "./records";

/** Tuning knobs; defaults were tuned on febrl, splink_fake_1000 and synthetic US people. */
export const DedupeOptionsSchema = z.object({
  /** Minimum match probability in [0,1] for a pair to be reported. */
  threshold: z._default(z.number().check(z.gte(0), z.lte(1)), 0.5),
  /** Largest block that is compared all-pairs; bigger ones are refined, then dropped. */
  maxBlockSize: z._default(z.int().check(z.gte(2)), 100),
  /** Called once at the end of a run with its counters. */
  onStats: z.optional(z.custom<(stats: DedupeStats) => void>((v) => typeof v === "function")),
});
export type DedupeOptions = z.input<typeof DedupeOptionsSchema>;

/** Where a chunked run resumes: the block key and the index of the next pair inside it. */
export const BlockCursorSchema = z.object({ key: z.string(), pair: z.int().check(z.gte(0)) });
export type BlockCursor = z.infer<typeof BlockCursorSchema>;
