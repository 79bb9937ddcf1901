/** The outcome of a normalizer: a value, or a failure with a stable code and a human message. */
export type Norm<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** A success value. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** A failure with a stable code (for programs) and a message (for people). */
export function fail(code: string, message: string): { ok: false; code: string; message: string } {
  return { ok: false, code, message };
}
