/** Case-insensitive access to request headers given as `Headers` or a plain record. */

export type HeaderInput = Headers | Readonly<Record<string, string>>;

/** Header values by lower-cased name, and every header (names lower-cased). */
export interface HeaderMap {
  get(name: string): string | undefined;
  entries(): Iterable<[string, string]>;
}

/**
 * `Headers` are read in place (their lookups ignore case already); copying every header of every
 * delivery into a map would cost each verification more than its few lookups.
 */
export function headerMap(input: HeaderInput): HeaderMap {
  if (input instanceof Headers) return { get: (name) => input.get(name) ?? undefined, entries: () => input.entries() };
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(input)) out.set(name.toLowerCase(), value);
  return out;
}

/** Names as configured: one, or several accepted alike. */
export type HeaderNames = string | readonly string[];

export function namesOf(names: HeaderNames): readonly string[] {
  return typeof names === "string" ? [names] : names;
}

/** The value of the first listed header that is present. */
export function firstHeader(headers: HeaderMap, names: HeaderNames): string | undefined {
  for (const name of namesOf(names)) {
    const value = headers.get(name.toLowerCase());
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Every present header among the names, in order; a `{n}` in a name matches any positive
 * integer, so `X-DocuSign-Signature-{n}` finds `-1`, `-2`, ... (in numeric order).
 */
export function allHeaders(headers: HeaderMap, names: HeaderNames): string[] {
  const out: string[] = [];
  for (const name of namesOf(names)) {
    const lower = name.toLowerCase();
    if (!lower.includes("{n}")) {
      const value = headers.get(lower);
      if (value !== undefined) out.push(value);
      continue;
    }
    const pattern = new RegExp(`^${lower.split("{n}").map(escapeRegExp).join("([1-9][0-9]{0,3})")}$`);
    const numbered: Array<[number, string]> = [];
    for (const [key, value] of headers.entries()) {
      const m = pattern.exec(key);
      if (m) numbered.push([Number(m[1]), value]);
    }
    numbered.sort((a, b) => a[0] - b[0]);
    out.push(...numbered.map(([, value]) => value));
  }
  return out;
}

/** The name the signer writes: the first listed, with `{n}` numbered from 1. */
export function headerNameFor(names: HeaderNames, n: number): string {
  const first = namesOf(names)[0] ?? "";
  return first.replaceAll("{n}", String(n));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
