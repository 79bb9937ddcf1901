/**
 * Corpus of /hooks/:source requests that are wrong before the body is read: the path, the
 * method, the content type and the declared or actual size. Most are validly signed deliveries,
 * so the refusal can only come from the check under test.
 */
import { fixedSample } from "./samples";
import { asPathSegment, HOSTILE_STRINGS } from "./hostile";
import { share } from "./rng";
import { signedHeaders, pairs, without, SOURCES, type Source } from "./signing";
import { problem, type BadCase, type CaseBody, type Expectation } from "./types";

const ROUTE = "/hooks/:source";
const CAP = 256 * 1024;

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

async function valid(source: Source, n: string): Promise<Delivery> {
  const body = fixedSample(source, `bad-transport-${n}`);
  return { headers: await signedHeaders(source, body, { id: `msg_bad_transport_${n}` }), body };
}

function hookCase(
  name: string,
  path: string,
  d: { headers: Record<string, string> | ReadonlyArray<readonly [string, string]>; body?: CaseBody },
  expect: Expectation,
  method = "POST",
): BadCase {
  const headers = Array.isArray(d.headers) ? d.headers : pairs(d.headers as Record<string, string>);
  return { name, route: ROUTE, method, path, headers, ...(d.body !== undefined ? { body: d.body } : {}), expect };
}

const oneOf404: Expectation = { kind: "problem-one-of", codes: ["not_found", "source_unknown"] };
const UNSIGNED = { headers: { "content-type": "application/json" }, body: '{"type":"lead.created","data":{}}' };

/** Source names and path shapes that are not a source; the body is a valid unsigned JSON. */
function pathTricks(): BadCase[] {
  const unknown: Array<readonly [string, string]> = [
    ["upper-cased", "IDX"],
    ["capitalised", "Idx"],
    ["trailing space", "idx%20"],
    ["leading space", "%20idx"],
    ["trailing NUL", "idx%00"],
    ["encoded slash then dots", "..%2fhealth"],
    ["double encoded traversal", "..%252f..%252fhealth"],
    ["encoded slash inside", "idx%2Fextra"],
    ["encoded backslash traversal", "..%5c..%5chealth"],
    ["matrix parameter", "idx;jsessionid=1"],
    ["encoded semicolon", "idx%3Bx"],
    ["file extension", "idx.json"],
    ["trailing tilde", "idx~"],
    ["dotless i", "%C4%B1dx"],
    ["fullwidth i", "%EF%BD%89dx"],
    ["zero-width space inside", "id%E2%80%8Bx"],
    ["RTL override", "%E2%80%AExdi"],
    ["BOM prefix", "%EF%BB%BFidx"],
    ["overlong-encoded dots", "%C0%AE%C0%AE"],
    ["broken percent escape", "%E0%A4%A"],
    ["lone percent", "%"],
    ["non-hex percent escape", "%zz"],
    ["10,000 characters", "a".repeat(10_000)],
    ["a source name repeated 5,000 times", "idx".repeat(5_000)],
    ["2,000 emoji", "%F0%9F%92%A9".repeat(2_000)],
    ["prototype key", "__proto__"],
    ["constructor", "constructor"],
    ["toString", "toString"],
    ["hasOwnProperty", "hasOwnProperty"],
    ["empty-looking encoded space", "%20"],
  ];
  const out = unknown.map(([what, seg]) => hookCase(`path/source ${what}`, `/hooks/${seg}`, UNSIGNED, problem("source_unknown")));
  for (const [i, s] of HOSTILE_STRINGS.entries())
    out.push(hookCase(`path/hostile source name #${i}`, `/hooks/${asPathSegment(s)}`, UNSIGNED, problem("source_unknown")));
  const noRoute: Array<readonly [string, string]> = [
    ["trailing slash", "/hooks/idx/"],
    ["two trailing slashes", "/hooks/idx//"],
    ["double slash before source", "/hooks//idx"],
    ["no source", "/hooks"],
    ["empty source", "/hooks/"],
    ["extra segment", "/hooks/idx/extra"],
    ["dot-dot after source", "/hooks/idx/.."],
    ["upper-cased prefix", "/HOOKS/idx"],
    ["prefix with trailing dot", "/hooks./idx"],
    ["singular prefix", "/hook/idx"],
    ["traversal to the root", "/hooks/../../../../"],
  ];
  for (const [what, path] of noRoute) out.push(hookCase(`path/${what}`, path, UNSIGNED, oneOf404));
  // The URL parser resolves this one to /health, which serves GET only.
  out.push(hookCase("path/percent dot-dot segment", "/hooks/%2e%2e/health", UNSIGNED, problem("method_not_allowed")));
  // The URL parser resolves these to a real source: verification must still stop them.
  const resolved: Array<readonly [string, string]> = [
    ["dot segment", "/hooks/./idx"],
    ["encoded dot segment", "/hooks/%2e/idx"],
    ["backslash separator", "/hooks\\idx"],
    ["traversal through health", "/health/../hooks/idx"],
    ["traversal through a sibling", "/hooks/x/../idx"],
    ["percent-encoded letter", "/hooks/%69dx"],
    ["query string", "/hooks/idx?source=zillow&debug=1"],
    ["fragment", "/hooks/idx#zillow"],
  ];
  for (const [what, path] of resolved) out.push(hookCase(`path/${what} (unsigned)`, path, UNSIGNED, problem("signature_missing")));
  return out;
}

function standardFamily(s: Source): boolean {
  return s === "standard" || s === "zillow" || s === "realtor" || s === "idx";
}

// Another source's secret under the same headers is a bad signature; another scheme's headers are absent.
const misrouted = (from: Source, to: Source): Expectation =>
  problem(standardFamily(from) && standardFamily(to) ? "signature_invalid" : "signature_missing");

/** A valid delivery of one source, sent where it does not belong (directly or through `..`). */
async function crossRoutes(): Promise<BadCase[]> {
  const out: BadCase[] = [];
  for (const [i, from] of SOURCES.entries()) {
    const d = await valid(from, `cross-${i}`);
    const next = SOURCES[(i + 1) % SOURCES.length] ?? from;
    const far = SOURCES[(i + 3) % SOURCES.length] ?? from;
    out.push(hookCase(`path/${from} delivery sent to ${next}`, `/hooks/${next}`, d, misrouted(from, next)));
    out.push(hookCase(`path/${from} delivery sent to ${far}`, `/hooks/${far}`, d, misrouted(from, far)));
    out.push(hookCase(`path/${from} delivery through ../ to ${next}`, `/hooks/${from}/../${next}`, d, misrouted(from, next)));
  }
  return out;
}

/** Every method but POST, each carrying a valid signed delivery where a body is allowed. */
async function methods(): Promise<BadCase[]> {
  const out: BadCase[] = [];
  const expect: Expectation = { kind: "problem-one-of", codes: ["not_found", "method_not_allowed"] };
  const all = ["PUT", "DELETE", "PATCH", "PROPFIND", "MKCOL", "COPY", "PURGE", "REPORT", "SEARCH", "GET", "HEAD", "OPTIONS"];
  for (const [k, source] of SOURCES.entries()) {
    const d = await valid(source, `method-${k}`);
    // Each method on two sources; those that may not carry a body are sent without one.
    for (const m of share(all, k, SOURCES.length / 2)) {
      out.push(
        hookCase(
          `method/${m} ${source}`,
          `/hooks/${source}`,
          ["GET", "HEAD", "OPTIONS"].includes(m) ? { headers: d.headers } : d,
          expect,
          m,
        ),
      );
    }
  }
  return out;
}

const WRONG_TYPES = [
  "text/plain",
  "text/json",
  "text/html",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/octet-stream",
  "application/jsonp",
  "application/json5",
  "application/javascript",
  "application/x-json",
  "json",
  "application",
  "application/",
  "/json",
  "*/*",
  "application/*",
  "application/json+",
  "application/+json",
  "application/json, text/plain",
  "text/plain; application/json",
  "application/ json",
  "application /json",
  "application/jso",
  "application/jsonx",
  "application/vnd.api+jsonx",
  "application/json\u00e9",
  "text/plain; charset=utf-8; x=application/json",
  "application/x-ndjson",
  "image/png",
];

/** Signed deliveries whose content type is wrong, missing or doubled: 415 before anything else. */
async function contentTypes(): Promise<BadCase[]> {
  const out: BadCase[] = [];
  for (const [i, ct] of WRONG_TYPES.entries()) {
    const source = SOURCES[i % SOURCES.length] ?? "idx";
    const d = await valid(source, `ct-${i}`);
    out.push(
      hookCase(
        `content-type/${JSON.stringify(ct)} (${source}, signed)`,
        `/hooks/${source}`,
        { ...d, headers: { ...d.headers, "content-type": ct } },
        problem("unsupported_media_type"),
      ),
    );
  }
  for (const source of SOURCES) {
    const d = await valid(source, `ct-missing-${source}`);
    out.push(
      hookCase(
        `content-type/missing (${source}, signed)`,
        `/hooks/${source}`,
        { ...d, headers: without(d.headers, "content-type") },
        problem("unsupported_media_type"),
      ),
    );
    out.push(
      hookCase(
        `content-type/empty (${source}, signed)`,
        `/hooks/${source}`,
        { ...d, headers: { ...d.headers, "content-type": "" } },
        problem("unsupported_media_type"),
      ),
    );
    // Content-Type is a singleton field: two values combine into a list, which is no media type.
    out.push(
      hookCase(
        `content-type/sent twice (${source}, signed)`,
        `/hooks/${source}`,
        { headers: [...pairs(d.headers), ["content-type", "application/json"]], body: d.body },
        problem("unsupported_media_type"),
      ),
    );
  }
  out.push(
    hookCase(
      "content-type/multipart body with a JSON part",
      "/hooks/idx",
      {
        headers: { "content-type": "multipart/form-data; boundary=XyZ" },
        body: '--XyZ\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n{"type":"lead.created","data":{}}\r\n--XyZ--\r\n',
      },
      problem("unsupported_media_type"),
    ),
  );
  out.push(
    hookCase(
      "content-type/form body",
      "/hooks/idx",
      { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "payload=%7B%22type%22%3A%22x%22%7D" },
      problem("unsupported_media_type"),
    ),
  );
  return out;
}

const stream =
  (bytes: number): (() => ReadableStream<Uint8Array>) =>
  () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let left = bytes;
    return new ReadableStream<Uint8Array>({
      pull(c) {
        if (left <= 0) return c.close();
        const n = Math.min(left, chunk.length);
        c.enqueue(n === chunk.length ? chunk : chunk.slice(0, n));
        left -= n;
      },
    });
  };

/** Bodies over the cap (declared or actual) and Content-Length values that lie. */
async function sizes(): Promise<BadCase[]> {
  const out: BadCase[] = [];
  const json = "application/json";
  for (const [i, source] of SOURCES.entries()) {
    // Truncated to one byte over the cap, and signed: only the size check can refuse it.
    const over = JSON.stringify({ type: "lead.created", data: { note: "a".repeat(CAP) } }).slice(0, CAP + 1);
    out.push(
      hookCase(
        `size/signed body one byte over the cap (${source})`,
        `/hooks/${source}`,
        { headers: await signedHeaders(source, over), body: over },
        problem("payload_too_large"),
      ),
    );
    const d = await valid(source, `size-${i}`);
    for (const cl of share(["262145", "999999999999999999999", "1e6", "0x40001", "300000"], i, SOURCES.length / 2)) {
      out.push(
        hookCase(
          `size/Content-Length ${cl} on a small signed body (${source})`,
          `/hooks/${source}`,
          { ...d, headers: { ...d.headers, "content-length": cl } },
          problem("payload_too_large"),
        ),
      );
    }
  }
  for (const n of [CAP + 1, 1024 * 1024, 4 * 1024 * 1024]) {
    out.push(
      hookCase(
        `size/${n} bytes streamed without Content-Length`,
        "/hooks/idx",
        { headers: { "content-type": json }, body: stream(n) },
        problem("payload_too_large"),
      ),
    );
    out.push(
      hookCase(
        `size/${n} bytes streamed under Content-Length 10`,
        "/hooks/zillow",
        { headers: { "content-type": json, "content-length": "10" }, body: stream(n) },
        problem("payload_too_large"),
      ),
    );
  }
  out.push(
    hookCase(
      "size/over the cap with a wrong content type (size is checked first)",
      "/hooks/idx",
      { headers: { "content-type": "text/plain", "content-length": String(CAP + 1) }, body: "x" },
      problem("payload_too_large"),
    ),
  );
  for (const cl of ["abc", "-1", "Infinity", "NaN", "1,1", "0"]) {
    out.push(
      hookCase(
        `size/unparseable Content-Length ${JSON.stringify(cl)} is ignored (unsigned)`,
        "/hooks/realtor",
        { headers: { ...UNSIGNED.headers, "content-length": cl }, body: UNSIGNED.body },
        problem("signature_missing"),
      ),
    );
  }
  const [head, tail] = ['{"event":"x","data":{"p":"', '"}}'];
  const atCap = `${head}${"b".repeat(CAP - head.length - tail.length)}${tail}`;
  out.push(
    hookCase(
      "size/exactly the cap, unsigned (reaches verification)",
      "/hooks/docusign",
      { headers: { "content-type": json }, body: atCap },
      problem("signature_missing"),
    ),
  );
  return out;
}

/** Every request of this part of the corpus. */
export async function transportCases(): Promise<BadCase[]> {
  return [...pathTricks(), ...(await crossRoutes()), ...(await methods()), ...(await contentTypes()), ...(await sizes())];
}
