/**
 * Produces the headers of a validly signed delivery for any scheme, so the sandbox and tests
 * never re-implement a vendor's signing. The inverse of verifyWebhook, built on the same parts.
 */
import { bodyBytes, secretList } from "./delivery-input";
import type { Secrets } from "./delivery-input";
import { encodeDigest, hmac, hmacKeyFor } from "./digest";
import { headerNameFor } from "./header-reader";
import { resolveScheme } from "./presets";
import type { SchemeConfig } from "./scheme-config";
import { formatSignatureHeader } from "./signature-header";
import { signedContent } from "./signed-content";

export interface SignInput {
  /** Several secrets: list schemes carry one signature per secret, `{n}` schemes one header
   * per secret; single-value schemes sign with the first. */
  secret: Secrets;
  body: string | Uint8Array;
  /** Delivery id, written to the scheme's id header (required when the scheme signs it). */
  id?: string;
  /** Written exactly as given (seconds, or milliseconds for a scheme that sends those). */
  timestamp?: number | string;
}

/** Signs a delivery; throws only on misuse (no secret, or a part the scheme signs is missing). */
export async function signWebhook(scheme: SchemeConfig, input: SignInput): Promise<Record<string, string>> {
  const spec = resolveScheme(scheme);
  const secrets = secretList(input.secret);
  if (secrets.length === 0) throw new TypeError("signWebhook: no secret given");
  const timestamp = input.timestamp === undefined ? undefined : String(input.timestamp);
  const content = signedContent(spec.signedContent ?? "{body}", { body: bodyBytes(input.body), timestamp, id: input.id });
  if (content === null) throw new TypeError("signWebhook: the scheme signs an id or timestamp that was not given");

  const encoded: string[] = [];
  for (const secret of secrets) {
    const key = await hmacKeyFor(secret, spec.secretEncoding, spec.algorithm);
    encoded.push(encodeDigest(await hmac(key, content), spec.encoding));
  }

  const headers: Record<string, string> = {};
  const numbered = typeof spec.header === "string" && spec.header.includes("{n}");
  if (numbered) {
    for (const [i, sig] of encoded.entries()) headers[headerNameFor(spec.header, i + 1)] = formatSignatureHeader(spec, [sig], timestamp);
  } else {
    headers[headerNameFor(spec.header, 1)] = formatSignatureHeader(spec, encoded, timestamp);
  }
  if (spec.timestampHeader !== undefined && timestamp !== undefined && spec.list?.timestampKey === undefined) {
    headers[headerNameFor(spec.timestampHeader, 1)] = timestamp;
  }
  if (spec.idHeader !== undefined && input.id !== undefined) headers[headerNameFor(spec.idHeader, 1)] = input.id;
  return headers;
}
