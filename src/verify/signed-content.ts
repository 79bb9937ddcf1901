/** Builds the exact bytes a scheme signs from its template and the raw body. */
import { BoundedCache } from "../lib/bounded-cache";
import { concatBytes, toBase64, utf8 } from "../lib/bytes";

/** The values a template may refer to; timestamp and id are the header text as received. */
export interface ContentParts {
  body: Uint8Array;
  timestamp?: string;
  id?: string;
}

type Placeholder = "body" | "body_base64" | "timestamp" | "id";
/** A template split into its literal text and the placeholders between (`{ literal }` apart). */
type Segment = { literal: string } | Placeholder;

const PLACEHOLDER = /\{(body|body_base64|timestamp|id)\}/g;

// A source's template is fixed by its scheme, and every delivery fills it: it is split once per
// isolate, bounded like the HMAC keys as templates come from configuration.
const templates = new BoundedCache<readonly Segment[]>(64);

function split(template: string): readonly Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) segments.push({ literal: template.slice(last, m.index) });
    segments.push(m[1] as Placeholder);
    last = m.index + m[0].length;
  }
  if (last < template.length) segments.push({ literal: template.slice(last) });
  return segments;
}

/**
 * Fills the template. The body goes in as raw bytes (never decoded and re-encoded, which would
 * change non-UTF-8 payloads); the text around it is UTF-8, each run of it encoded in one go.
 * Returns null if a part is missing.
 */
export function signedContent(template: string, parts: ContentParts): Uint8Array | null {
  const segments = templates.get(template, () => split(template));
  // The common template "{body}" needs no copy.
  if (segments.length === 1 && segments[0] === "body") return parts.body;
  const chunks: Uint8Array[] = [];
  let text = "";
  for (const s of segments) {
    if (s === "body") {
      if (text) chunks.push(utf8(text));
      text = "";
      chunks.push(parts.body);
      continue;
    }
    const value = typeof s === "string" ? textPart(s, parts) : s.literal;
    if (value === null) return null;
    text += value;
  }
  if (text) chunks.push(utf8(text));
  return concatBytes(chunks);
}

function textPart(name: Exclude<Placeholder, "body">, parts: ContentParts): string | null {
  switch (name) {
    case "body_base64":
      return toBase64(parts.body);
    case "timestamp":
      return parts.timestamp ?? null;
    case "id":
      return parts.id ?? null;
  }
}
