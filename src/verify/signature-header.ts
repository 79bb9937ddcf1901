/** Reading and writing the signature header(s) of a scheme: single values or entry lists. */
import type { HmacScheme } from "./scheme-config";

/** What the signature header(s) carry: candidate signatures (prefix removed) and a list timestamp. */
export interface SignatureHeader {
  signatures: string[];
  timestamp?: string;
}

/**
 * Extracts candidates from every present signature header. Values lacking the configured
 * prefix are dropped (they cannot match), as are list entries with another key (v0, v1a).
 */
export function parseSignatureHeaders(values: readonly string[], scheme: HmacScheme): SignatureHeader {
  const out: SignatureHeader = { signatures: [] };
  for (const value of values) {
    if (scheme.list === undefined) {
      addCandidate(out, value.trim(), scheme.prefix);
      continue;
    }
    const { separator, assign, signatureKey, timestampKey } = scheme.list;
    for (const raw of value.split(separator)) {
      const entry = raw.trim();
      const at = entry.indexOf(assign);
      if (at <= 0) continue;
      const key = entry.slice(0, at);
      const val = entry.slice(at + assign.length).trim();
      if (key === signatureKey) addCandidate(out, val, scheme.prefix);
      // The first timestamp wins; a repeated key must not let a sender pick a second one.
      else if (key === timestampKey && out.timestamp === undefined) out.timestamp = val;
    }
  }
  return out;
}

function addCandidate(out: SignatureHeader, value: string, prefix: string | undefined): void {
  const p = prefix ?? "";
  if (value.length > p.length && value.startsWith(p)) out.signatures.push(value.slice(p.length));
}

/** Writes one header value carrying the encoded signatures (several only for list schemes). */
export function formatSignatureHeader(scheme: HmacScheme, encoded: readonly string[], timestamp: string | undefined): string {
  const prefix = scheme.prefix ?? "";
  if (scheme.list === undefined) return `${prefix}${encoded[0] ?? ""}`;
  const { separator, assign, signatureKey, timestampKey } = scheme.list;
  const entries = encoded.map((sig) => `${signatureKey}${assign}${prefix}${sig}`);
  if (timestampKey !== undefined && timestamp !== undefined) entries.unshift(`${timestampKey}${assign}${timestamp}`);
  return entries.join(separator);
}
