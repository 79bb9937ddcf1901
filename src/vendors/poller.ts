import type { Result } from "../lib/result";

/** One record a poller found changed since its cursor. */
export interface PolledChange {
  resource: string; // person | deal | loop | sale | invoice ...
  id: string;
  updatedAt: string;
  /** Set when the vendor lists the record as deleted; otherwise the change is an update. */
  action?: "deleted";
}

/**
 * What one poll found, and the cursor to store: the latest change time the vendor gave (a record
 * without one never moves it, as `now` is later than the list was read). `unread`: the changes
 * between these two times were more than one poll reads, or older than the vendor keeps, and it
 * moved on without them (alerted, for a backfill).
 */
export interface PollPage {
  changes: PolledChange[];
  cursor: string | null;
  unread?: { from: string; to: string };
}

/**
 * A vendor's backup poller for one resource: the records changed since `cursor` (an ISO time,
 * exclusive), and the cursor to store once they are enqueued. Bounded per call.
 */
export interface Poller {
  resource: string;
  /**
   * The link kind of this resource's records (`deal`, `transaction`), for an hourly rescan: the
   * last hour is read again, already announced or not, and every record the hub has not linked
   * is announced again. A deal whose notice was lost never reached the hub, so it has no golden
   * record through which anything else would notice it; records already linked cost nothing.
   */
  rescanUnlinked?: "deal" | "transaction";
  poll(cursor: string | null, now: number): Promise<Result<PollPage>>;
}

/** A cursor (an ISO time) moved back by `ms`, written as the vendor wrote it: with or without milliseconds, `Z` or `+00:00`. */
export function rewindCursor(cursor: string, ms: number): string | null {
  const t = Date.parse(cursor);
  if (Number.isNaN(t)) return null;
  const iso = new Date(t - ms).toISOString();
  const body = /\.\d+/.test(cursor) ? iso.slice(0, 23) : iso.slice(0, 19);
  return /[+-]\d{2}:\d{2}$/.test(cursor) ? `${body}+00:00` : `${body}Z`;
}

/**
 * The later of two cursors, compared as instants (vendors write offsets, milliseconds or no zone
 * at all, which workerd reads as UTC): a rescan reads back but never moves its cursor back, and
 * a poller keeps the newest change it saw. One that does not parse loses to one that does.
 */
export function laterCursor(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Number.isNaN(Date.parse(a)) || Date.parse(b) > Date.parse(a) ? b : a;
}
