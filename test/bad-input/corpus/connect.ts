/**
 * Corpus of malformed requests to the OAuth connect routes: `GET /connect/:vendor` (operators
 * only) and `GET /connect/:vendor/callback` (signed, time-limited state bound to a cookie).
 * States are signed here as the hub signs them, so forged-but-well-formed ones reach the later
 * checks: cookie binding, vendor binding, expiry, the configured connection.
 */
import { env } from "cloudflare:workers";
import { fromBase64, toBase64, utf8 } from "../../../src/lib/bytes";
import { asHeaderValue, asPathSegment, headerSafe, HOSTILE_STRINGS } from "./hostile";
import { share } from "./rng";
import { problem, type BadCase, type Expectation } from "./types";

const OAUTH = ["dotloop", "quickbooks", "liondesk"] as const;
const notFound: Expectation = { kind: "problem-one-of", codes: ["not_found", "method_not_allowed"] };
const b64url = (b: Uint8Array) => toBase64(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function get(
  route: string,
  name: string,
  path: string,
  expect: Expectation,
  headers: ReadonlyArray<readonly [string, string]> = [],
  method = "GET",
): BadCase {
  return { name, route, method, path, headers, expect };
}

/** Names every plain object answers to through its prototype. */
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

/** The known bug: the vendor is looked up with `PROVIDERS[vendor]`, which walks the prototype. */
export const PROTOTYPE_VENDOR_BUG =
  "connect looks the vendor up as PROVIDERS[vendor], so prototype names (__proto__, constructor, toString...) pass as OAuth vendors: 401/400 instead of 404";

function protoBug(c: BadCase, _vendor: string): BadCase {
  return c;
}

/** Authorization values that are not the ops token. */
function badAuth(): Array<readonly [string, string]> {
  const token = String((env as unknown as Record<string, unknown>).OPS_TOKEN ?? "");
  const basic = (s: string) => `Basic ${btoa(s)}`;
  return [
    ["none", ""],
    ["empty Bearer", "Bearer "],
    ["Bearer only", "Bearer"],
    ["wrong token", "Bearer not-the-token"],
    ["token with a suffix", `Bearer ${token}x`],
    ["token prefix", `Bearer ${token.slice(0, -1)}`],
    ["token twice", `Bearer ${token} ${token}`],
    ["Token scheme", `Token ${token}`],
    ["token without scheme", token],
    ["Basic without colon", basic("nobody")],
    ["Basic wrong password", basic("ops:wrong")],
    ["Basic token as user name", basic(`${token}:`)],
    ["Basic not base64", "Basic !!!"],
    ["Basic empty", "Basic "],
    ["64 KiB token", `Bearer ${"t".repeat(64 * 1024)}`],
    ["Digest scheme", `Digest username="ops", response="${token}"`],
    ...HOSTILE_STRINGS.filter(headerSafe).map((s, i) => [`hostile token #${i}`, `Bearer ${s}`] as const),
  ];
}

/** `GET /connect/:vendor` refusals. */
export function connectStartCases(): BadCase[] {
  const route = "/connect/:vendor";
  const out: BadCase[] = [];
  const auth = `Bearer ${String((env as unknown as Record<string, unknown>).OPS_TOKEN ?? "")}`;
  for (const [i, s] of HOSTILE_STRINGS.entries())
    out.push(protoBug(get(route, `connect/hostile vendor #${i}`, `/connect/${asPathSegment(s)}`, problem("not_found")), s));
  for (const p of PROTOTYPE_KEYS) out.push(protoBug(get(route, `connect/vendor named ${p}`, `/connect/${p}`, problem("not_found")), p));
  for (const v of ["followupboss", "skyslope", "docusign", "idx", "DOTLOOP", "dotloop%20", "quickbooks%00", "..%2fops", "dotloop.json"]) {
    out.push(get(route, `connect/not an OAuth vendor ${v}`, `/connect/${v}`, problem("not_found")));
    out.push(
      get(route, `connect/not an OAuth vendor ${v}, with the ops token`, `/connect/${v}`, problem("not_found"), [["authorization", auth]]),
    );
  }
  for (const v of OAUTH) {
    for (const [what, value] of badAuth()) {
      out.push(
        get(
          route,
          `connect/${v} with authorization: ${what}`,
          `/connect/${v}`,
          problem("unauthorized"),
          value ? [["authorization", value]] : [],
        ),
      );
    }
    // HEAD is GET without a body (Hono serves it from the GET route), so it is no malformed request.
    for (const m of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
      out.push(get(route, `connect/${m} ${v}`, `/connect/${v}`, notFound, [["authorization", auth]], m));
    out.push(get(route, `connect/${v} with a trailing slash`, `/connect/${v}/`, notFound, [["authorization", auth]]));
  }
  share(HOSTILE_STRINGS, 0, 1).forEach((s, i) => {
    const v = OAUTH[i % 2] ?? "dotloop";
    out.push(
      get(route, `connect/${v} with hostile connection #${i}`, `/connect/${v}?connection=${asPathSegment(s)}`, problem("bad_request"), [
        ["authorization", auth],
      ]),
    );
  });
  for (const [v, conn] of [
    ["dotloop", "quickbooks:main"],
    ["quickbooks", "dotloop:main"],
    ["dotloop", "followupboss:main"],
    ["dotloop", "dotloop:MAIN"],
    ["quickbooks", ""],
  ] as const) {
    out.push(
      get(
        route,
        `connect/${v} with another vendor's connection ${JSON.stringify(conn)}`,
        `/connect/${v}?connection=${encodeURIComponent(conn)}`,
        problem("bad_request"),
        [["authorization", auth]],
      ),
    );
  }
  return out;
}

async function stateKey(): Promise<CryptoKey> {
  const secret = String((env as unknown as Record<string, unknown>).TOKEN_ENCRYPTION_KEY ?? "");
  const base = await crypto.subtle.importKey("raw", fromBase64(secret) ?? utf8(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8("dealwire/connect-state/v1") },
    base,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/** A connect state signed exactly as the hub signs one (the payload is whatever is given). */
async function signedState(payload: unknown, key: CryptoKey): Promise<string> {
  const body = b64url(utf8(JSON.stringify(payload)));
  return `${body}.${b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(body))))}`;
}

/** `GET /connect/:vendor/callback` refusals. */
export async function connectCallbackCases(): Promise<BadCase[]> {
  const route = "/connect/:vendor/callback";
  const out: BadCase[] = [];
  const cb = (v: string, q: string) => `/connect/${v}/callback${q}`;
  for (const [i, s] of HOSTILE_STRINGS.entries())
    out.push(protoBug(get(route, `callback/hostile vendor #${i}`, cb(asPathSegment(s), "?code=c&state=s"), problem("not_found")), s));
  for (const p of PROTOTYPE_KEYS)
    out.push(protoBug(get(route, `callback/vendor named ${p}`, cb(p, "?code=c&state=s"), problem("not_found")), p));
  for (const v of OAUTH) {
    for (const q of ["", "?code=c", "?state=s", "?code=&state=", "?code=c&state=", "?CODE=c&STATE=s"])
      out.push(get(route, `callback/${v} query ${JSON.stringify(q)}`, cb(v, q), problem("bad_request")));
    for (const m of ["POST", "PUT", "DELETE", "PATCH"])
      out.push(get(route, `callback/${m} ${v}`, cb(v, "?code=c&state=s"), notFound, [], m));
  }
  HOSTILE_STRINGS.forEach((s, i) => {
    const v = OAUTH[i % 2] ?? "dotloop";
    out.push(get(route, `callback/${v} hostile error #${i}`, cb(v, `?error=${asPathSegment(s)}&code=c&state=s`), problem("bad_request")));
    out.push(get(route, `callback/${v} hostile state #${i}`, cb(v, `?code=c&state=${asPathSegment(s)}`), problem("unauthorized")));
    out.push(
      get(
        route,
        `callback/${v} hostile code #${i}, forged state`,
        cb(v, `?code=${asPathSegment(s)}&state=e30.AAAA`),
        problem("unauthorized"),
      ),
    );
  });
  const key = await stateKey();
  const now = Math.floor(Date.now() / 1000);
  // The state carries the SHA-256 of the nonce, base64url; the cookie holds the nonce itself.
  const hash = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("nonce-1")))))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  const good = { c: "dotloop:main", v: "dotloop", h: hash, e: now + 600 };
  const cookie = (n: string): Array<readonly [string, string]> => [["cookie", `dw_connect=${n}`]];
  const deeper: Array<readonly [string, string, Array<readonly [string, string]>, Expectation]> = [
    ["valid state, no cookie", await signedState(good, key), [], problem("unauthorized")],
    ["valid state, another browser's cookie", await signedState(good, key), cookie("nonce-2"), problem("unauthorized")],
    ["valid state, its nonce's hash as the cookie", await signedState(good, key), cookie(hash), problem("unauthorized")],
    [
      "valid state, hostile cookie",
      await signedState(good, key),
      [["cookie", `dw_connect=${asHeaderValue("'; DROP TABLE links; --")}`]],
      problem("unauthorized"),
    ],
    ["state expired a second ago", await signedState({ ...good, e: now - 1 }, key), cookie("nonce-1"), problem("unauthorized")],
    ["state for quickbooks", await signedState({ ...good, v: "quickbooks" }, key), cookie("nonce-1"), problem("unauthorized")],
    [
      "state missing its nonce's hash",
      await signedState({ c: good.c, v: good.v, e: good.e }, key),
      cookie("nonce-1"),
      problem("unauthorized"),
    ],
    ["state with a string expiry", await signedState({ ...good, e: String(good.e) }, key), cookie("nonce-1"), problem("unauthorized")],
    ["state that is a JSON array", await signedState([good], key), cookie("nonce-1"), problem("unauthorized")],
    [
      "state with its MAC from another body",
      `${(await signedState({ ...good, c: "x" }, key)).split(".")[0]}.${(await signedState(good, key)).split(".")[1]}`,
      cookie("nonce-1"),
      problem("unauthorized"),
    ],
    ["state with a third part", `${await signedState(good, key)}.x`, cookie("nonce-1"), problem("unauthorized")],
    [
      "valid state naming an unconfigured connection",
      await signedState({ ...good, c: "dotloop:nope" }, key),
      cookie("nonce-1"),
      problem("bad_request"),
    ],
    [
      "valid state naming another vendor's connection",
      await signedState({ ...good, c: "quickbooks:main" }, key),
      cookie("nonce-1"),
      problem("bad_request"),
    ],
  ];
  for (const [what, state, headers, expect] of deeper)
    out.push(get(route, `callback/dotloop ${what}`, cb("dotloop", `?code=c&state=${encodeURIComponent(state)}`), expect, headers));
  return out;
}
