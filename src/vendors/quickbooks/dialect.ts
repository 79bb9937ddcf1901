import type { Failure } from "../../lib/result";
import type { VendorDialect } from "../shared/transport";

/** QuickBooks asks for a minute's pause after a 429 and sends no Retry-After or limit headers. */
const THROTTLE_PAUSE_MS = 60_000;

function record(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A string field read case-insensitively (`Message` or `message`). */
function text(o: Record<string, unknown> | null, key: string): string | undefined {
  const v = o?.[key] ?? o?.[key.toLowerCase()];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * QuickBooks Online documents no rate-limit headers (500/min and 10/s per realm are enforced
 * silently), so the gate's own windows do the work. Errors are `{"Fault":{"Error":[{Message,
 * Detail, code}], type}}`; authentication and authorization faults come in lower case
 * (`fault.error[].message/detail`), and Intuit's gateway answers `{code, type, message, detail}`.
 */
export const quickBooksDialect: VendorDialect = {
  vendor: "quickbooks",
  limits(_headers, status) {
    return status === 429 ? { retryAfterMs: THROTTLE_PAUSE_MS } : {};
  },
  errorMessage(body, status) {
    const o = record(body);
    const fault = record(o?.Fault ?? o?.fault);
    const errors = fault?.Error ?? fault?.error;
    const first = Array.isArray(errors) ? record(errors[0]) : fault ? null : o;
    if (first) {
      const said = [text(first, "Message"), text(first, "Detail")].filter(Boolean).join(": ");
      const code = typeof first.code === "string" || typeof first.code === "number" ? ` (code ${first.code})` : "";
      if (said) return `${said}${code}`;
    }
    if (typeof o?.error === "string") return o.error;
    return typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`;
  },
};

/**
 * Whether QuickBooks refused a name that another customer, vendor or employee holds (Duplicate
 * Name Exists, 6240): read from the `(code …)` that `errorMessage` above writes.
 */
export const nameHeld = (f: Failure): boolean => /\(code 6240\)/.test(f.message);
