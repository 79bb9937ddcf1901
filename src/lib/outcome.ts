import type { ErrorCode } from "../lib/errors";

/** What an ops action returns: its result, or an expected failure with a catalogue code. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** A successful action. */
export function done<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** An action refused for an expected reason (not found, conflict, ...). */
export function refused(code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message };
}
