/**
 * How long one vendor call may hold a consumer, as bounds the configuration cannot exceed: a
 * connection's `timeoutMs` (the fetch's own abort) and `maxWaitMs` (the longest wait for a rate
 * permit before the message goes back to its queue). They keep one stuck call from holding a
 * consumer (and the event's claim, which its holder renews while it waits) for longer.
 */
export const MAX_VENDOR_TIMEOUT_MS = 120_000;
export const MAX_PERMIT_WAIT_MS = 30_000;

/** The longest one call can take: the permit wait, then the request until its timeout aborts it. */
export const MAX_VENDOR_CALL_MS = MAX_PERMIT_WAIT_MS + MAX_VENDOR_TIMEOUT_MS;
