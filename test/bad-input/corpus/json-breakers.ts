/**
 * Bodies that are not UTF-8 JSON: truncations, syntax errors, invalid byte sequences, random
 * bytes. Each is checked against the JSON grammar when the corpus is built, so a generator
 * mistake cannot turn a "malformed" case into a valid one unnoticed.
 */
import { concatBytes as concat, utf8 } from "../../../src/lib/bytes";
import { share, type Rng } from "./rng";

export interface NamedBody {
  what: string;
  body: Uint8Array;
}

// As the hub decodes: fatal on invalid bytes, a leading BOM dropped.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** True when the bytes are UTF-8 text holding one JSON value (a leading BOM is allowed). */
export function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(strict.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

export function concatBytes(...parts: ReadonlyArray<Uint8Array | string>): Uint8Array {
  return concat(parts.map((p) => (typeof p === "string" ? utf8(p) : p)));
}

/** Syntax errors a lenient parser (JSON5, JS eval, Python) would accept and JSON does not. */
const SYNTAX: ReadonlyArray<readonly [string, (valid: string) => string]> = [
  ["empty body", () => ""],
  ["whitespace only", () => " \n\t\r "],
  ["trailing comma in object", (v) => v.replace(/}$/, ",}")],
  ["trailing comma in array", () => '{"type":"lead.created","data":[1,2,],"x":1}'],
  ["single-quoted strings", (v) => v.replaceAll('"', "'")],
  ["unquoted keys", (v) => v.replace(/"([a-zA-Z_]+)":/g, "$1:")],
  ["line comment", (v) => `// hello\n${v}`],
  ["block comment", (v) => v.replace("{", "{/* c */")],
  ["NaN value", () => '{"type":"lead.created","data":NaN}'],
  ["Infinity value", () => '{"type":"lead.created","data":-Infinity}'],
  ["undefined value", () => '{"type":"lead.created","data":undefined}'],
  ["hex number", () => '{"type":"lead.created","data":0x1F}'],
  ["leading zero", () => '{"type":"lead.created","data":0123}'],
  ["leading plus", () => '{"type":"lead.created","data":+1}'],
  ["bare fraction", () => '{"type":"lead.created","data":.5}'],
  ["dangling exponent", () => '{"type":"lead.created","data":1e}'],
  ["capitalised literal", () => '{"type":"lead.created","data":True}'],
  ["misspelt null", () => '{"type":"lead.created","data":nul}'],
  ["trailing garbage", (v) => `${v}x`],
  ["two documents", (v) => `${v}${v}`],
  ["missing colon", () => '{"type" "lead.created"}'],
  ["missing comma", () => '{"type":"lead.created" "data":{}}'],
  ["unterminated string", () => '{"type":"lead.created'],
  ["invalid escape", () => '{"type":"lead\\x41created"}'],
  ["short unicode escape", () => '{"type":"lead\\u12"}'],
  ["raw newline in string", () => '{"type":"lead\ncreated"}'],
  ["raw tab in string", () => '{"type":"lead\tcreated"}'],
  ["raw NUL in string", () => '{"type":"lead\u0000created"}'],
  ["raw NUL between tokens", (v) => v.replace(",", ",\u0000")],
  ["raw control char 0x1f in string", () => '{"type":"lead\u001fcreated"}'],
  ["lone open brace", () => "{"],
  ["lone close bracket", () => "]"],
  ["lone comma", () => ","],
  ["lone quote", () => '"'],
  ["lone minus", () => "-"],
  ["object as key", () => '{{"type":"x"}:1}'],
  ["JSONP wrapper", (v) => `callback(${v})`],
  ["XSSI prefix", (v) => `)]}',\n${v}`],
  ["form-encoded body", () => "type=lead.created&data=%7B%7D"],
  ["XML body", () => '<?xml version="1.0"?><type>lead.created</type>'],
  ["NDJSON (two lines)", (v) => `${v}\n${v}\n`],
  ["BOM then malformed", () => '\ufeff{"type":'],
  ["double BOM", (v) => `\ufeff\ufeff${v}`],
  ["unicode-escaped quote as delimiter", () => '{\\u0022type\\u0022:"x"}'],
  ["fullwidth braces", () => '｛"type":"lead.created"｝'],
  ["smart quotes", () => "{“type”:“lead.created”}"],
];

/** Byte sequences no UTF-8 decoder may accept (each named as in the Unicode standard's tables). */
const INVALID_UTF8: ReadonlyArray<readonly [string, readonly number[]]> = [
  ["overlong '/' (C0 AF)", [0xc0, 0xaf]],
  ["overlong NUL (C0 80)", [0xc0, 0x80]],
  ["overlong 3-byte '/' (E0 80 AF)", [0xe0, 0x80, 0xaf]],
  ["overlong 4-byte '/' (F0 80 80 AF)", [0xf0, 0x80, 0x80, 0xaf]],
  ["lone continuation byte (80)", [0x80]],
  ["UTF-16 surrogate encoded (ED A0 80)", [0xed, 0xa0, 0x80]],
  ["code point above U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80]],
  ["5-byte lead (F8 88 80 80 80)", [0xf8, 0x88, 0x80, 0x80, 0x80]],
  ["byte FE", [0xfe]],
  ["byte FF", [0xff]],
  ["truncated 3-byte sequence (E2 82)", [0xe2, 0x82]],
  ["Latin-1 e-acute (E9)", [0xe9]],
];

/**
 * Malformed variants of a valid JSON text: share `k` of `n` of the syntax errors, invalid byte
 * sequences and foreign encodings (so each runs once across `n` sources), plus `truncations`
 * seeded cut points and one run of random bytes.
 */
export function malformedBodies(valid: string, rng: Rng, k: number, n: number, truncations = 3): NamedBody[] {
  const out: NamedBody[] = [];
  for (const [what, make] of share(SYNTAX, k, n)) out.push({ what, body: utf8(make(valid)) });
  const quote = valid.indexOf('"', valid.indexOf(":"));
  for (const [what, bytes] of share(INVALID_UTF8, k, n)) {
    // Inside a string value, where a lenient decoder would silently substitute U+FFFD.
    out.push({
      what: `${what} inside a string`,
      body: concatBytes(valid.slice(0, quote + 1), new Uint8Array(bytes), valid.slice(quote + 1)),
    });
  }
  const foreign: NamedBody[] = [
    { what: "UTF-16LE with BOM", body: utf16le(valid, true) },
    { what: "UTF-16LE without BOM", body: utf16le(valid, false) },
    { what: "UTF-32BE BOM then JSON", body: concatBytes(new Uint8Array([0, 0, 0xfe, 0xff]), valid) },
  ];
  out.push(...share(foreign, k, n));
  for (let i = 0; i < truncations; i++) {
    const cut = rng.int(1, valid.length - 1);
    out.push({ what: `truncated at byte ${cut} of ${valid.length}`, body: utf8(valid.slice(0, cut)) });
  }
  let random = rng.bytes(rng.int(1, 64));
  while (isJson(random)) random = rng.bytes(rng.int(1, 64)); // a lone digit is JSON
  out.push({ what: `${random.length} random bytes`, body: random });
  const bad = out.filter((b) => isJson(b.body));
  if (bad.length > 0) throw new Error(`corpus bug: these "malformed" bodies parse: ${bad.map((b) => b.what).join(", ")}`);
  return dedupe(out);
}

function utf16le(s: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) view.setUint16((at += 2) - 2, 0xfeff, true);
  for (let i = 0; i < s.length; i++) view.setUint16((at += 2) - 2, s.charCodeAt(i), true);
  return out;
}

// Two truncations may land on the same byte; a case name must stay unique.
function dedupe(bodies: NamedBody[]): NamedBody[] {
  const seen = new Set<string>();
  return bodies.filter((b) => {
    if (seen.has(b.what)) return false;
    seen.add(b.what);
    return true;
  });
}
