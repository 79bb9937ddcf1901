/** Realistic bodies per source for the corpus, with the clock taken out so builds repeat exactly. */
import { sampleBody } from "../../helpers/deliveries";
import type { Source } from "./signing";

const FIXED_ISO = "2026-01-15T12:00:00.000Z";
const FIXED_MS = Date.parse(FIXED_ISO);

/**
 * The shared test helper's body for `source`, its timestamps replaced by a fixed instant: the
 * corpus only needs a realistic shape, and a fixed one keeps every build byte-identical.
 */
export function fixedSample(source: Source, n: string): string {
  return JSON.stringify(sampleBody(source, n))
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, FIXED_ISO)
    .replace(/"timestamp":\d{13}/g, `"timestamp":${FIXED_MS}`);
}
