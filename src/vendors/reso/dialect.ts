import type { VendorDialect } from "../shared/transport";

/**
 * RESO Web API servers answer errors as OData error bodies (`{"error":{"code","message"}}`) and
 * publish no standard rate-limit headers; a 429 with Retry-After pauses the connection's gate.
 */
export const resoDialect: VendorDialect = {
  vendor: "reso",
  limits() {
    return {};
  },
  errorMessage(body, status) {
    const err = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
    if (err && typeof err === "object") {
      const { code, message } = err as { code?: unknown; message?: unknown };
      const text = [code, message].filter((v) => typeof v === "string" && v).join(": ");
      if (text) return text.slice(0, 300);
    }
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};
