/**
 * JSON Schema of each canonical event type, for anyone who consumes the hub's events without
 * TypeScript. `npm run schema` writes these to `schema/`; a test keeps the files in step.
 */
import * as z from "zod";
import { EVENT_SCHEMAS, EventType } from "./events";
import { SUBSCRIBERS } from "./routing";

const BASE_ID = "https://dealwire.dev/schema/";

/** The JSON Schema (draft 2020-12) of one event type, with a stable `$id` and `title`. */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  const schema = z.toJSONSchema(EVENT_SCHEMAS[type], { target: "draft-2020-12" });
  return { ...schema, $id: `${BASE_ID}${type}.json`, title: type };
}

/** The index of all event schemas: type, file name and subscriber queues. */
export function schemaIndex(): Record<string, unknown> {
  return {
    $id: `${BASE_ID}index.json`,
    schemaVersion: 1,
    events: EventType.options.map((type) => ({
      type,
      schema: `${type}.json`,
      subscribers: SUBSCRIBERS[type],
    })),
  };
}

/** Every file `schema/` must hold, by file name. */
export function schemaFiles(): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = { "index.json": schemaIndex() };
  for (const type of EventType.options) files[`${type}.json`] = eventJsonSchema(type);
  return files;
}
