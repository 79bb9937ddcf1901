/**
 * Validly signed deliveries whose body is wrong: not UTF-8 JSON (400 malformed_json), or JSON
 * that is not the source's envelope (400 envelope_invalid), including deep nesting and huge
 * values under the size cap, and charset games. Signed with the real secrets so that only the
 * body checks can refuse them.
 */
import { fixedSample } from "./samples";
import { arraysForObjects, envelopeViolations, withRequiredField } from "./envelopes";
import { concatBytes, malformedBodies } from "./json-breakers";
import { share, type Rng } from "./rng";
import { pairs, signedHeaders, SOURCES, type Source } from "./signing";
import { problem, type BadCase, type Expectation } from "./types";

const deepArray = (n: number, close = true) => `${"[".repeat(n)}${close ? "]".repeat(n) : ""}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

async function signedCase(
  source: Source,
  what: string,
  body: string | Uint8Array,
  expect: Expectation,
  seq: number,
  contentType = "application/json",
): Promise<BadCase> {
  const headers = await signedHeaders(source, body, { id: `msg_bad_body_${source}_${seq}` });
  return {
    name: `body/${source}: ${what}`,
    route: "/hooks/:source",
    method: "POST",
    path: `/hooks/${source}`,
    headers: pairs({ ...headers, "content-type": contentType }),
    body,
    expect,
  };
}

/** Deep nesting and huge values, all under the cap, none of them the envelope. */
function shapes(source: Source): Array<readonly [string, string]> {
  return [
    ["10,000-deep array as the whole body", deepArray(10_000)],
    ["10,000-deep object as the whole body", deepObject(10_000)],
    ["100,000-deep array as the whole body", deepArray(100_000)],
    [
      "required field a 10,000-deep " + (source === "quickbooks" ? "object" : "array"),
      withRequiredField(source, source === "quickbooks" ? deepObject(10_000) : deepArray(10_000)),
    ],
    ["60,000 numbers as the whole body", `[${Array.from({ length: 60_000 }, (_, i) => i % 10).join(",")}]`],
    [
      "required field an array of 10,000 strings",
      withRequiredField(source, JSON.stringify(Array.from({ length: 10_000 }, () => "lead.created"))),
    ],
    ["a 200 KB string as the whole body", JSON.stringify("x".repeat(200 * 1024))],
    [
      "an object of 10,000 keys, none the required one",
      JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
    ],
  ];
}

/** Every signed-but-bad-body request of this part of the corpus. */
export async function bodyCases(rng: Rng): Promise<BadCase[]> {
  const out: BadCase[] = [];
  let seq = 0;
  for (const [k, source] of SOURCES.entries()) {
    const valid = fixedSample(source, `bad-body-${source}`);
    for (const b of malformedBodies(valid, rng, k, SOURCES.length))
      out.push(await signedCase(source, b.what, b.body, problem("malformed_json"), seq++));
    for (const e of envelopeViolations(source, k, SOURCES.length / 2))
      out.push(await signedCase(source, e.what, e.text, problem("envelope_invalid"), seq++));
    for (const [what, text] of share(shapes(source), k, SOURCES.length / 2))
      out.push(await signedCase(source, what, text, problem("envelope_invalid"), seq++));
    if (k % 2 === 0)
      out.push(await signedCase(source, "10,000-deep array never closed", deepArray(10_000, false), problem("malformed_json"), seq++));
    // The charset parameter cannot make a non-UTF-8 body acceptable.
    const charsets: Array<readonly [string, Uint8Array, string]> = [
      ["UTF-16 body declared charset=utf-16", utf16(valid), "application/json; charset=utf-16"],
      ["Latin-1 body declared charset=iso-8859-1", latin1(valid.replace('"', '"\u00e9')), "application/json; charset=iso-8859-1"],
      [
        'invalid UTF-8 declared charset="utf-8"',
        concatBytes(valid.slice(0, -1), new Uint8Array([0xc3, 0x28]), "}"),
        'application/json; charset="utf-8"',
      ],
    ];
    for (const [what, body, ct] of share(charsets, k, 3))
      out.push(await signedCase(source, what, body, problem("malformed_json"), seq++, ct));
  }
  // A valid envelope is refused when it nests beyond 1,024 levels: the queue could not carry it.
  out.push(
    await signedCase(
      "idx",
      "valid envelope, data nested 10,000 deep",
      `{"type":"lead.created","data":${deepArray(10_000)}}`,
      problem("envelope_invalid"),
      seq++,
    ),
  );
  out.push(
    await signedCase(
      "zillow",
      "valid envelope nested 1,025 levels",
      `{"type":"lead.created","data":${deepArray(1_024)}}`,
      problem("envelope_invalid"),
      seq++,
    ),
  );
  out.push(
    await signedCase(
      "followupboss",
      "valid envelope with a 2,000-deep object",
      `{"event":"peopleUpdated","eventId":"fub-deep","x":${deepObject(2_000)}}`,
      problem("envelope_invalid"),
      seq++,
    ),
  );
  return out;
}

/** The one intake bug the corpus found that still stands (the others are fixed; see the report). */
export const ARRAYS_FOR_OBJECTS_BUG =
  "an array where the envelope declares an object (Dotloop event, DocuSign data, QuickBooks eventNotifications entries) is queued (202): valibot's v.record accepts arrays; should be 400 envelope_invalid";

/** Arrays where the envelope declares an object: refused by the envelope's letter, queued today. */
export async function arrayForObjectCases(): Promise<BadCase[]> {
  const out: BadCase[] = [];
  let seq = 1000;
  for (const source of SOURCES) {
    for (const e of arraysForObjects(source))
      out.push({ ...(await signedCase(source, e.what, e.text, problem("envelope_invalid"), seq++)) });
  }
  return out;
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out.set([0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    out[2 + i * 2] = s.charCodeAt(i) >> 8;
    out[3 + i * 2] = s.charCodeAt(i) & 0xff;
  }
  return out;
}

function latin1(s: string): Uint8Array {
  return Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));
}
