import { CorruptRecordError } from "../canonical/golden";
import type { Failure } from "../lib/result";

/** What a thrown error means for its message: whether trying again can help, and why it failed. */
export function failureOfThrown(err: unknown): Failure {
  // A corrupt stored record will not heal by retrying: its letter names it, and it stays as stored.
  // Each message keeps a letter of its own (no subject): different leads or deal steps can fail
  // on one record, and each must be replayed once the record is repaired.
  if (err instanceof CorruptRecordError) return { code: err.code, message: err.message, retryable: false };
  // A thrown error is a bug or an outage we did not classify: retry it, never drop it.
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: "internal", message: message.slice(0, 300), retryable: true };
}
