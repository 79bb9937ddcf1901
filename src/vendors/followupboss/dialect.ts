import type { VendorDialect } from "../shared/transport";

/**
 * Follow Up Boss reports a sliding 10-second window per context: X-RateLimit-Limit, -Remaining,
 * -Window (seconds), -Context. With nothing left, wait a whole window. Errors carry `errorMessage`.
 */
export const followUpBossDialect: VendorDialect = {
  vendor: "followupboss",
  // Each endpoint belongs to one context: POST /v1/events (leads) and GET /v1/events are metered
  // apart from everything else ("global").
  context(req) {
    if (req.path === "/v1/events") return req.method === "POST" ? "POST.events" : "events";
    return "default";
  },
  limits(headers) {
    const remaining = headers.get("x-ratelimit-remaining");
    const windowS = Number(headers.get("x-ratelimit-window") ?? "10");
    return remaining === null ? {} : { remaining: Number(remaining), resetMs: (Number.isFinite(windowS) ? windowS : 10) * 1000 };
  },
  errorMessage(body, status) {
    if (body && typeof body === "object" && "errorMessage" in body) return String(body.errorMessage);
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
