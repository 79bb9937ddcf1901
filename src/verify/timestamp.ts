/** Delivery timestamps: strict parsing and the replay window. */
import type { HmacScheme } from "./scheme-config";

// Digits only (no sign, exponent, fraction or spaces): what is signed must be what is checked.
const DIGITS = /^[0-9]{1,16}$/;
// 1e11 seconds is the year 5138; 1e11 milliseconds is 1973. Anything above is milliseconds.
const MS_THRESHOLD = 1e11;

/** Unix seconds from the header text, or null when it is not a plain non-negative integer. */
export function parseTimestamp(text: string, unit: HmacScheme["timestampUnit"]): number | null {
  if (!DIGITS.test(text)) return null;
  const n = Number(text);
  const ms = unit === "ms" || (unit === "auto" && n > MS_THRESHOLD);
  return ms ? Math.floor(n / 1000) : n;
}

/** True when the timestamp is within `tolerance` seconds of `now`, in either direction. */
export function withinTolerance(timestamp: number, now: number, tolerance: number): boolean {
  return Math.abs(now - timestamp) <= tolerance;
}
