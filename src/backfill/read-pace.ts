/** A backfill reader's patience with its connection's rate gate (pure, so its rule is tested alone). */
import type { ConnectionConfig } from "../config/brokerage";
import { MAX_PERMIT_WAIT_MS } from "../lib/call-bounds";

const READ_PERMIT_WAIT_MAX_MS = 60_000;

/**
 * How long a reader waits for a permit before giving its message back: up to one whole window of
 * its connection's longest limit (never less than a consumer may wait, never more than a minute,
 * so a page's calls stay well inside its lease). A reader holds no one's claim but its own lease.
 * Spent at the gate's pace, a window refills within one window: the gate grants half a window's
 * share at once and spaces the rest, so once it is full the next slot comes when that first half
 * ages out, about half a window later (31 s of Dotloop's minute). A page given back instead wastes
 * every call it had made and leaves the budget idle until its message returns.
 */
export function readPermitWaitMs(limits: ConnectionConfig["limits"]): number {
  const windows = [limits, ...Object.values(limits.contexts)].flatMap((l) => l?.windows ?? []);
  const longest = Math.max(0, ...windows.map((w) => w.windowMs));
  return Math.min(READ_PERMIT_WAIT_MAX_MS, Math.max(MAX_PERMIT_WAIT_MS, longest));
}
