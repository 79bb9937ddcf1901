/**
 * Corpus of malformed requests to the admin API (`/ops/api/*`): every endpoint without valid
 * credentials (401 before anything else, unknown paths included), then with the token: malformed
 * ids (400), bad query values (422), bad bodies (400 / 413 / 415 / 422), unknown records (404)
 * and wrong methods (404).
 */
import { env } from "cloudflare:workers";
import { asPathSegment, headerSafe, HOSTILE_STRINGS } from "./hostile";
import { share } from "./rng";
import { problem, type BadCase, type CaseBody, type Expectation } from "./types";

const ROUTE = "/ops/api/*";
const ENDPOINTS: ReadonlyArray<readonly [string, string]> = [
  ["POST", "/records/search"],
  ["GET", "/records/p-1"],
  ["GET", "/events/e-1"],
  ["GET", "/deliveries/d-1"],
  ["GET", "/dead-letters"],
  ["GET", "/dead-letters/l-1"],
  ["POST", "/dead-letters/l-1/replay"],
  ["POST", "/dead-letters/replay"],
  ["POST", "/dead-letters/l-1/discard"],
  ["GET", "/links"],
  ["GET", "/drift"],
  ["GET", "/merges"],
  ["POST", "/merges/m-1/approve"],
  ["POST", "/merges/m-1/reject"],
  ["GET", "/health"],
  ["GET", "/alerts"],
  ["GET", "/overview"],
  ["GET", "/reports/roi"],
  ["GET", "/no-such-endpoint"],
];
const ID_ENDPOINTS: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/records/{id}"],
  ["GET", "/events/{id}"],
  ["GET", "/deliveries/{id}"],
  ["GET", "/dead-letters/{id}"],
  ["POST", "/dead-letters/{id}/replay"],
  ["POST", "/dead-letters/{id}/discard"],
  ["POST", "/merges/{id}/approve"],
  ["POST", "/merges/{id}/reject"],
];
/** The API's id rule (src/ops/schemas.ts): a malformed id is a 400, a well-formed unknown one a 404. */
const ID = /^[A-Za-z0-9._:|@+-]{1,200}$/;

const token = () => String((env as unknown as Record<string, unknown>).OPS_TOKEN ?? "");

function call(
  name: string,
  method: string,
  path: string,
  expect: Expectation,
  headers: ReadonlyArray<readonly [string, string]>,
  body?: CaseBody,
): BadCase {
  return { name, route: ROUTE, method, path: `/ops/api${path}`, headers, expect, ...(body !== undefined ? { body } : {}) };
}

/** Every refused admin API request. */
export function opsApiCases(): BadCase[] {
  const out: BadCase[] = [];
  const badAuth: Array<readonly [string, string | null]> = [
    ["none", null],
    ["wrong token", "Bearer nope"],
    ["empty Bearer", "Bearer "],
    ["Basic with the token", `Basic ${btoa(`ops:${token()}`)}`],
    ["token without scheme", token()],
    ["token plus junk", `Bearer ${token()} junk`],
    ["a forged Access JWT only", null],
    ["64 KiB token", `Bearer ${"x".repeat(64 * 1024)}`],
  ];
  // Every endpoint without credentials; the other bad credentials spread over the endpoints.
  for (const [k, [m, path]] of ENDPOINTS.entries()) {
    for (const [what, value] of [badAuth[0] ?? ["none", null], ...share(badAuth.slice(1), k, 3)] as const) {
      const headers: Array<readonly [string, string]> = value === null ? [] : [["authorization", value]];
      if (what.includes("JWT")) headers.push(["cf-access-jwt-assertion", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJldmlsIn0."]);
      out.push(call(`api-auth/${m} ${path} with ${what}`, m, path, problem("unauthorized"), headers, m === "POST" ? "{}" : undefined));
    }
  }
  for (const [i, s] of HOSTILE_STRINGS.filter(headerSafe).entries())
    out.push(call(`api-auth/hostile bearer #${i}`, "GET", "/overview", problem("unauthorized"), [["authorization", `Bearer ${s}`]]));

  const auth: Array<readonly [string, string]> = [
    ["authorization", `Bearer ${token()}`],
    ["content-type", "application/json"],
  ];
  const ids = [...HOSTILE_STRINGS, "a".repeat(201), "x y", "ñ", "id/with/slash", "%", "a\u200bb"];
  ids.forEach((s, i) => {
    const [m, template] = ID_ENDPOINTS[i % ID_ENDPOINTS.length] ?? ["GET", "/records/{id}"];
    const body = template.endsWith("/discard") ? '{"reason":"cleanup"}' : m === "POST" ? "" : undefined;
    out.push(
      call(
        `api-id/${m} ${template} with id #${i}`,
        m,
        template.replace("{id}", asPathSegment(s)),
        problem(ID.test(s) ? "not_found" : "bad_request"),
        auth,
        body,
      ),
    );
  });
  for (const [m, template] of ID_ENDPOINTS) {
    const body = template.endsWith("/discard") ? '{"reason":"cleanup"}' : m === "POST" ? "" : undefined;
    out.push(
      call(`api-id/${m} ${template} with an unknown id`, m, template.replace("{id}", "no-such-id-1"), problem("not_found"), auth, body),
    );
  }
  const queries = [
    "/dead-letters?status=closed",
    "/dead-letters?queue=dead-letter",
    "/dead-letters?from=yesterday",
    "/dead-letters?from=March%207",
    "/dead-letters?to=99",
    "/dead-letters?to=2026-13-45",
    "/dead-letters?limit=501",
    "/dead-letters?limit=1e3",
    `/dead-letters?vendor=${"v".repeat(101)}`,
    "/dead-letters?code=%20",
    "/links?kind=lead",
    "/links?canonicalId=%27%20OR%201%3D1",
    `/links?externalId=${"e".repeat(201)}`,
    "/links?limit=0x10",
    "/drift?limit=",
    "/drift?limit=%00",
    "/merges?status=pending",
    "/merges?limit=9999999",
    "/alerts?limit=-5",
    "/reports/roi?from=zzz",
    "/reports/roi?period=year",
    "/reports/roi?from=2026-02-01&to=2026-01-01",
    `/reports/roi?from=${"9".repeat(41)}`,
  ];
  for (const q of queries) out.push(call(`api-query/GET ${q.slice(0, 60)}`, "GET", q, problem("validation_failed"), auth));
  for (const [i, s] of share(HOSTILE_STRINGS, 0, 2).entries())
    out.push(call(`api-query/hostile status #${i}`, "GET", `/dead-letters?status=${asPathSegment(s)}`, problem("validation_failed"), auth));
  // Searching by GET put emails and phones in URLs: refused whatever the query.
  for (const q of ["/records", "/records?q=ana", "/records?q=ana%40example.com", "/records?q=%2B15125550123&limit=5"])
    out.push(call(`api-query/GET ${q}`, "GET", q, problem("method_not_allowed"), auth));
  const bodies: ReadonlyArray<readonly [string, string, string, Expectation]> = [
    ["/records/search", "no q", "{}", problem("validation_failed")],
    ["/records/search", "q of 1 character", '{"q":"a"}', problem("validation_failed")],
    ["/records/search", "q of spaces", '{"q":"   "}', problem("validation_failed")],
    ["/records/search", "q of 201 characters", JSON.stringify({ q: "q".repeat(201) }), problem("validation_failed")],
    ["/records/search", "limit 0", '{"q":"ana","limit":0}', problem("validation_failed")],
    ["/records/search", "limit 101", '{"q":"ana","limit":101}', problem("validation_failed")],
    ["/records/search", "limit a string", '{"q":"ana","limit":"5"}', problem("validation_failed")],
    ["/records/search", "limit 1.5", '{"q":"ana","limit":1.5}', problem("validation_failed")],
    ["/records/search", "malformed JSON", '{"q":', problem("malformed_json")],
    ["/dead-letters/replay", "no filter", "{}", problem("validation_failed")],
    ["/dead-letters/replay", "limit 0", '{"vendor":"dotloop","limit":0}', problem("validation_failed")],
    ["/dead-letters/replay", "perSecond 51", '{"vendor":"dotloop","perSecond":51}', problem("validation_failed")],
    ["/dead-letters/replay", "from after to", '{"from":"2026-02-01","to":"2026-01-01"}', problem("validation_failed")],
    ["/dead-letters/replay", "a 40-day window", '{"from":"2026-01-01","to":"2026-02-10"}', problem("validation_failed")],
    ["/dead-letters/replay", "from a date in words", '{"from":"March 7"}', problem("validation_failed")],
    ["/dead-letters/replay", "from 4 digits", '{"from":"2026"}', problem("validation_failed")],
    ["/dead-letters/replay", "queue dead-letter", '{"queue":"dead-letter"}', problem("validation_failed")],
    ["/dead-letters/replay", "vendor a number", '{"vendor":7}', problem("validation_failed")],
    ["/dead-letters/replay", "an array", '[{"vendor":"dotloop"}]', problem("validation_failed")],
    ["/dead-letters/replay", "a string", '"dotloop"', problem("validation_failed")],
    ["/dead-letters/replay", "null", "null", problem("validation_failed")],
    ["/dead-letters/replay", "truncated JSON", '{"vendor":"dot', problem("malformed_json")],
    ["/dead-letters/replay", "single quotes", "{'vendor':'dotloop'}", problem("malformed_json")],
    ["/dead-letters/replay", "20 KB body", JSON.stringify({ vendor: "v".repeat(20 * 1024) }), problem("payload_too_large")],
    ["/dead-letters/l-1/discard", "no reason", "{}", problem("validation_failed")],
    ["/dead-letters/l-1/discard", "a 2-character reason", '{"reason":"no"}', problem("validation_failed")],
    ["/dead-letters/l-1/discard", "a blank reason", '{"reason":"     "}', problem("validation_failed")],
    ["/dead-letters/l-1/discard", "a 501-character reason", JSON.stringify({ reason: "r".repeat(501) }), problem("validation_failed")],
    ["/dead-letters/l-1/discard", "reason a number", '{"reason":12345}', problem("validation_failed")],
    ["/dead-letters/l-1/discard", "malformed JSON", '{"reason":', problem("malformed_json")],
  ];
  for (const [path, what, body, expect] of bodies) out.push(call(`api-body/POST ${path} ${what}`, "POST", path, expect, auth, body));
  // Streamed, with no Content-Length: the cap counts bytes as they arrive. 6,000 euro signs are
  // 6,000 characters but 18,000 bytes.
  const euros = new TextEncoder().encode(JSON.stringify({ vendor: "€".repeat(6_000) }));
  const streamed =
    (bytes: Uint8Array, times = 1) =>
    () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < times; i++) c.enqueue(bytes);
          c.close();
        },
      });
  const json: ReadonlyArray<readonly [string, string]> = [auth[0] ?? ["authorization", ""], ["content-type", "application/json"]];
  out.push(
    call(
      "api-body/POST /dead-letters/replay streamed, 18,000 bytes in 6,000 characters",
      "POST",
      "/dead-letters/replay",
      problem("payload_too_large"),
      json,
      streamed(euros),
    ),
  );
  out.push(
    call(
      "api-body/POST /dead-letters/replay streamed, 1 MB",
      "POST",
      "/dead-letters/replay",
      problem("payload_too_large"),
      json,
      streamed(new Uint8Array(64 * 1024).fill(0x20), 16),
    ),
  );
  for (const ct of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) {
    out.push(
      call(
        `api-body/POST /dead-letters/replay as ${ct}`,
        "POST",
        "/dead-letters/replay",
        problem("unsupported_media_type"),
        [auth[0] ?? ["authorization", ""], ["content-type", ct]],
        '{"vendor":"dotloop"}',
      ),
    );
  }
  for (const [m, path] of ENDPOINTS.slice(0, 19)) {
    const other = m === "GET" ? "DELETE" : "PUT";
    out.push(
      call(`api-method/${other} ${path}`, other, path, { kind: "problem-one-of", codes: ["not_found", "method_not_allowed"] }, auth),
    );
  }
  return out;
}
