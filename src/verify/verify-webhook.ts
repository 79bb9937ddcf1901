/** Verifies one webhook delivery on its raw bytes, for any configured scheme. */
import { bodyBytes, secretList } from "./delivery-input";
import type { Secrets } from "./delivery-input";
import { decodeSignature, digestsEqual, hmac, hmacKeyFor } from "./digest";
import { allHeaders, firstHeader, headerMap, namesOf } from "./header-reader";
import type { HeaderInput, HeaderMap, HeaderNames } from "./header-reader";
import { resolveScheme } from "./presets";
import { fail } from "./result";
import type { VerifyResult } from "./result";
import type { HmacScheme, SchemeConfig } from "./scheme-config";
import { parseSignatureHeaders } from "./signature-header";
import { signedContent } from "./signed-content";
import { parseTimestamp, withinTolerance } from "./timestamp";

/** Default replay window: the Standard Webhooks reference tolerance, 5 minutes each way. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyInput {
  scheme: SchemeConfig;
  /** Several secrets = key rotation (or DocuSign's several keys): one matching is enough. */
  secret: Secrets;
  /** Header names are matched case-insensitively. */
  headers: HeaderInput;
  /** The body exactly as received; never a re-serialised parse. */
  body: string | Uint8Array;
  /** The current time in Unix seconds (not milliseconds). */
  now: number;
  toleranceSeconds?: number;
}

/**
 * Checks a delivery's signature(s) in constant time against every secret, then its timestamp
 * against the window (only a signed timestamp has one). Malformed input is reported before any HMAC is computed; an authentic but
 * old delivery is reported as `timestamp_stale` (checked after the signature, as Stripe does, so
 * the code is only ever given to a genuine sender's replay).
 */
export async function verifyWebhook(input: VerifyInput): Promise<VerifyResult> {
  const secrets = secretList(input.secret);
  if (secrets.length === 0) return fail("secret_missing", "No webhook secret is configured for this source.");
  const scheme = resolveScheme(input.scheme);
  const headers = headerMap(input.headers);

  const values = allHeaders(headers, scheme.header);
  if (values.length === 0) return fail("signature_missing", `Missing header ${label(scheme.header)}.`);
  const parsed = parseSignatureHeaders(values, scheme);

  const template = scheme.signedContent ?? "{body}";
  // Only what the signature covers is read: an unsigned id or timestamp can be rewritten by anyone
  // holding a captured delivery, so it can neither key idempotency nor bound a replay window.
  const signsId = template.includes("{id}");
  const id = signsId && scheme.idHeader !== undefined ? nonEmpty(firstHeader(headers, scheme.idHeader)) : undefined;
  if (signsId && id === undefined) {
    return fail("signature_missing", `Missing header ${label(scheme.idHeader ?? [])}.`);
  }

  const ts = template.includes("{timestamp}") ? readTimestamp(scheme, headers, parsed.timestamp) : undefined;
  if (ts !== undefined && "error" in ts) return fail("timestamp_invalid", ts.error);
  if (parsed.signatures.length === 0) {
    return fail("signature_invalid", `Header ${label(scheme.header)} carries no usable signature.`);
  }

  const content = signedContent(template, { body: bodyBytes(input.body), timestamp: ts?.text, id });
  if (content === null) return fail("signature_invalid", "The signed content could not be built.");
  if (!(await anyMatch(scheme, secrets, content, parsed.signatures))) {
    return fail("signature_invalid", "No signature matches the body and a configured secret.");
  }

  if (ts !== undefined) {
    const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    if (!withinTolerance(ts.seconds, input.now, tolerance)) {
      return fail("timestamp_stale", `Timestamp ${ts.seconds} is more than ${tolerance} s from now (${input.now}).`);
    }
  }
  return { ok: true, ...(id !== undefined ? { id } : {}), ...(ts !== undefined ? { timestamp: ts.seconds } : {}) };
}

type Timestamp = { text: string; seconds: number } | { error: string };

// A scheme that signs a timestamp requires it: dropping the header must not skip the window.
function readTimestamp(scheme: HmacScheme, headers: HeaderMap, fromList: string | undefined): Timestamp | undefined {
  const key = scheme.list?.timestampKey;
  const header = scheme.timestampHeader;
  if (key === undefined && header === undefined) return undefined;
  const text = key !== undefined ? fromList : header !== undefined ? firstHeader(headers, header) : undefined;
  const where = () => (key !== undefined ? `entry "${key}" of ${label(scheme.header)}` : label(header ?? []));
  if (text === undefined || text === "") return { error: `Missing timestamp (${where()}).` };
  const seconds = parseTimestamp(text, scheme.timestampUnit ?? "s");
  return seconds === null ? { error: `Timestamp in ${where()} is not an integer.` } : { text, seconds };
}

async function anyMatch(
  scheme: HmacScheme,
  secrets: readonly string[],
  content: Uint8Array,
  signatures: readonly string[],
): Promise<boolean> {
  const candidates = signatures.map((s) => decodeSignature(s, scheme.encoding)).filter((c): c is Uint8Array => c !== null);
  if (candidates.length === 0) return false;
  let matched = false;
  for (const secret of secrets) {
    const key = await hmacKeyFor(secret, scheme.secretEncoding, scheme.algorithm);
    // No early exit: every candidate is checked against every secret, against one digest of the
    // content, so a stranger's header of hundreds of candidates costs one HMAC per secret.
    const digest = await hmac(key, content);
    for (const candidate of candidates) matched = digestsEqual(digest, candidate) || matched;
  }
  return matched;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : s;
}

function label(names: HeaderNames): string {
  return namesOf(names).join(" / ");
}
