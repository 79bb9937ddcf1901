import type { VendorDialect } from "../shared/transport";

function finite(text: string | null): number | undefined {
  if (text === null || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Dotloop sends `X-RateLimit-Limit`, `-Remaining` and `-Reset`, the last in milliseconds until
 * the window resets: with nothing remaining the gate pauses exactly that long. The error body is
 * undocumented; the API gateway answers `{status, error, message}` and OAuth errors
 * `{error, error_description}`.
 */
export const dotloopDialect: VendorDialect = {
  vendor: "dotloop",
  limits(headers) {
    const remaining = finite(headers.get("x-ratelimit-remaining"));
    const resetMs = finite(headers.get("x-ratelimit-reset"));
    if (remaining === undefined) return {};
    return { remaining, ...(resetMs !== undefined && resetMs >= 0 ? { resetMs } : {}) };
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
