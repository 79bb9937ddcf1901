/**
 * FUB authentication and rate limiting, run before every route: Basic auth with the API key,
 * optional X-System / X-System-Key identification (a wrong key is a 401, no key means lower
 * limits), and the sliding 10-second window per context with its X-RateLimit-* headers.
 */
import { createMiddleware } from "hono/factory";
import type { VendorCtx, VendorEnv } from "../core/context";
import { breaks, limitFor } from "../state/settings";
import { basicAuth, json } from "../lib/http";
import { safeEqual } from "../lib/crypto";

const WINDOW_SECONDS = 10;

/** The rate-limit context of a request. */
export function fubContext(req: Request): string {
  const path = new URL(req.url).pathname;
  if (path.endsWith("/v1/events")) return req.method === "POST" ? "POST.events" : "events";
  // Metered apart from the global budget, as a published probe of the live API saw them.
  if (req.method === "PUT" && /\/v1\/people\/[^/]+$/.test(path)) return "PUT.people";
  if (/\/v1\/notes(\/|$)/.test(path)) return "notes";
  return "global";
}

/** Limits by context, with and without a valid system key (null = unlimited). */
function defaultLimit(context: string, systemKey: boolean): { limit: number; windowSeconds: number } | null {
  if (context === "POST.events") return null;
  if (context === "events") return { limit: systemKey ? 20 : 10, windowSeconds: WINDOW_SECONDS };
  if (context === "PUT.people") return { limit: 25, windowSeconds: WINDOW_SECONDS };
  if (context === "notes") return { limit: 10, windowSeconds: WINDOW_SECONDS };
  return { limit: systemKey ? 250 : 125, windowSeconds: WINDOW_SECONDS };
}

/** Whether the request identified a registered system with its key. */
export function systemOf(vs: VendorCtx, req: Request): { system: string; key: string } | "invalid" | null {
  const system = req.headers.get("x-system");
  const key = req.headers.get("x-system-key");
  if (key === null || key === "") return null;
  if (system !== vs.env.FOLLOWUPBOSS_SYSTEM || !safeEqual(key, vs.env.FOLLOWUPBOSS_SYSTEM_KEY) || breaks(vs.settings, "systemKey"))
    return "invalid";
  return { system, key };
}

export const fubGuard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const creds = basicAuth(c.req.header("authorization") ?? null);
  if (creds === null || !safeEqual(creds.user, vs.env.FOLLOWUPBOSS_API_KEY) || breaks(vs.settings, "credentials")) {
    return json({ errorMessage: "Invalid API key." }, 401);
  }
  const system = systemOf(vs, c.req.raw);
  if (system === "invalid") return json({ errorMessage: "Invalid X-System-Key for the X-System given." }, 401);
  const context = fubContext(c.req.raw);
  const lim = limitFor(vs.settings, context, defaultLimit(context, system !== null), context === "global");
  const headers: Record<string, string> = {
    "X-RateLimit-Window": String(lim?.windowSeconds ?? WINDOW_SECONDS),
    "X-RateLimit-Context": context,
  };
  if (lim !== null) {
    const d = vs.limiter.hit(`fub:${context}`, lim.limit, lim.windowSeconds * 1000, vs.now());
    headers["X-RateLimit-Limit"] = String(lim.limit);
    headers["X-RateLimit-Remaining"] = String(d.remaining);
    if (!d.allowed) {
      const retry = String(Math.max(1, Math.ceil(d.resetMs / 1000)));
      return json({ errorMessage: "Too many requests. Please try again later." }, 429, { ...headers, "Retry-After": retry });
    }
  }
  await next();
  for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
});
