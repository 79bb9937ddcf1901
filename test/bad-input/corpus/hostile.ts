// Read as text and parsed here: Vite's JSON import cannot carry lone surrogates.
import raw from "../../fixtures/bad-input/hostile-strings.json?raw";

const fixture = JSON.parse(raw) as { sql: string[]; script: string[]; unicode: string[] };

/** SQL injection strings (none may ever reach SQL as code). */
export const SQL_STRINGS: readonly string[] = fixture.sql;
/** Script / template / path injection strings (stored as data, never interpreted). */
export const SCRIPT_STRINGS: readonly string[] = fixture.script;
/** Unicode tricks: BOM, RTL override, zero-width, NUL, lone surrogates, control characters. */
export const UNICODE_STRINGS: readonly string[] = fixture.unicode;
/** Every hostile string, in fixture order. */
export const HOSTILE_STRINGS: readonly string[] = [...SQL_STRINGS, ...SCRIPT_STRINGS, ...UNICODE_STRINGS];

/**
 * Whether a string can be sent as an HTTP header value at all (a ByteString without CR, LF or
 * NUL, and without the leading/trailing whitespace Headers would strip). Others are sent
 * percent-encoded instead, which is how a client would have to send them.
 */
export function headerSafe(s: string): boolean {
  return /^[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/.test(s);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with lone surrogates (which no UTF-8 encoder can write) made visible as `\uXXXX`. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** The string as a header value: itself when it can be one, else percent-encoded. */
export function asHeaderValue(s: string): string {
  return headerSafe(s) ? s : encodeURIComponent(wellFormed(s));
}

/** The string as one path segment, percent-encoded as a browser would send it. */
export function asPathSegment(s: string): string {
  return encodeURIComponent(wellFormed(s));
}
