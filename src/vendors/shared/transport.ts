import { parseJsonOr } from "../../lib/json";
import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate } from "../../durable/vendor-gate";
import type { Observation } from "../../durable/rate-budget";
import { fail, ok, transient, type Result } from "../../lib/result";
import { sleep } from "../../lib/sleep";
import { classifyStatus, networkFailure, retryAfterSeconds } from "./classify";

export interface VendorRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface VendorResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** How one vendor authenticates a request. `invalidate` is told when the vendor answered 401. */
export interface Authorizer {
  headers(): Promise<Result<{ headers: Record<string, string>; token?: string }>>;
  invalidate?(token: string): Promise<void>;
}

/** Vendor quirks the shared transport needs: how it reports limits and errors. */
export interface VendorDialect {
  vendor: string;
  /** The rate-limit context a request belongs to, for vendors that meter endpoints apart. */
  context?(req: VendorRequest): string;
  /**
   * For vendors that report the context they counted a request in: the request's route (method
   * and path pattern), by which the gate learns which budget the vendor charges it to.
   */
  route?(req: VendorRequest): string;
  /** Reads rate-limit headers into an observation for the gate. */
  limits(headers: Headers, status: number): Observation;
  /** The human message inside an error body (FUB errorMessage, QuickBooks Fault, ...). */
  errorMessage(body: unknown, status: number): string;
}

/** A connection ready to call: its configuration, its gate, its dialect and its authorizer. */
export interface Connection {
  config: ConnectionConfig;
  gate: Gate;
  dialect: VendorDialect;
  auth: Authorizer;
}

function buildUrl(base: string, path: string, query?: VendorRequest["query"]): string {
  const url = new URL(base.replace(/\/$/, "") + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/**
 * Waits for a permit (a reserved slot) from the connection's gate, or says when to come back.
 * The answer names the budget the gate charged (the vendor's own context for `route`, once learned)
 * and the slot it granted; an unmetered context has none.
 */
async function permit(conn: Connection, context: string, route: string | undefined): Promise<Result<{ context: string; slot?: number }>> {
  const limits = context === "default" ? conn.config.limits : conn.config.limits.contexts[context];
  if (limits === null) return ok({ context }); // an unmetered context
  const started = Date.now();
  for (;;) {
    const left = conn.config.maxWaitMs - (Date.now() - started);
    const p = await conn.gate.acquire(limits ?? conn.config.limits, context, Math.max(0, left), route);
    if (p.granted) {
      if (p.delayMs > 0) await sleep(p.delayMs);
      return ok({ context: p.context, slot: p.at });
    }
    if (p.waitMs > left) {
      return transient("rate_limited_local", `${conn.config.id} budget spent; retry later`, {
        retryAfterSeconds: Math.max(1, Math.ceil(p.waitMs / 1000)),
        vendor: conn.dialect.vendor,
        defer: true,
      });
    }
    await sleep(p.waitMs); // requests in flight at the cap: poll until one ends
  }
}

/** A response body as JSON when it parses, else as text (vendors' error pages are often HTML). */
export async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  return text ? parseJsonOr(text, text) : null;
}

/**
 * One call to a vendor through its gate: permit, authorize, fetch with a timeout, report what the
 * vendor said about limits, classify the answer. A 401 renews the credential once and retries.
 */
export async function vendorRequest<T>(conn: Connection, req: VendorRequest): Promise<Result<VendorResponse<T>>> {
  const context = conn.dialect.context?.(req) ?? "default";
  const unmetered = context !== "default" && conn.config.limits.contexts[context] === null;
  const route = unmetered ? undefined : conn.dialect.route?.(req);
  for (let attempt = 0; attempt < 2; attempt++) {
    // Credential first, permit second: a caller that waited for a token renewal must not hold a
    // permit meanwhile, or every waiter would fire at once when the token arrives.
    const auth = await conn.auth.headers();
    if (!auth.ok) return auth;
    const allowed = await permit(conn, context, route);
    if (!allowed.ok) return allowed;
    const { context: charged, slot } = allowed.value;
    const release = (obs: Observation) =>
      unmetered ? Promise.resolve() : conn.gate.release({ ...obs, ...(slot !== undefined ? { slot } : {}) }, charged, route);
    let res: Response;
    const sentAt = Date.now();
    try {
      res = await fetch(buildUrl(conn.config.baseUrl, req.path, req.query), {
        method: req.method,
        headers: {
          accept: "application/json",
          ...(req.json !== undefined ? { "content-type": "application/json" } : {}),
          ...auth.value.headers,
          ...req.headers,
        },
        ...(req.json !== undefined ? { body: JSON.stringify(req.json) } : {}),
        signal: AbortSignal.timeout(conn.config.timeoutMs),
      });
    } catch (err) {
      await release({ sentAt });
      return fail(networkFailure(conn.dialect.vendor, err));
    }
    const obs = conn.dialect.limits(res.headers, res.status);
    const retryAfter = retryAfterSeconds(res.headers.get("retry-after"));
    await release({ ...obs, status: res.status, sentAt, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}) });
    const body = await readBody(res);
    if (res.ok) return ok({ status: res.status, data: body as T, headers: res.headers });
    if (res.status === 401 && attempt === 0 && auth.value.token && conn.auth.invalidate) {
      await conn.auth.invalidate(auth.value.token);
      continue;
    }
    return fail(classifyStatus(conn.dialect.vendor, res.status, conn.dialect.errorMessage(body, res.status), retryAfter));
  }
  return transient("vendor_unauthorized", "unauthorized after renewing the credential", { vendor: conn.dialect.vendor, status: 401 });
}
