/**
 * Evidence weights in bits (log2 of how much likelier the observation is for a true duplicate
 * than for two different people), Fellegi–Sunter style. Disagreement weighs negative; a field
 * missing on either side weighs nothing. Tuned by hand on febrl, splink_fake_1000 and the
 * synthetic set of bench/eval-dedupe.ts; a pair's score is the logistic of prior + sum.
 */
export const WEIGHTS = {
  /** Log2 prior odds that a blocked candidate pair is a duplicate. */
  prior: -7,
  /** Share of each further agreeing contact field (see score.ts) after the strongest one. */
  householdOverlap: 0.1,
  emailExact: 10,
  emailSimilar: 5,
  emailDiffers: -1.5,
  phoneExact: 9,
  phoneDiffers: -1.5,
  /** Exact names are worth the flat weight at this share of people, more when rarer (rarity.ts). */
  rareNameShare: 0.01,
  rareNameMax: 3,
  firstExact: 4,
  nickname: 3.5,
  firstHigh: 3,
  firstMid: 1,
  firstInitial: 0.5,
  /** Jaro-Winkler between JW_LOW and JW_MID: a heavy typo or a different name. */
  firstWeak: -2,
  firstDiffers: -8,
  lastExact: 5,
  lastHigh: 3.5,
  lastMid: 1,
  lastWeak: -2,
  lastDiffers: -5,
  /** Different generational suffixes (Jr. and Sr.): the name's agreement says nothing, as a son is named for his father. */
  generationDiffers: -8,
  dobExact: 9,
  dobTransposed: 5,
  dobTypo: 4,
  /** Within two months: a mistyped or approximate date. */
  dobNear: 3,
  /** Within about a year. */
  dobSameYearish: 0,
  dobDiffers: -6,
  addressSame: 5,
  addressSimilar: 3,
  numberDiffers: -1,
  streetDiffers: -2,
  zipExact: 1.5,
  zipDiffers: -1,
  cityExact: 1,
} as const;

/** Jaro-Winkler cut-offs for "high" and "mid" agreement of names, cities and streets. */
export const JW_HIGH = 0.94;
export const JW_MID = 0.85;
export const JW_LOW = 0.7;
