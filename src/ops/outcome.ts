import type { ErrorCode } from "../lib/errors";

/** What an ops action returns: its result, or an expected failure with a catalogue code. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export function done<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refused(code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message };
}
