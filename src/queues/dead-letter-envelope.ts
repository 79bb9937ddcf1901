import * as z from "../lib/zod";

/**
 * A replayed message carries the id of the letter it was replayed from, beside the message's own
 * fields (every consumer's schema ignores keys it does not know), so that if it fails again its
 * new letter links back. It survives both the hub's envelope and the platform's raw move.
 */
const ReplayMark = z.object({ replayOf: z.string().check(z.minLength(1), z.maxLength(200)) });

/** The message body to send when replaying letter `letterId`. */
export function markReplay(body: unknown, letterId: string): unknown {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? { ...body, replayOf: letterId } : body;
}

/** The letter a dead-lettered message was replayed from, if it was a replay. */
export function replayOf(body: unknown): string | undefined {
  const m = ReplayMark.safeParse(body);
  return m.success ? m.data.replayOf : undefined;
}
