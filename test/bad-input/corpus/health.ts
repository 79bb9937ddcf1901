/**
 * Corpus of malformed requests to `GET /health`. The route reads no input, so junk it has no
 * reason to read (query, headers) must leave the answer unchanged (200 health document), while
 * every other method and every path that is not exactly /health is a 404/405 problem document.
 */
import { asHeaderValue, asPathSegment, HOSTILE_STRINGS } from "./hostile";
import type { BadCase, CaseBody, Expectation } from "./types";

const ROUTE = "/health";
const refused: Expectation = { kind: "problem-one-of", codes: ["not_found", "method_not_allowed"] };
const health: Expectation = { kind: "health" };

function healthCase(
  name: string,
  method: string,
  path: string,
  headers: ReadonlyArray<readonly [string, string]>,
  expect: Expectation,
  body?: CaseBody,
): BadCase {
  return { name, route: ROUTE, method, path, headers, expect, ...(body !== undefined ? { body } : {}) };
}

const BODIES: ReadonlyArray<readonly [string, string, CaseBody]> = [
  ["JSON", "application/json", '{"status":"degraded"}'],
  ["a webhook envelope", "application/json", '{"type":"lead.created","data":{}}'],
  ["form", "application/x-www-form-urlencoded", "status=down&drop=tables"],
  ["multipart", "multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n'],
  ["truncated JSON", "application/json", '{"status":'],
  ["300 KB", "application/json", `"${"x".repeat(300 * 1024)}"`],
  ["empty", "text/plain", ""],
  ["invalid UTF-8", "application/json", new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d])],
  ["SQL", "text/plain", "'; DROP TABLE deliveries; --"],
];

/** Every bad request of the /health corpus. */
export function healthCases(): BadCase[] {
  const out: BadCase[] = [];
  for (const m of ["POST", "PUT", "DELETE", "PATCH", "PROPFIND", "COPY"]) {
    for (const [what, ct, body] of BODIES)
      out.push(healthCase(`health/${m} with ${what} body`, m, "/health", [["content-type", ct]], refused, body));
  }
  out.push(healthCase("health/OPTIONS", "OPTIONS", "/health", [], refused));
  const noRoute = [
    "/health/",
    "/health//",
    "/health/x",
    "/HEALTH",
    "/Health",
    "/health%00",
    "/health%2f",
    "/health.json",
    "/health;x=1",
    "/healthz",
    "/health%20",
    "/health~",
    "/health/..%2fhooks",
    "/health/%2e%2e%2fhooks%2fidx",
    `/health/${"h".repeat(10_000)}`,
    "/health/%C0%AE%C0%AE",
    "/health/%",
    "/healt",
    "/health/.",
    "/h%E2%80%8Bealth",
    "/%E2%80%AEhtlaeh",
  ];
  for (const p of noRoute) out.push(healthCase(`health/path ${JSON.stringify(p.slice(0, 40))}`, "GET", p, [], refused));
  for (const [i, s] of HOSTILE_STRINGS.entries())
    out.push(healthCase(`health/hostile sub-path #${i}`, "GET", `/health/${asPathSegment(s)}`, [], refused));
  // The URL parser resolves these to /health itself.
  for (const p of ["/./health", "/x/../health", "/%2e/health", "\\health"])
    out.push(healthCase(`health/path ${p} resolves to /health`, "GET", p, [], health));
  HOSTILE_STRINGS.forEach((s, i) => {
    out.push(healthCase(`health/hostile query value #${i}`, "GET", `/health?check=${asPathSegment(s)}`, [], health));
    // Odd strings in a header, even ones in cf-ray (the request id echoed in problem documents).
    if (i % 2 === 1) out.push(healthCase(`health/hostile header value #${i}`, "GET", "/health", [["x-hostile", asHeaderValue(s)]], health));
    else
      out.push(healthCase(`health/hostile cf-ray on a wrong method #${i}`, "DELETE", "/health", [["cf-ray", asHeaderValue(s)]], refused));
  });
  const junk: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]> = [
    ["100 KB query", `/health?q=${"q".repeat(100_000)}`, []],
    ["1,000 query parameters", `/health?${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join("&")}`, []],
    ["prototype-polluting query", "/health?__proto__[status]=down&constructor[prototype][x]=1", []],
    ["broken percent escapes in the query", "/health?x=%E0%A4%A&y=%&z=%zz", []],
    ["duplicate query keys", "/health?status=down&status=degraded", []],
    ["1 MiB header", "/health", [["x-junk", "j".repeat(1024 * 1024)]]],
    ["500 headers", "/health", Array.from({ length: 500 }, (_, i) => [`x-h-${i}`, String(i)] as const)],
    ["a header sent 100 times", "/health", Array.from({ length: 100 }, () => ["x-dup", "1"] as const)],
    ["content-type text/plain on a GET", "/health", [["content-type", "text/plain"]]],
    ["accept: text/html", "/health", [["accept", "text/html"]]],
    ["accept: nothing acceptable", "/health", [["accept", "application/x-nothing;q=1, */*;q=0"]]],
    [
      "forged forwarding headers",
      "/health",
      [
        ["x-forwarded-host", "evil.example"],
        ["x-forwarded-proto", "gopher"],
        ["forwarded", "for=127.0.0.1;host=evil"],
      ],
    ],
    ["a 64 KB cf-ray", "/health", [["cf-ray", "r".repeat(64 * 1024)]]],
    ["range header", "/health", [["range", "bytes=99999999-"]]],
    ["if-none-match *", "/health", [["if-none-match", "*"]]],
    ["authorization junk", "/health", [["authorization", "Bearer '; DROP TABLE deliveries; --"]]],
  ];
  for (const [what, path, headers] of junk) out.push(healthCase(`health/GET with ${what}`, "GET", path, headers, health));
  return out;
}
