/**
 * The closed catalogue of failure codes a queue message can end with, each with its retry
 * policy: `never` dead-letters at once, `always` retries on the ladder, `by_status` follows the
 * vendor's HTTP status (429, 408 and 5xx retry; other 4xx do not). Vendor failures carry the
 * vendor and the HTTP status beside the code; `failureLabel` renders them as operators read them
 * in dead letters, attempts and alerts (`followupboss_503`), so those stay as they were.
 */
export const FAILURE_CATALOGUE = {
  // Vendor answers and transport.
  vendor_http: { retry: "by_status", title: "The vendor answered with an error status" },
  vendor_unauthorized: { retry: "always", title: "The vendor refused the credential even after renewing it" },
  vendor_timeout: { retry: "always", title: "The vendor did not answer in time" },
  vendor_network: { retry: "always", title: "The vendor could not be reached" },
  vendor_unexpected_response: { retry: "never", title: "The vendor's answer is not the shape it documents" },
  rate_limited_local: { retry: "always", title: "The hub's own rate budget for the vendor is spent" },
  // Credentials and configuration.
  credentials_missing: { retry: "never", title: "The connection has no credentials configured" },
  credential_busy: { retry: "always", title: "Another caller is renewing the credential" },
  credential_unreadable: { retry: "never", title: "The stored credential cannot be read" },
  not_connected: { retry: "never", title: "The vendor is not connected" },
  config_invalid: { retry: "never", title: "The connection's configuration is invalid" },
  connection_unknown: { retry: "never", title: "No such connection is configured" },
  realm_missing: { retry: "never", title: "QuickBooks did not name the company" },
  realm_mismatch: { retry: "never", title: "QuickBooks authorized another company than configured" },
  // Messages and events.
  message_invalid: { retry: "never", title: "The queue message is not valid" },
  queue_invalid: { retry: "never", title: "The message arrived on a queue that does not take it" },
  event_incomplete: { retry: "never", title: "The event lacks what the action needs" },
  spool_missing: { retry: "always", title: "The spooled body is not readable yet" },
  in_progress: { retry: "always", title: "The action is being applied by another worker" },
  // Records.
  deal_not_linked: { retry: "never", title: "The deal has no record in the target system" },
  deal_changed_concurrently: { retry: "always", title: "The golden deal kept changing while it was synced" },
  person_changed_concurrently: { retry: "always", title: "The golden person kept changing while it was synced" },
  golden_record_corrupt: { retry: "never", title: "The stored golden record does not parse" },
  applied_result_corrupt: { retry: "never", title: "The stored result of an applied action does not parse" },
  transaction_incomplete: { retry: "never", title: "The deal lacks data the transaction needs" },
  transaction_unlinked: { retry: "never", title: "The created transaction could not be linked" },
  transaction_unreadable: { retry: "never", title: "The TMS does not find the transaction a deal is linked to" },
  commission_missing: { retry: "never", title: "The closed deal has no commission to invoice" },
  stage_unmapped: { retry: "never", title: "No CRM stage maps to the deal's stage" },
  stage_missing: { retry: "never", title: "The CRM has no stage of that name" },
  // Vendor-specific refusals.
  invalid_request_id: { retry: "never", title: "The QuickBooks request id is not valid" },
  quickbooks_field_missing: { retry: "never", title: "QuickBooks has no sales-form custom field of that name" },
  dotloop_no_profile: { retry: "never", title: "The Dotloop grant has no profile to hold loops" },
  dotloop_unmappable: { retry: "never", title: "The Dotloop loop does not map to a transaction" },
  skyslope_agent_unknown: { retry: "never", title: "SkySlope has no user with the agent's email" },
  skyslope_checklist_unknown: { retry: "never", title: "SkySlope has no checklist type to use" },
  skyslope_unmappable: { retry: "never", title: "The SkySlope sale does not map to a transaction" },
  mls_not_configured: { retry: "never", title: "An MLS event arrived but no mls connection is configured" },
  reso_next_link_foreign: { retry: "never", title: "The MLS's next-page link leaves its own base URL" },
  backfill_unconfigured: { retry: "never", title: "No connection is configured for the backfill phase" },
  backfill_unknown: { retry: "never", title: "No such backfill run" },
  backfill_busy: { retry: "always", title: "Another copy is working on this backfill page" },
  liondesk_no_deals: { retry: "never", title: "LionDesk has no deals" },
  enrichment_unexpected_response: { retry: "never", title: "The enrichment provider's answer is not valid" },
  enrichment_not_found: { retry: "never", title: "The enrichment provider knows nothing of it" },
  // Anything not classified: a bug or an outage, retried and never dropped.
  internal: { retry: "always", title: "An unclassified error" },
} as const satisfies Record<string, { retry: "never" | "always" | "by_status"; title: string }>;

export type FailureCode = keyof typeof FAILURE_CATALOGUE;
type CodesWith<P> = { [C in FailureCode]: (typeof FAILURE_CATALOGUE)[C]["retry"] extends P ? C : never }[FailureCode];
/** Codes that never retry. */
export type PermanentCode = CodesWith<"never">;
/** Codes that always retry. */
export type TransientCode = CodesWith<"always">;

/**
 * A failure as operators read it: the vendor and status for an HTTP status (`dotloop_422`), the
 * vendor for its other failures (`skyslope_timeout`), else the code.
 */
export function failureLabel(f: { code: FailureCode; vendor?: string | undefined; status?: number | undefined }): string {
  if (!f.vendor) return f.code;
  if ((f.code === "vendor_http" || f.code === "vendor_unauthorized") && f.status !== undefined) return `${f.vendor}_${f.status}`;
  if (f.code === "vendor_timeout" || f.code === "vendor_network" || f.code === "vendor_unexpected_response")
    return `${f.vendor}_${f.code.slice("vendor_".length)}`;
  return f.code;
}

/** Whether a vendor's HTTP status is worth retrying: 429, 408 and 5xx are; other statuses are not. */
export function statusRetryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
