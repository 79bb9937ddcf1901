import { describe, expect, it } from "vitest";
import en from "zod/v4/locales/en.js";
import * as z from "../../src/lib/zod";

/** A schema of each kind the hub's schemas use, and an input each refuses. */
const CASES: Array<[string, z.ZodMiniType, unknown]> = [
  ["a wrong type", z.object({ a: z.string() }), { a: 1 }],
  ["null", z.string(), null],
  ["an array for an object", z.object({}), []],
  ["a number that is not finite", z.number(), Number.POSITIVE_INFINITY],
  ["NaN", z.number(), Number.NaN],
  ["a fraction for an integer", z.int(), 1.5],
  ["another literal", z.literal("x"), "y"],
  ["a value outside an enum", z.enum(["text", "number"]), "weird"],
  ["a string too long", z.string().check(z.maxLength(3)), "abcd"],
  ["a string too short", z.string().check(z.minLength(3)), "a"],
  ["a number too big", z.number().check(z.lte(200)), 201],
  ["a number too small", z.int().check(z.gte(1)), 0],
  ["zero for a positive number", z.number().check(z.positive()), 0],
  ["an array too long", z.array(z.string()).check(z.maxLength(1)), ["a", "b"]],
  ["a pattern missed", z.string().check(z.regex(/^\d+$/)), "x"],
  ["an email", z.email(), "x"],
  ["a URL", z.url(), "x"],
  ["an ISO date", z.iso.date(), "x"],
  ["an ISO date-time", z.iso.datetime(), "x"],
  ["an unknown key", z.strictObject({ a: z.string() }), { a: "x", b: 1 }],
  ["unknown keys", z.strictObject({}), { b: 1, c: 2 }],
  ["no member of a union", z.union([z.string(), z.number()]), true],
  ["a record's key", z.record(z.enum(["a"]), z.string()), { b: "x" }],
];

const messages = () =>
  CASES.map(([what, schema, input]) => {
    const r = schema.safeParse(input);
    return `${what}: ${r.success ? "accepted" : r.error.issues.map((i) => i.message).join("; ")}`;
  });

describe("the hub's zod messages", () => {
  it("read as zod's own English locale words them, for every kind of issue the hub's schemas raise", () => {
    const ours = messages();
    z.config(en());
    try {
      expect(ours).toEqual(messages());
    } finally {
      z.config({ localeError: z.hubErrorMap });
    }
  });
});
