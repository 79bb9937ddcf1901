/**
 * Sends corpus requests through the Worker's own entry with limited concurrency and checks each
 * answer against its expectation. Returns one line per mismatch, naming the case, so a failing
 * test says exactly which request went wrong and how.
 */
import { exports } from "cloudflare:workers";
import { ERROR_CATALOGUE, type ErrorCode } from "../../src/lib/errors";
import { isSourceName } from "../../src/config/sources";
import { refusalStatus } from "../../src/routes/hooks/response-policy";
import type { BadCase, Expectation } from "./corpus/types";

/** The status a refusal of `c` carries: a webhook source's own policy, else the catalogue's. */
function statusFor(c: BadCase, code: ErrorCode): number {
  // As the router sees the path: dot segments resolved, so `/hooks/x/../quickbooks` is QuickBooks.
  const source = /^\/hooks\/([a-z]+)$/.exec(new URL(c.path, "http://hub.test").pathname)?.[1];
  return source !== undefined && isSourceName(source) ? refusalStatus(source, code) : ERROR_CATALOGUE[code].status;
}

/** Sends one case exactly as a client would put it on the wire. */
export function send(c: BadCase): Promise<Response> {
  const headers = new Headers();
  for (const [k, v] of c.headers) headers.append(k, v);
  // Each case is its own client, so the per-client limit on failed credentials (tested on its
  // own) does not turn later cases into 429s.
  if (!headers.has("cf-connecting-ip")) {
    const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
    headers.set("cf-connecting-ip", `2001:db8:${a.toString(16)}:${b.toString(16)}::1`);
  }
  const body = typeof c.body === "function" ? c.body() : c.body;
  return exports.default.fetch(`http://hub.test${c.path}`, {
    method: c.method,
    headers,
    redirect: "manual",
    ...(body !== undefined ? { body } : {}),
  });
}

function describe(e: Expectation): string {
  switch (e.kind) {
    case "problem":
      return `${ERROR_CATALOGUE[e.code].status} ${e.code}`;
    case "problem-one-of":
      return `404/405 one of ${e.codes.join("|")}`;
    case "health":
      return "200 health document";
    case "redirect":
      return `303 to ${e.location}${e.exact ? "" : "..."}`;
    case "html":
      return `${e.status} HTML page`;
  }
}

const isCode = (x: unknown): x is ErrorCode => typeof x === "string" && x in ERROR_CATALOGUE;

/** Why a response does not meet the case's expectation, or null when it does. */
export async function mismatch(c: BadCase, res: Response): Promise<string | null> {
  const text = c.method === "HEAD" ? "" : await res.text();
  const ct = res.headers.get("content-type") ?? "";
  const got = `got ${res.status} ${ct} ${text.slice(0, 160)}`;
  if (c.expect.kind === "health") {
    if (res.status !== 200 || !ct.startsWith("application/json")) return got;
    const doc = JSON.parse(text) as { status?: unknown; bindings?: unknown };
    return doc.status === "ok" && typeof doc.bindings === "object" ? null : got;
  }
  if (c.expect.kind === "redirect") {
    const at = res.headers.get("location") ?? "";
    const ok = res.status === 303 && (c.expect.exact ? at === c.expect.location : at.startsWith(c.expect.location));
    return ok ? null : `${got} location ${at}`;
  }
  if (c.expect.kind === "html") return res.status === c.expect.status && ct.startsWith("text/html") ? null : got;
  if (res.status >= 500 || ct !== "application/problem+json") return got;
  const wanted: readonly ErrorCode[] = c.expect.kind === "problem" ? [c.expect.code] : c.expect.codes;
  // A HEAD answer carries no body; its status and media type are all there is to check.
  if (c.method === "HEAD") return wanted.some((w) => statusFor(c, w) === res.status) ? null : got;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `${got} (not JSON)`;
  }
  const code = p.code;
  if (!isCode(code) || !wanted.includes(code)) return got;
  const entry = ERROR_CATALOGUE[code];
  const status = statusFor(c, code);
  const ok =
    res.status === status &&
    p.status === status &&
    p.title === entry.title &&
    p.type === `https://dealwire.dev/problems/${code.replaceAll("_", "-")}` &&
    typeof p.detail === "string" &&
    p.detail.length > 0;
  return ok ? null : `${got} (problem document fields wrong)`;
}

/** A refusal is cheap; a request still unanswered after this long has hung the hub. */
const ANSWER_WITHIN_MS = 10_000;

async function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([p, deadline]);
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

/** Runs every case, `concurrency` at a time; returns the mismatches, one line each. */
export async function runCases(cases: readonly BadCase[], concurrency = 8): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i];
      if (!c) continue;
      try {
        const res = await withDeadline(send(c), ANSWER_WITHIN_MS);
        const why = res === "timeout" ? `no answer within ${ANSWER_WITHIN_MS} ms` : await mismatch(c, res);
        if (why) failures.push(`${c.name}: expected ${describe(c.expect)}, ${why}`);
      } catch (err) {
        failures.push(`${c.name}: request failed: ${(err as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures.sort();
}

/** Case counts per route, for the report and the ≥ 200 floor. */
export function countByRoute(cases: readonly BadCase[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.route] = (out[c.route] ?? 0) + 1;
  return out;
}
