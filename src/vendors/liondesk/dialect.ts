import type { VendorDialect } from "../shared/transport";

function record(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** LionDesk documents neither rate-limit headers nor an error body; best effort on both. */
export const lionDeskDialect: VendorDialect = {
  vendor: "liondesk",
  limits() {
    return {};
  },
  errorMessage(body, status) {
    const o = record(body);
    for (const key of ["message", "error_description", "error"]) {
      const v = o?.[key];
      if (typeof v === "string" && v) return v;
    }
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
