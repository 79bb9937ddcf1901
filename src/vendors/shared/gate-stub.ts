import type { Gate } from "../../durable/vendor-gate";

/**
 * A connection's gate reached through a stub that is replaced when a call on it throws. A Durable
 * Object that is reset (a deploy, an exception, an eviction) breaks the stubs that reached it;
 * the renewal lease and the credential are in its storage, so a fresh stub reaching the new
 * instance carries on where the old one stopped. Without this, a refresh that finished while the
 * object was reset could not store the rotated refresh token it brought back. Each call is
 * tried again once; an overloaded object is not (retrying adds to its load).
 */
export function resilientGate(open: () => Gate): Gate {
  let stub = open();
  async function call<T>(f: (g: Gate) => Promise<T>): Promise<T> {
    const used = stub;
    try {
      return await f(used);
    } catch (err) {
      if ((err as { overloaded?: unknown } | null)?.overloaded === true) throw err;
      if (stub === used) stub = open();
      return f(stub);
    }
  }
  return {
    acquire: (limits, context, maxWaitMs, route) => call((g) => g.acquire(limits, context, maxWaitMs, route)),
    release: (obs, context, route) => call((g) => g.release(obs, context, route)),
    credential: (skewMs) => call((g) => g.credential(skewMs)),
    storeCredential: (leaseId, credential) => call((g) => g.storeCredential(leaseId, credential)),
    abandonLease: (leaseId) => call((g) => g.abandonLease(leaseId)),
    invalidate: (accessToken) => call((g) => g.invalidate(accessToken)),
    stats: () => call((g) => g.stats()),
  };
}
