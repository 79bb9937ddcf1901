/**
 * JSON Schema of each canonical event type, for anyone who consumes the hub's events without
 * TypeScript. `npm run schema` writes these to `schema/`; a test keeps the files in step.
 */
import * as z from "../lib/zod";
import { Envelope, EVENT_SCHEMAS, EventType } from "./events";
import { Cents } from "./primitives";

const BASE_ID = "https://dealwire.dev/schema/";

/** JSON Schema of each of the brokerage's declared fields, by name. */
export type DeclaredFields = Readonly<Record<string, Record<string, unknown>>>;

/**
 * Replaces every deal's open `custom` map with the declared fields (each with its own type), so a
 * consumer validates the brokerage's fields as strictly as the standard ones.
 */
function declare(node: unknown, declared: DeclaredFields): unknown {
  if (Array.isArray(node)) return node.map((n) => declare(n, declared));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = declare(v, declared);
  const props = out.properties as Record<string, unknown> | undefined;
  if (props && "custom" in props && "participants" in props) {
    props.custom = {
      type: "object",
      description: "The brokerage's own fields (config `fields`)",
      properties: { ...declared },
      additionalProperties: false,
    };
  }
  return out;
}

/** What the canonical schemas that need words mean, attached when the files are generated. */
const SCHEMA_DOCS: ReadonlyArray<readonly [z.ZodMiniType, string]> = [
  [Cents, "Amount in integer cents (USD)"],
  [
    Envelope.shape.recordVersion.def.innerType,
    "Version of the hub's golden record this change carries; larger for every later change of the record",
  ],
];

/** The JSON Schema (draft 2020-12) of one event type, with a stable `$id` and `title`. */
export function eventJsonSchema(type: EventType, declared: DeclaredFields = {}): Record<string, unknown> {
  z.describeSchemas(SCHEMA_DOCS);
  const schema = declare(z.toJSONSchema(EVENT_SCHEMAS[type], { target: "draft-2020-12" }), declared) as Record<string, unknown>;
  return { ...schema, $id: `${BASE_ID}${type}.json`, title: type };
}

/** Which queues subscribe to each event type (the routing table of `src/queues/routing.ts`). */
export type Subscribers = Readonly<Record<EventType, readonly string[]>>;

/** The index of all event schemas: type, file name and subscriber queues. */
export function schemaIndex(subscribers: Subscribers): Record<string, unknown> {
  return {
    $id: `${BASE_ID}index.json`,
    schemaVersion: 1,
    events: EventType.options.map((type) => ({
      type,
      schema: `${type}.json`,
      subscribers: subscribers[type],
    })),
  };
}

/** Every file `schema/` must hold, by file name. */
export function schemaFiles(subscribers: Subscribers, declared: DeclaredFields = {}): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = { "index.json": schemaIndex(subscribers) };
  for (const type of EventType.options) files[`${type}.json`] = eventJsonSchema(type, declared);
  return files;
}
