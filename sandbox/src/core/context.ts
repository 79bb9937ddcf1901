/**
 * What every simulated vendor gets per request (`c.env.vs` in its Hono app) and what it must
 * provide to be mounted.
 */
import type { Hono } from "hono";
import type { Rng } from "../lib/prng";
import type { Settings } from "../state/settings";
import type { Store } from "../state/store";
import type { Counters } from "./counters";
import type { QueueResult, WebhookInput } from "./outbox";
import type { SlidingLimiter } from "./rate-limit";

/** Every vendor (and emitter) the sandbox simulates; one Durable Object each. */
export const VENDOR_NAMES = ["followupboss", "dotloop", "skyslope", "quickbooks", "liondesk", "reso", "leads", "docusign"] as const;

export type VendorName = (typeof VENDOR_NAMES)[number];

export function isVendorName(s: string): s is VendorName {
  return (VENDOR_NAMES as readonly string[]).includes(s);
}

/** The per-request view of a vendor's state. */
export interface VendorCtx {
  readonly vendor: VendorName;
  readonly env: SandboxEnv;
  readonly store: Store;
  readonly settings: Settings;
  readonly rng: Rng;
  readonly limiter: SlidingLimiter;
  readonly counters: Counters;
  /** Scheme + host the request came to, for links and webhook URIs. */
  readonly origin: string;
  /** The vendor's clock (real time plus the `clockOffsetMs` setting). */
  now(): number;
  /** Queues a webhook (drop / duplicate / out-of-order faults apply). */
  emit(input: WebhookInput): QueueResult;
}

/** Hono bindings of a vendor app: the context travels as `c.env.vs`. */
export interface VendorBindings {
  vs: VendorCtx;
}

export type VendorEnv = { Bindings: VendorBindings };

/** The error response a vendor gives for an injected fault or a limit. */
export interface ErrorShape {
  body: unknown;
  headers?: Record<string, string>;
}

/** A simulated vendor: its routes, its error format, its initial data. */
export interface VendorDef {
  name: VendorName;
  /** Hono app whose routes carry the vendor prefix (e.g. `/followupboss/v1/people`). */
  app: Hono<VendorEnv>;
  /** The rate-limit context a request belongs to (used for counters and injected 429s). */
  contextOf(req: Request): string;
  /** The vendor's body for an error status (injected faults, 429 storms, timeouts). */
  errorBody(status: number, message: string, vs: VendorCtx): ErrorShape;
  /** Seconds a 429 storm asks clients to wait. */
  retryAfterSeconds?: number;
  /** Whether request-level faults apply to this path (control/emitter paths are exempt). */
  faultable?(req: Request): boolean;
  /** Creates the vendor's starting data after a reset. */
  seed(vs: VendorCtx): void;
  /** Called when an endpoint answers 410 (or 406 for FUB): the vendor disables it. */
  onGone?(vs: VendorCtx, ref: string): void;
}
