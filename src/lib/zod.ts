/**
 * The hub's zod: zod/mini (functions and checks instead of method chains), which lets esbuild
 * bundle only the schema kinds the hub uses. Import it as `import * as z from "../lib/zod"`.
 */
import { config, globalRegistry, type ZodMiniType } from "zod/mini";
import type { $ZodErrorMap } from "zod/v4/core";

const SIZED: Record<string, string> = { string: "characters", array: "items", set: "items", map: "entries" };
const bound = (origin: string | undefined, op: string, n: number | bigint) =>
  `expected ${origin ?? "value"} to ${SIZED[origin ?? ""] ? `have ${op}${n} ${SIZED[origin ?? ""]}` : `be ${op}${n}`}`;
const typeOf = (x: unknown) =>
  x === null ? "null" : Array.isArray(x) ? "array" : typeof x === "number" && !Number.isFinite(x) ? String(x) : typeof x;
/** The string formats the hub's schemas check, named as zod names them. */
const FORMATS: Record<string, string> = { email: "email address", url: "URL", date: "ISO date", datetime: "ISO datetime" };

/**
 * English messages for the issues the hub's schemas raise, worded as zod's own English locale
 * words them. That locale names every string format and size unit zod knows and costs a kilobyte
 * of the Worker's bundle; these are the ones a 422 or a configuration error can carry here.
 */
export const hubErrorMap: $ZodErrorMap = (i) => {
  switch (i.code) {
    case "invalid_type":
      return `Invalid input: expected ${i.expected}, received ${typeOf(i.input)}`;
    case "invalid_value":
      return i.values.length === 1
        ? `Invalid input: expected ${JSON.stringify(i.values[0])}`
        : `Invalid option: expected one of ${i.values.map((v) => JSON.stringify(v)).join("|")}`;
    case "too_big":
      return `Too big: ${bound(i.origin, i.exact ? "exactly " : i.inclusive ? "<=" : "<", i.maximum)}`;
    case "too_small":
      return `Too small: ${bound(i.origin, i.exact ? "exactly " : i.inclusive ? ">=" : ">", i.minimum)}`;
    case "invalid_format":
      return i.format === "regex" ? `Invalid string: must match pattern ${i.pattern}` : `Invalid ${FORMATS[i.format] ?? i.format}`;
    case "unrecognized_keys":
      return `Unrecognized key${i.keys.length > 1 ? "s" : ""}: ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    default:
      return "Invalid input";
  }
};
config({ localeError: hubErrorMap });

/**
 * Attaches words to schemas, for the JSON Schema and OpenAPI generators: they call it before
 * converting, so the Worker validates with the same schemas and never carries the words.
 */
export function describeSchemas(docs: ReadonlyArray<readonly [ZodMiniType, string]>): void {
  for (const [schema, description] of docs) globalRegistry.add(schema, { description });
}

export * from "zod/mini";
