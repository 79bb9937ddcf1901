/**
 * Well-formed JSON that is not the source's envelope: wrong types in every envelope field, the
 * required key missing or disguised (zero-width, RTL, fullwidth, homoglyph, `__proto__`), and
 * top-level values that are not objects. Written as JSON text so duplicate keys can be expressed.
 *
 * The envelopes (src/routes/hooks/envelopes.ts): Standard Webhooks sources need `type` (string)
 * and `data`; Follow Up Boss `event` (string), optional `eventId` (string) and `resourceIds`
 * (array); Dotloop `eventType` (string), optional `eventId` (string) and `event` (object);
 * QuickBooks `eventNotifications` (array of objects) or a non-empty CloudEvents array of
 * `{id, type}` strings; DocuSign `event` (string) and optional `data` (object).
 */
import { share } from "./rng";
import type { Source } from "./signing";

export interface NamedText {
  what: string;
  text: string;
}

/** JSON values of every type but the one named, for "wrong type" cases. */
const NOT_STRING = ["1", "0", "-1", "1.5", "1e308", "null", "true", "false", "[]", '["lead.created"]', "{}", '{"$ne":null}'];
const NOT_ARRAY = ['"101"', "101", "{}", "null", "true", '{"0":101}'];
const NOT_OBJECT = ['"x"', "1", "null", "true", "false"];
const NOT_ENVELOPE = ["[]", "[1,2,3]", '"lead.created"', "42", "null", "true", "false", "{}", '""', "-0", "1e999"];

/** The required string key of each source (absent for QuickBooks, whose envelope is an array field). */
const REQUIRED_KEY: Record<Source, string | undefined> = {
  standard: "type",
  zillow: "type",
  realtor: "type",
  idx: "type",
  followupboss: "event",
  dotloop: "eventType",
  quickbooks: undefined,
  docusign: "event",
};

/** The rest of a minimal valid body of each source (so only the named field is wrong). */
const REST: Record<Source, string> = {
  standard: '"data":{"firstName":"Ana"}',
  zillow: '"data":{"contact_name":"Ana Ruiz"}',
  realtor: '"data":{"lead_id":"r-1"}',
  idx: '"data":{"firstName":"Sam"}',
  followupboss: '"eventId":"fub-bad","resourceIds":[101]',
  dotloop: '"eventId":"dl-bad","event":{"id":"34308"}',
  quickbooks: "",
  docusign: '"data":{"envelopeId":"env-bad"}',
};

// Keys that look like the required one to a human but are other strings to a parser.
function disguises(key: string): NamedText[] {
  const d = (what: string, k: string): NamedText => ({ what: `key ${what}`, text: `{${JSON.stringify(k)}:"lead.created"` });
  return [
    d("upper-cased", key.toUpperCase()),
    d("with trailing space", `${key} `),
    d("with zero-width space", `${key.slice(0, 2)}\u200b${key.slice(2)}`),
    d("with zero-width joiner", `\u200d${key}`),
    d("reversed behind RTL override", `\u202e${[...key].reverse().join("")}`),
    d("in fullwidth letters", [...key].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("")),
    d("with Cyrillic homoglyph", key.replace("e", "\u0435").replace("t", "\u0442")),
    d("with BOM", `\ufeff${key}`),
    d("with NUL", `${key}\u0000`),
  ];
}

/**
 * The envelope violations of `source`, as JSON text: every wrong type of every field, and share
 * `k` of `n` of the source-independent ones (top-level non-envelopes, disguised keys).
 */
export function envelopeViolations(source: Source, k: number, n: number): NamedText[] {
  const out: NamedText[] = share(NOT_ENVELOPE, k, n).map((t) => ({ what: `top-level ${t}`, text: t }));
  const key = REQUIRED_KEY[source];
  const rest = REST[source];
  if (key !== undefined) {
    const obj = (inner: string) => `{${[inner, rest].filter(Boolean).join(",")}}`;
    for (const t of share(NOT_STRING, k, 2)) out.push({ what: `${key} = ${t}`, text: obj(`"${key}":${t}`) });
    out.push({ what: `${key} missing`, text: obj("") });
    out.push({ what: `${key} only inside a nested object`, text: `{"wrapper":{"${key}":"x"}${rest ? `,${rest}` : ""}}` });
    out.push({ what: `${key} duplicated, last one a number`, text: obj(`"${key}":"lead.created","${key}":7`) });
    out.push({ what: `${key} behind __proto__`, text: obj(`"__proto__":{"${key}":"lead.created"}`) });
    for (const d of share(disguises(key), k, n)) out.push({ what: d.what, text: `${d.text}${rest ? `,${rest}` : ""}}` });
  }
  switch (source) {
    case "standard":
    case "zillow":
    case "realtor":
    case "idx":
      out.push({ what: "data missing", text: '{"type":"lead.created"}' });
      break;
    case "followupboss":
      for (const t of NOT_STRING) out.push({ what: `eventId = ${t}`, text: `{"event":"peopleUpdated","eventId":${t}}` });
      for (const t of NOT_ARRAY) out.push({ what: `resourceIds = ${t}`, text: `{"event":"peopleUpdated","resourceIds":${t}}` });
      break;
    case "dotloop":
      for (const t of NOT_STRING) out.push({ what: `eventId = ${t}`, text: `{"eventType":"LOOP_UPDATED","eventId":${t}}` });
      for (const t of NOT_OBJECT) out.push({ what: `event = ${t}`, text: `{"eventType":"LOOP_UPDATED","event":${t}}` });
      break;
    case "docusign":
      for (const t of NOT_OBJECT) out.push({ what: `data = ${t}`, text: `{"event":"envelope-completed","data":${t}}` });
      break;
    case "quickbooks":
      for (const t of ["null", '"x"', "1", "true", "{}"])
        out.push({ what: `eventNotifications = ${t}`, text: `{"eventNotifications":${t}}` });
      for (const t of ["1", '"x"', "null", "true"])
        out.push({ what: `eventNotifications = [${t}]`, text: `{"eventNotifications":[${t}]}` });
      out.push({ what: "eventNotifications missing", text: '{"realmId":"9130350000000001"}' });
      out.push({ what: "eventNotifications upper-cased", text: '{"EventNotifications":[]}' });
      out.push({ what: "CloudEvents: empty batch", text: "[]" });
      for (const t of NOT_STRING.filter((x) => x !== "[]"))
        out.push({ what: `CloudEvents: id = ${t}`, text: `[{"id":${t},"type":"qbo.invoice.created.v1"}]` });
      for (const t of NOT_STRING.filter((x) => x !== "[]"))
        out.push({ what: `CloudEvents: type = ${t}`, text: `[{"id":"ce-1","type":${t}}]` });
      out.push({ what: "CloudEvents: id missing", text: '[{"type":"qbo.invoice.created.v1"}]' });
      out.push({ what: "CloudEvents: type missing", text: '[{"id":"ce-1"}]' });
      out.push({ what: "CloudEvents: one good, one bad", text: '[{"id":"ce-1","type":"x"},{"id":2,"type":"x"}]' });
      for (const t of ["null", "1", '"x"', "[]"]) out.push({ what: `CloudEvents: element ${t}`, text: `[${t}]` });
      break;
  }
  return out;
}

/**
 * Arrays where the envelope declares an object (Dotloop `event`, DocuSign `data`, QuickBooks
 * `eventNotifications` entries). Refusing them is what the envelope says; see the known-bug tests.
 */
export function arraysForObjects(source: Source): NamedText[] {
  switch (source) {
    case "dotloop":
      return [{ what: "event = [1,2]", text: '{"eventType":"LOOP_UPDATED","eventId":"dl-arr","event":[1,2]}' }];
    case "docusign":
      return [{ what: "data = []", text: '{"event":"envelope-completed","data":[]}' }];
    case "quickbooks":
      return [{ what: "eventNotifications = [[1]]", text: '{"eventNotifications":[[1]]}' }];
    default:
      return [];
  }
}

/**
 * A body whose required field holds `value` (JSON text) and is otherwise valid; for QuickBooks
 * the field is `eventNotifications`, which must be an array of objects.
 */
export function withRequiredField(source: Source, value: string): string {
  const key = REQUIRED_KEY[source] ?? "eventNotifications";
  const rest = REST[source];
  return `{"${key}":${value}${rest ? `,${rest}` : ""}}`;
}
