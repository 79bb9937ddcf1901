import type { VendorDialect } from "../shared/transport";

function finite(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** The longest pause a reset header may ask for; Dotloop's windows are a minute or so. */
export const MAX_RESET_MS = 3_600_000;

/**
 * Milliseconds until the window resets, from `X-RateLimit-Reset`. Dotloop sends a duration in
 * milliseconds; a value that looks like an epoch instead (seconds after 2001, or milliseconds) is
 * read as that instant, and the result is capped at MAX_RESET_MS, so a surprising header pauses a
 * connection briefly rather than for decades.
 */
export function resetDelayMs(value: number, now = Date.now()): number {
  const ms = value >= 1e12 ? value - now : value >= 1e9 ? value * 1000 - now : value;
  return Math.min(MAX_RESET_MS, Math.max(0, ms));
}

/**
 * Dotloop sends `X-RateLimit-Limit`, `-Remaining` and `-Reset` (see `resetDelayMs`): with nothing
 * remaining the gate pauses until the reset. The error body is undocumented; the API gateway
 * answers `{status, error, message}` and OAuth errors `{error, error_description}`.
 */
export const dotloopDialect: VendorDialect = {
  vendor: "dotloop",
  limits(headers) {
    const remaining = finite(headers.get("x-ratelimit-remaining"));
    const resetMs = finite(headers.get("x-ratelimit-reset"));
    if (remaining === undefined) return {};
    return { remaining, ...(resetMs !== undefined && resetMs >= 0 ? { resetMs: resetDelayMs(resetMs) } : {}) };
  },
  errorMessage(body, status) {
    if (body && typeof body === "object") {
      const o = body as Record<string, unknown>;
      for (const key of ["message", "error_description", "error"]) {
        if (typeof o[key] === "string" && o[key]) return o[key];
      }
    }
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
