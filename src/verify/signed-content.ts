/** Builds the exact bytes a scheme signs from its template and the raw body. */
import { toBase64, utf8 } from "../lib/bytes";

/** The values a template may refer to; timestamp and id are the header text as received. */
export interface ContentParts {
  body: Uint8Array;
  timestamp?: string;
  id?: string;
}

const PLACEHOLDER = /\{(body|body_base64|timestamp|id)\}/g;

/**
 * Fills the template. The body goes in as raw bytes (never decoded and re-encoded, which would
 * change non-UTF-8 payloads); the text around it is UTF-8. Returns null if a part is missing.
 */
export function signedContent(template: string, parts: ContentParts): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    chunks.push(utf8(template.slice(last, m.index)));
    const value = part(m[1], parts);
    if (value === null) return null;
    chunks.push(value);
    last = m.index + m[0].length;
  }
  chunks.push(utf8(template.slice(last)));
  return concat(chunks);
}

function part(name: string | undefined, parts: ContentParts): Uint8Array | null {
  switch (name) {
    case "body":
      return parts.body;
    case "body_base64":
      return utf8(toBase64(parts.body));
    case "timestamp":
      return parts.timestamp === undefined ? null : utf8(parts.timestamp);
    case "id":
      return parts.id === undefined ? null : utf8(parts.id);
    default:
      return null;
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  // The common template "{body}" needs no copy.
  const nonEmpty = chunks.filter((c) => c.length > 0);
  if (nonEmpty.length === 1 && nonEmpty[0] !== undefined) return nonEmpty[0];
  const out = new Uint8Array(nonEmpty.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of nonEmpty) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
