import type { VendorDialect } from "../shared/transport";

/** FUB's name for the context everything not metered apart falls in; the hub's main budget. */
const FUB_MAIN_CONTEXT = "global";

/**
 * Follow Up Boss reports a sliding 10-second window per context: X-RateLimit-Limit, -Remaining,
 * -Window (seconds), -Context. With nothing left, wait a whole window. Errors carry `errorMessage`.
 * Contexts beyond the documented ones exist (a published probe saw `PUT people` at 25 and notes at
 * 10 per 10 s, apart from the global budget), so each route's context is learned from the header.
 */
export const followUpBossDialect: VendorDialect = {
  vendor: "followupboss",
  // Each endpoint belongs to one context: POST /v1/events (leads) and GET /v1/events are metered
  // apart from everything else ("global").
  context(req) {
    if (req.path === "/v1/events") return req.method === "POST" ? "POST.events" : "events";
    return "default";
  },
  route(req) {
    // Ids are not part of a route: PUT /v1/people/12 and /v1/people/13 are metered alike.
    return `${req.method} ${req.path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
  },
  limits(headers) {
    const remaining = headers.get("x-ratelimit-remaining");
    const windowS = Number(headers.get("x-ratelimit-window") ?? "10");
    const windowMs = (Number.isFinite(windowS) && windowS > 0 ? windowS : 10) * 1000;
    const reported = headers.get("x-ratelimit-context")?.trim();
    const limit = Number(headers.get("x-ratelimit-limit") ?? "NaN");
    return {
      ...(remaining !== null && Number.isFinite(Number(remaining)) ? { remaining: Number(remaining), resetMs: windowMs } : {}),
      ...(reported ? { context: reported === FUB_MAIN_CONTEXT ? "default" : reported } : {}),
      ...(Number.isInteger(limit) && limit > 0 ? { limit, windowMs } : {}),
    };
  },
  errorMessage(body, status) {
    if (body && typeof body === "object" && "errorMessage" in body) return String(body.errorMessage);
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
