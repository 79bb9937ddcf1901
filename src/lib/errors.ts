/**
 * The closed catalogue of error codes the hub speaks, each with its HTTP status and title.
 * Every 4xx/5xx the hub sends is a problem document (RFC 9457) built from this table.
 */
export const ERROR_CATALOGUE = {
  not_found: { status: 404, title: "Not found" },
  source_unknown: { status: 404, title: "Unknown webhook source" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  signature_missing: { status: 401, title: "Signature missing" },
  signature_invalid: { status: 401, title: "Signature invalid" },
  timestamp_stale: { status: 401, title: "Timestamp outside tolerance" },
  timestamp_invalid: { status: 401, title: "Timestamp invalid" },
  unauthorized: { status: 401, title: "Unauthorized" },
  access_required: { status: 401, title: "Cloudflare Access identity required" },
  session_expired: { status: 401, title: "Session expired" },
  session_revoked: { status: 401, title: "Session revoked" },
  forbidden: { status: 403, title: "Forbidden" },
  malformed_json: { status: 400, title: "Malformed JSON" },
  envelope_invalid: { status: 400, title: "Envelope invalid" },
  validation_failed: { status: 422, title: "Validation failed" },
  bad_request: { status: 400, title: "Bad request" },
  conflict: { status: 409, title: "Conflict" },
  rate_limited: { status: 429, title: "Too many requests" },
  secret_missing: { status: 500, title: "Webhook secret not configured" },
  config_invalid: { status: 500, title: "Configuration invalid" },
  queue_unavailable: { status: 503, title: "Queue unavailable" },
  ops_token_weak: { status: 503, title: "Ops token too weak for a public host" },
  upstream_unavailable: { status: 502, title: "Upstream unavailable" },
  internal: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** A problem document: the one JSON shape of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId?: string;
  errors?: ReadonlyArray<{ path: string; message: string }>;
}

/** An expected failure with a catalogue code; thrown from handlers and rendered by `onError`. */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: ReadonlyArray<{ path: string; message: string }>,
    /** A status other than the catalogue's, for a caller whose sender reads statuses its own way. */
    readonly statusOverride?: number,
  ) {
    super(message);
  }

  get status(): number {
    return this.statusOverride ?? ERROR_CATALOGUE[this.code].status;
  }

  toProblem(requestId?: string): Problem {
    return { ...problem(this.code, this.message, requestId, this.errors), status: this.status };
  }
}

export function problem(
  code: ErrorCode,
  detail: string,
  requestId?: string,
  errors?: ReadonlyArray<{ path: string; message: string }>,
): Problem {
  const { status, title } = ERROR_CATALOGUE[code];
  return {
    type: `https://dealwire.dev/problems/${code.replaceAll("_", "-")}`,
    title,
    status,
    code,
    detail,
    ...(requestId ? { requestId } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemResponse(p: Problem): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json" },
  });
}
