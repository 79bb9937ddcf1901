import type { SourceName } from "../../canonical/primitives";
import { ERROR_CATALOGUE, type ErrorCode } from "../../lib/errors";

/**
 * How each webhook source is answered when the hub refuses a delivery. The problem document and
 * its code stay the hub's own; only the HTTP status follows what the sender's vendor publishes,
 * because the sender, not a person, reads it and decides what to retry.
 *
 * QuickBooks: Intuit's CloudEvents migration guide says not to answer 400 (its gateway marks the
 * whole batch failed and retries every event in it), and Intuit's sample listener answers 403 to
 * a bad signature. So authentication faults are 403 and unreadable bodies 422: still refused,
 * still nothing changes, never the status Intuit singles out. Every other source publishes no
 * guidance beyond "a 2xx is an acknowledgement" (Follow Up Boss, Dotloop, DocuSign Connect) or
 * follows Standard Webhooks (lead sources): the catalogue's own statuses.
 */
const OVERRIDES: Partial<Record<SourceName, Partial<Record<ErrorCode, number>>>> = {
  quickbooks: {
    signature_missing: 403,
    signature_invalid: 403,
    timestamp_stale: 403,
    timestamp_invalid: 403,
    malformed_json: 422,
    envelope_invalid: 422,
    bad_request: 422,
  },
};

/** The HTTP status a refusal with `code` gets when the delivery came in as `source`. */
export function refusalStatus(source: SourceName, code: ErrorCode): number {
  return OVERRIDES[source]?.[code] ?? ERROR_CATALOGUE[code].status;
}
