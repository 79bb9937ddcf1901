/**
 * Validly signed deliveries carrying hostile data: SQL and script injection strings, unicode
 * tricks, wrong types outside the envelope, deep nesting and huge values under the cap. The
 * intake must accept them as data (202), store them verbatim and execute nothing.
 */
import { concatBytes } from "./json-breakers";
import { HOSTILE_STRINGS, SQL_STRINGS, headerSafe } from "./hostile";
import { fixedSample } from "./samples";
import { signedHeaders, SOURCES, STANDARD_SOURCES, type Source } from "./signing";

/** One delivery that must be accepted and stored as sent. */
export interface AcceptedCase {
  name: string;
  source: Source;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** The JSON value the delivery carries (what the stored payload must parse to). */
  value: unknown;
}

/** The field naming the event, kept when hostile data goes only into the data fields. */
const EVENT_KEY: Record<Source, string | undefined> = {
  standard: "type",
  zillow: "type",
  realtor: "type",
  idx: "type",
  followupboss: "event",
  dotloop: "eventType",
  quickbooks: undefined,
  docusign: "event",
};

/** Every string leaf replaced by `s`, except the event name when `keepEvent` (so mapping runs). */
function infuse(value: unknown, s: string, keepEvent: string | undefined, key?: string): unknown {
  if (typeof value === "string") return key !== undefined && key === keepEvent ? value : s;
  if (Array.isArray(value)) return value.map((v) => infuse(v, s, keepEvent));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, infuse(v, s, keepEvent, k)]));
  }
  return value;
}

// Outside the envelope the intake checks nothing: these fields are the mapper's to judge.
const WRONG_TYPES: Record<Source, ReadonlyArray<readonly [string, unknown]>> = {
  standard: [
    ["data = null", { type: "person.upserted", data: null }],
    ["data = []", { type: "person.upserted", data: [] }],
  ],
  zillow: [
    ["data = 42", { type: "lead.created", data: 42 }],
    ["listing = [true]", { type: "lead.created", data: { contact_name: "Ana", listing: [true] } }],
  ],
  realtor: [
    ['contact = "x"', { type: "lead.created", data: { lead_id: "r-wt", contact: "x" } }],
    ["timestamp = {}", { type: "lead.created", timestamp: {}, data: {} }],
  ],
  idx: [
    ["email = 12345", { type: "lead.created", data: { email: 12345, phone: { n: 1 } } }],
    ['data = ""', { type: "lead.created", data: "" }],
  ],
  followupboss: [
    ['resourceIds = [null, {}, "x"]', { event: "peopleUpdated", eventId: "fub-wt-1", resourceIds: [null, {}, "x"] }],
    ["uri = 7", { event: "peopleUpdated", eventId: "fub-wt-2", uri: 7 }],
  ],
  dotloop: [
    ["event.loopId = []", { eventType: "LOOP_UPDATED", eventId: "dl-wt-1", event: { loopId: [] } }],
    ['timestamp = "soon"', { eventType: "LOOP_UPDATED", eventId: "dl-wt-2", timestamp: "soon", event: {} }],
  ],
  quickbooks: [
    [
      "entity id = {}",
      { eventNotifications: [{ realmId: null, dataChangeEvent: { entities: [{ name: 1, id: {}, operation: [], lastUpdated: false }] } }] },
    ],
    ['dataChangeEvent = "x"', { eventNotifications: [{ realmId: "1", dataChangeEvent: "x" }] }],
  ],
  docusign: [
    ["envelopeId = 1", { event: "envelope-completed", data: { envelopeId: 1, envelopeSummary: [] } }],
    ["data = {}", { event: "envelope-completed", data: {} }],
  ],
};

const deep = (n: number): unknown => {
  let v: unknown = "bottom";
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

async function accepted(
  name: string,
  source: Source,
  value: unknown,
  n: number,
  opts: { id?: string; bytes?: Uint8Array } = {},
): Promise<AcceptedCase> {
  const body = opts.bytes ?? JSON.stringify(value);
  const headers = await signedHeaders(source, body, { id: opts.id ?? `msg_hostile_${n}` });
  return { name: `${source}: ${name}`, source, headers, body, value };
}

/** The whole hostile-data set (deterministic apart from the signing clock). */
export async function acceptedCases(): Promise<AcceptedCase[]> {
  const out: AcceptedCase[] = [];
  let n = 0;
  for (const [i, s] of HOSTILE_STRINGS.entries()) {
    const label = JSON.stringify(s.slice(0, 24));
    const everywhere = SOURCES[i % SOURCES.length] ?? "idx";
    const all = infuse(JSON.parse(fixedSample(everywhere, `h${i}`)), s, undefined);
    out.push(await accepted(`hostile string ${label} in every field`, everywhere, all, n++));
    const dataOnly = SOURCES[(i + 3) % SOURCES.length] ?? "idx";
    const data = infuse(JSON.parse(fixedSample(dataOnly, `h${i}`)), s, EVENT_KEY[dataOnly] ?? "operation");
    out.push(await accepted(`hostile string ${label} in every data field`, dataOnly, data, n++));
  }
  for (const [i, s] of SQL_STRINGS.filter(headerSafe).entries()) {
    const source = STANDARD_SOURCES[i % STANDARD_SOURCES.length] ?? "idx";
    out.push(
      await accepted(
        `SQL string as the webhook-id: ${JSON.stringify(s.slice(0, 24))}`,
        source,
        JSON.parse(fixedSample(source, `sqlid${i}`)),
        n++,
        { id: s },
      ),
    );
  }
  for (const source of SOURCES) {
    for (const [what, value] of WRONG_TYPES[source])
      out.push(await accepted(`wrong type outside the envelope, ${what}`, source, value, n++));
  }
  out.push(
    await accepted("data nested 1,000 deep", "idx", { type: "lead.created", data: { firstName: "Deep", nested: deep(1_000) } }, n++),
  );
  // The intake refuses nesting beyond 1,024 levels (see hooks-body); this is exactly at the limit.
  out.push(await accepted("nested exactly 1,024 levels", "realtor", { type: "lead.created", data: deep(1_023) }, n++));
  // Ids too long or too odd for a KV key as they are (the intake hashes those).
  const long = "l".repeat(600);
  out.push(await accepted("a 600-byte webhook-id", "standard", JSON.parse(fixedSample("standard", "long-id")), n++, { id: `msg_${long}` }));
  out.push(
    await accepted("a 600-byte eventId", "followupboss", { event: "peopleUpdated", eventId: `fub-${long}`, resourceIds: [101] }, n++),
  );
  out.push(
    await accepted("a 600-byte eventId", "dotloop", { eventType: "LOOP_UPDATED", eventId: `dl-${long}`, event: { id: "34308" } }, n++),
  );
  out.push(
    await accepted(
      "a 150 KB string (spooled, over the 96 KB queue limit)",
      "zillow",
      { type: "lead.created", data: { contact_name: "Big Note", message: "m".repeat(150 * 1024) } },
      n++,
    ),
  );
  out.push(
    await accepted(
      "an array of 20,000 numbers in data",
      "realtor",
      { type: "lead.created", data: { lead_id: "r-arr", scores: Array.from({ length: 20_000 }, (_, k) => k % 7) } },
      n++,
    ),
  );
  const atCap = { type: "lead.created", data: { lead_id: "r-cap", note: "" } };
  atCap.data.note = "c".repeat(256 * 1024 - JSON.stringify(atCap).length);
  out.push(await accepted("exactly 262,144 bytes", "standard", atCap, n++));
  const bomValue = JSON.parse(fixedSample("idx", "bom"));
  out.push(
    await accepted("UTF-8 BOM before the JSON (RFC 8259 allows ignoring it)", "idx", bomValue, n++, {
      bytes: concatBytes(new Uint8Array([0xef, 0xbb, 0xbf]), JSON.stringify(bomValue)),
    }),
  );
  // Deliveries that map to no events at all: recorded as normalized.
  out.push(
    await accepted(
      "DocuSign envelope-sent (a routine event)",
      "docusign",
      { ...JSON.parse(fixedSample("docusign", "sent")), event: "envelope-sent" },
      n++,
    ),
  );
  out.push(
    await accepted(
      "Dotloop endpoint test event",
      "dotloop",
      { eventType: "WEBHOOK_ENDPOINT_TEST_EVENT", eventId: "dl-endpoint-test" },
      n++,
    ),
  );
  return out;
}
