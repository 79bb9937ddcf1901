import type { ErrorCode } from "../../../src/lib/errors";

/** What the hub must answer to one corpus request. */
export type Expectation =
  /** A problem document with exactly this catalogue code (and its status). */
  | { kind: "problem"; code: ErrorCode }
  /** A problem document with one of these codes (routing tricks the URL parser may normalise). */
  | { kind: "problem-one-of"; codes: readonly ErrorCode[] }
  /** `GET /health` with junk it has no reason to read: the health document, unchanged. */
  | { kind: "health" }
  /** A browser page refused by redirect (303), e.g. to the login page; `location` is a prefix. */
  | { kind: "redirect"; location: string; exact?: boolean }
  /** A browser page refused as an HTML page with this status (the dashboard's login form). */
  | { kind: "html"; status: number };

/** A request body, or a factory for one that can be sent only once (a stream). */
export type CaseBody = string | Uint8Array | (() => ReadableStream<Uint8Array>);

/** One malformed request of the corpus. */
export interface BadCase {
  /** Unique, stable name: `<group>/<what>` (and the source, where it matters). */
  name: string;
  /** The route under test, for counting: "/hooks/:source", "/health", ... */
  route: string;
  method: string;
  /** Path and query, percent-encoded as it goes on the wire. */
  path: string;
  /** Headers in order; a name may repeat (duplicate headers). */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: CaseBody;
  expect: Expectation;
  /**
   * Set when the hub currently answers this case wrongly: the case then runs in an `it.fails`
   * test named after the bug, so the suite stays green while the bug stays visible.
   */
  knownBug?: string;
}

/** Shorthand for the most common expectation. */
export function problem(code: ErrorCode): Expectation {
  return { kind: "problem", code };
}
