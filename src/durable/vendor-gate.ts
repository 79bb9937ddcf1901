import { DurableObject } from "cloudflare:workers";
import { keyRing, open, seal, type KeyRing, type Opened } from "../lib/crypto-box";
import { comeBackAt, decide, emptyBudget, grant, learn, settle, type BudgetState, type Limits, type Observation } from "./rate-budget";

/** An OAuth access token (or vendor session) and what is needed to renew it. */
export interface StoredCredential {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number; // ms since epoch
  meta?: Record<string, string>; // e.g. QuickBooks realmId, Dotloop profileId
}

/**
 * A permit: granted for the slot `at`, `delayMs` from now (the caller waits that long, calls, and
 * says when it sent the request on release), or refused with how long until the next slot (the
 * caller waits or goes back to its queue).
 */
export type Permit = { granted: true; delayMs: number; context: string; at: number } | { granted: false; waitMs: number };

/**
 * `renew` with `unreadable`: a credential is stored but no configured key opens it; the message
 * says why, for when the renewal cannot do without it (an OAuth refresh needs the refresh token).
 */
export type CredentialAnswer =
  | { kind: "token"; credential: StoredCredential }
  | { kind: "renew"; leaseId: string; credential: StoredCredential | null; unreadable?: string }
  | { kind: "wait"; waitMs: number };

/** What a caller needs of a gate; tests and the no-op twin implement the same surface. */
export interface Gate {
  /**
   * Takes one request's permit from the budget of `context` (vendors that meter endpoints apart):
   * the earliest free slot, reserved if it is at most `maxWaitMs` away. With a `route` (method
   * and path pattern), the budget is the context the vendor last reported for that route, when
   * it has reported one; the permit names the budget it was taken from.
   */
  acquire(limits: Limits, context?: string, maxWaitMs?: number, route?: string): Promise<Permit>;
  /**
   * Ends a request granted from `context`. What the vendor said applies to the context it named
   * (`obs.context`), never to another one, and teaches the gate that `route` belongs to it.
   */
  release(obs: Observation, context?: string, route?: string): Promise<void>;
  credential(skewMs?: number): Promise<CredentialAnswer>;
  storeCredential(leaseId: string | null, credential: StoredCredential): Promise<boolean>;
  abandonLease(leaseId: string): Promise<void>;
  invalidate(accessToken: string): Promise<void>;
  stats(): Promise<GateStats>;
}

export interface GateStats {
  granted: number;
  deferred: number;
  vendor429s: number;
  inFlight: number;
  pausedUntil: number;
  hasCredential: boolean;
}

/**
 * How long a renewal lease lasts. Longer than the longest vendor call (`timeoutMs` is capped at
 * 120 s), so a lease never runs out under a renewal still in flight: a second renewal with the
 * same refresh token would be refused by a vendor that rotates them, or would rotate it again.
 */
export const LEASE_MS = 150_000;

/** A renewal lease as kept in storage; `basis` is the credential version it renews. */
interface Lease {
  id: string;
  until: number;
  basis: number;
}

/** The version a lease id renews: ids are `<basis>.<uuid>`. */
function basisOf(leaseId: string): number {
  const n = Number(leaseId.slice(0, leaseId.indexOf(".")));
  return Number.isSafeInteger(n) ? n : -1;
}

/** Keys retired from sealing that still open what they sealed: an optional secret. */
function retiredKeys(env: Env): string {
  const v = (env as unknown as Record<string, unknown>).TOKEN_ENCRYPTION_KEYS_OLD;
  return typeof v === "string" ? v : "";
}

/** Why a stored credential cannot be read, in words an operator can act on. */
function unreadableReason(connection: string, why: Exclude<Opened, { ok: true }>): string {
  if (why.reason === "key_missing") {
    const key = why.keyId ? `key ${why.keyId}` : "a key";
    return `the credential of ${connection} was sealed with ${key}, which is neither TOKEN_ENCRYPTION_KEY nor in TOKEN_ENCRYPTION_KEYS_OLD: add that key back to TOKEN_ENCRYPTION_KEYS_OLD, or connect again`;
  }
  if (why.reason === "rejected")
    return `the stored credential of ${connection} does not open for this connection (sealed for another one, or altered): connect again`;
  return `the stored credential of ${connection} is not in a sealed format the hub reads: connect again`;
}

/**
 * A map written through to the object's storage under `prefix` and read back on first use after a
 * restart: the runtime evicts an object idle for a while (a caller waiting for a slot half a
 * minute away leaves it idle) and restarts every object on a deploy.
 */
class Kept<T> {
  private readonly memory = new Map<string, T>();

  constructor(
    private readonly storage: SyncKvStorage,
    private readonly prefix: string,
  ) {}

  get(key: string): T | undefined {
    const known = this.memory.get(key);
    if (known !== undefined) return known;
    const stored = this.storage.get<T>(`${this.prefix}:${key}`);
    if (stored === undefined) return undefined;
    this.memory.set(key, stored);
    return stored;
  }

  set(key: string, value: T): void {
    this.memory.set(key, value);
    this.storage.put(`${this.prefix}:${key}`, value);
  }

  values(): IterableIterator<T> {
    return this.memory.values();
  }
}

/**
 * One object per vendor connection (reached by name: the connection id). It spends that
 * connection's rate-limit budget and holds its access token, so every Worker invocation that
 * calls the vendor agrees on both. Renewing a token is leased to one caller at a time: Dotloop
 * invalidates the old token on refresh and Dotloop and QuickBooks rotate refresh tokens, so two
 * concurrent refreshes would lose one of them. The lease and the credential's version live in
 * storage, so a reset of the object (a deploy, an eviction) forgets neither.
 */
export class VendorGate extends DurableObject<Env> implements Gate {
  /**
   * Each context's budget, kept: a gate that forgot the calls of its window would grant the vendor
   * a second window's share inside one. The count of requests in flight is kept too: callers that
   * hold permits across a restart release them to the new instance (their stubs reconnect), and a
   * count started from zero would let a cap's worth more through meanwhile. One left by callers
   * lost with the restart frees once no call can still be running (`inFlightAt`).
   */
  private budgets = new Kept<BudgetState>(this.ctx.storage.kv, "budget");
  /** Learned from the vendor's headers, kept: the context each route is counted in, and each context's limit. */
  private routes = new Kept<string>(this.ctx.storage.kv, "route");
  private published = new Kept<{ limit: number; windowMs: number }>(this.ctx.storage.kv, "published");
  private cached: StoredCredential | null | undefined;
  /** Why the stored credential could not be opened; not cached, so a key added back opens it. */
  private unreadable: string | undefined;
  private counters = { granted: 0, deferred: 0, vendor429s: 0 };
  /**
   * Per context, when the last caller turned away was told to come back. Not kept: after a
   * restart the next callers turned away start from the earliest slot again, which only bunches.
   */
  private turnedAway = new Map<string, number>();

  private budget(context: string): BudgetState {
    return this.budgets.get(context) ?? emptyBudget();
  }

  /** A context's limits: the vendor's published ones once it has reported them, else the configured ones. */
  private limitsOf(context: string, configured: Limits): Limits {
    const p = this.published.get(context);
    return p ? { ...configured, windows: [p] } : configured;
  }

  async acquire(limits: Limits, context = "default", maxWaitMs = 0, route?: string): Promise<Permit> {
    const now = Date.now();
    const charged = (route !== undefined ? this.routes.get(route) : undefined) ?? context;
    const effective = this.limitsOf(charged, limits);
    const budget = this.budget(charged);
    const d = decide(budget, effective, now, maxWaitMs);
    if (!d.grant) {
      this.counters.deferred++;
      // At the in-flight cap the caller polls (a slot frees when a request ends); turned away by
      // a window, it goes back to its queue: spread those out (comeBackAt says why).
      if (d.atCap) return { granted: false, waitMs: d.waitMs };
      const back = comeBackAt(this.turnedAway.get(charged) ?? 0, now + d.waitMs, effective, budget.margin);
      this.turnedAway.set(charged, back);
      return { granted: false, waitMs: back - now };
    }
    this.budgets.set(charged, grant(budget, effective, d.at, now));
    this.counters.granted++;
    return { granted: true, delayMs: d.at - now, context: charged, at: d.at };
  }

  async release(obs: Observation, context = "default", route?: string): Promise<void> {
    if (obs.status === 429) this.counters.vendor429s++;
    const now = Date.now();
    const settled = settle(this.budget(context), obs);
    const reported = obs.context ?? context;
    if (obs.context !== undefined && route !== undefined && this.routes.get(route) !== obs.context) this.routes.set(route, obs.context);
    if (obs.limit !== undefined && obs.windowMs !== undefined && obs.limit > 0 && obs.windowMs > 0) {
      const before = this.published.get(reported);
      if (before?.limit !== obs.limit || before.windowMs !== obs.windowMs)
        this.published.set(reported, { limit: obs.limit, windowMs: obs.windowMs });
    }
    // One write per budget touched: the vendor's answer usually names the context that was charged.
    if (reported !== context) this.budgets.set(context, settled);
    this.budgets.set(reported, learn(reported === context ? settled : this.budget(reported), obs, now));
  }

  async credential(skewMs = 60_000): Promise<CredentialAnswer> {
    const now = Date.now();
    const current = await this.load();
    if (current && current.expiresAt - skewMs > now) return { kind: "token", credential: current };
    const lease = await this.ctx.storage.get<Lease>("lease");
    if (lease && lease.until > now) return { kind: "wait", waitMs: 100 };
    const basis = (await this.ctx.storage.get<number>("version")) ?? 0;
    const next: Lease = { id: `${basis}.${crypto.randomUUID()}`, until: now + LEASE_MS, basis };
    await this.ctx.storage.put("lease", next);
    return { kind: "renew", leaseId: next.id, credential: current, ...(this.unreadable ? { unreadable: this.unreadable } : {}) };
  }

  /**
   * Stores a renewed credential before anyone uses it. It is refused (false) when another
   * credential was stored since the lease was granted: the caller then reads and uses the stored
   * one. `leaseId: null` stores unconditionally (OAuth connect: a new grant replaces any other).
   */
  async storeCredential(leaseId: string | null, credential: StoredCredential): Promise<boolean> {
    const version = (await this.ctx.storage.get<number>("version")) ?? 0;
    const lease = await this.ctx.storage.get<Lease>("lease");
    const mine = leaseId !== null && lease?.id === leaseId;
    if (leaseId !== null && basisOf(leaseId) !== version) {
      if (mine) await this.ctx.storage.delete("lease");
      return false;
    }
    const sealed = await seal(await this.ring(), JSON.stringify(credential), this.connection());
    await this.ctx.storage.put({ credential: sealed, version: version + 1 });
    this.unreadable = undefined;
    // Another holder's lease stays until it returns: its store is then refused and it reads this one.
    if (leaseId === null || mine) await this.ctx.storage.delete("lease");
    this.cached = credential;
    return true;
  }

  async abandonLease(leaseId: string): Promise<void> {
    const lease = await this.ctx.storage.get<Lease>("lease");
    if (lease?.id === leaseId) await this.ctx.storage.delete("lease");
  }

  /** The vendor refused this token (401): the next caller renews it. The grant's version stays. */
  async invalidate(accessToken: string): Promise<void> {
    const current = await this.load();
    if (current && current.accessToken === accessToken) {
      this.cached = { ...current, expiresAt: 0 };
      await this.ctx.storage.put("credential", await seal(await this.ring(), JSON.stringify(this.cached), this.connection()));
    }
  }

  async stats(): Promise<GateStats> {
    return {
      ...this.counters,
      inFlight: [...this.budgets.values()].reduce((n, b) => n + b.inFlight, 0),
      pausedUntil: Math.max(0, ...[...this.budgets.values()].map((b) => b.pausedUntil)),
      hasCredential: (await this.load()) !== null,
    };
  }

  /** The connection this object serves (its name): the additional data its credential is sealed with. */
  private connection(): string {
    return this.ctx.id.name ?? this.ctx.id.toString();
  }

  private ring(): Promise<KeyRing> {
    return keyRing(this.env.TOKEN_ENCRYPTION_KEY, retiredKeys(this.env));
  }

  /** The stored credential, opened with whichever configured key sealed it and re-sealed under the newest. */
  private async load(): Promise<StoredCredential | null> {
    if (this.cached !== undefined) return this.cached;
    const sealed = await this.ctx.storage.get<string>("credential");
    if (!sealed) return (this.cached = null);
    const ring = await this.ring();
    const opened = await open(ring, sealed, this.connection());
    if (!opened.ok) {
      this.unreadable = unreadableReason(this.connection(), opened);
      return null;
    }
    this.unreadable = undefined;
    if (opened.stale) await this.ctx.storage.put("credential", await seal(ring, opened.plaintext, this.connection()));
    this.cached = JSON.parse(opened.plaintext) as StoredCredential;
    return this.cached;
  }
}
