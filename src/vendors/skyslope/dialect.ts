import type { VendorDialect } from "../shared/transport";

function record(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * SkySlope documents no rate-limit headers (a 429 with Retry-After is all a client sees) and no
 * error body; the message is taken from the usual places, `errors[]` included.
 */
export const skySlopeDialect: VendorDialect = {
  vendor: "skyslope",
  limits() {
    return {};
  },
  errorMessage(body, status) {
    const o = record(body);
    for (const key of ["message", "Message", "error", "title"]) {
      const v = o?.[key];
      if (typeof v === "string" && v) return v;
    }
    const errors = o?.errors;
    if (Array.isArray(errors)) {
      const texts = errors.map((e) => (typeof e === "string" ? e : String(record(e)?.message ?? record(e)?.Message ?? ""))).filter(Boolean);
      if (texts.length) return texts.join("; ");
    }
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
