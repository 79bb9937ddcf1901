import * as z from "../lib/zod";
import type { Failure } from "../lib/result";

/**
 * How many times a vendor's 429 may send one message back without spending a retry. With
 * QuickBooks' minute pause that is half an hour of throttling; past it, each 429 spends an
 * attempt on the ordinary ladder, so a vendor that throttles for days still ends in a letter.
 */
export const MAX_THROTTLED = 30;

/** The one field the hub adds to any queue body it sends back: how often it was throttled. */
const Throttled = z.object({ throttled: z.optional(z.int().check(z.nonnegative())) });

/**
 * The copy to send back when a vendor refused a call with 429 (it did not process the request,
 * so trying again is safe for every method), or null when the failure is anything else, the
 * body is not an object, or the copy has been throttled too often already.
 */
export function throttledCopy(
  body: unknown,
  failure: Failure,
): { body: Record<string, unknown>; delaySeconds: number; count: number } | null {
  if (failure.status !== 429 || !failure.vendor) return null;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const seen = Throttled.safeParse(body);
  const count = (seen.success ? (seen.data.throttled ?? 0) : 0) + 1;
  if (!seen.success || count > MAX_THROTTLED) return null;
  // Vendors that send no Retry-After (Dotloop's reset header pauses the gate instead) get a few
  // seconds; the gate defers the copy again, without a call, if its pause is longer.
  const delaySeconds = Math.min(43_200, Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 5)));
  return { body: { ...body, throttled: count }, delaySeconds, count };
}
