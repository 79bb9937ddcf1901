/** The outcome of verifying one delivery. */
import type { ErrorCode } from "../lib/errors";

/** The catalogue codes a verifier can return (each is in src/lib/errors.ts, status 401/500). */
export const VERIFY_ERROR_CODES = [
  "signature_missing",
  "signature_invalid",
  "timestamp_stale",
  "timestamp_invalid",
  "secret_missing",
] as const satisfies readonly ErrorCode[];

export type VerifyErrorCode = (typeof VERIFY_ERROR_CODES)[number];

/**
 * `ok: true` carries the delivery's own id when the scheme has one in headers (use it for
 * idempotency) and the timestamp in Unix seconds when the scheme has one.
 */
export type VerifyResult =
  | { ok: true; id?: string; timestamp?: number }
  | { ok: false; code: VerifyErrorCode; message: string };

export function fail(code: VerifyErrorCode, message: string): VerifyResult {
  return { ok: false, code, message };
}
