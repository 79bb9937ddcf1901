/** Normalising what callers pass in: one secret or several, a body as text or bytes. */
import { utf8 } from "../lib/bytes";

/** One secret, or several during key rotation (any one of them may have signed). */
export type Secrets = string | readonly string[];

/** The configured secrets without blanks (an unset variable must not become an empty key). */
export function secretList(secret: Secrets): string[] {
  return (typeof secret === "string" ? [secret] : [...secret]).filter((s) => s.length > 0);
}

/** The raw body as bytes; text is UTF-8, which is how it travelled on the wire. */
export function bodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? utf8(body) : body;
}
