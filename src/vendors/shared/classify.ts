import { statusRetryable } from "../../lib/failures";
import type { Failure } from "../../lib/result";

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), if present and sane. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  // At most a day either way: a date years ahead must not stop a connection for years.
  const n = Number(header);
  if (Number.isFinite(n) && n >= 0) return Math.min(n, 86_400);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, Math.ceil((at - now) / 1000)), 86_400);
}

/**
 * Classifies a vendor's non-2xx answer: 429, 408 and 5xx are worth retrying (after Retry-After
 * when the vendor gave one); 400, 401 (after a refresh), 403, 404, 409, 422 are not.
 */
export function classifyStatus(vendor: string, status: number, message: string, retryAfter?: number): Failure {
  const retryable = statusRetryable(status);
  return {
    code: "vendor_http",
    message: message.slice(0, 300) || `HTTP ${status}`,
    retryable,
    status,
    vendor,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** A request that never got an answer (DNS, reset, timeout) is always worth retrying. */
export function networkFailure(vendor: string, err: unknown): Failure {
  const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
  return {
    code: timeout ? "vendor_timeout" : "vendor_network",
    message: timeout ? "vendor did not answer in time" : `network error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300),
    retryable: true,
    vendor,
  };
}
