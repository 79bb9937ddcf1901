/**
 * Expected failures are values. `retryable` says whether trying again can help; `retryAfterSeconds`
 * carries what the vendor asked for (Retry-After), so consumers can settle mechanically.
 */
import type { FailureCode, PermanentCode, TransientCode } from "./failures";

export interface Failure {
  /** From the closed catalogue in ./failures, which also says whether the code retries. */
  code: FailureCode;
  message: string;
  retryable: boolean;
  status?: number;
  retryAfterSeconds?: number;
  vendor?: string;
  /**
   * What the failure is about when that is not the message itself (a deal halted on missing
   * data halts every later notice of the deal the same way): while such a subject has an open
   * dead letter, further failures about it refresh that letter instead of adding one each.
   */
  subject?: string;
  /**
   * Nothing was attempted: the hub itself held the call back (its rate budget for the vendor is
   * spent). The message goes back to its queue with the delay, without spending a retry attempt.
   */
  defer?: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: Failure): { ok: false; error: Failure } {
  return { ok: false, error };
}

export function permanent(code: PermanentCode, message: string, extra: Partial<Failure> = {}): { ok: false; error: Failure } {
  return fail({ code, message, retryable: false, ...extra });
}

export function transient(code: TransientCode, message: string, extra: Partial<Failure> = {}): { ok: false; error: Failure } {
  return fail({ code, message, retryable: true, ...extra });
}
