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
 * `ok: true` carries the delivery's id only when the signature covers it (then it may key
 * idempotency; otherwise key on the signed body) and the timestamp in Unix seconds only when the
 * signature covers it. Headers the signature does not cover are never reported.
 */
export type VerifyResult = { ok: true; id?: string; timestamp?: number } | { ok: false; code: VerifyErrorCode; message: string };

export function fail(code: VerifyErrorCode, message: string): VerifyResult {
  return { ok: false, code, message };
}
