import type { Result } from "../lib/result";

/** One record a poller found changed since its cursor. */
export interface PolledChange {
  resource: string; // person | deal | loop | sale | invoice ...
  id: string;
  updatedAt: string;
}

/**
 * A vendor's backup poller for one resource: the records changed since `cursor` (an ISO time,
 * exclusive), and the cursor to store once they are enqueued. Bounded per call.
 */
export interface Poller {
  resource: string;
  poll(cursor: string | null, now: number): Promise<Result<{ changes: PolledChange[]; cursor: string | null }>>;
}
