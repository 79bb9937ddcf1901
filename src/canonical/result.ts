/** Parse results as values: schema failures become a code plus paths, never an exception. */
import type * as z from "../lib/zod";

export interface SchemaIssue {
  path: string;
  message: string;
}

export type Result<T, C extends string = string> = { ok: true; value: T } | { ok: false; code: C; message: string; issues: SchemaIssue[] };

/** Flattens zod issues to `{ path: "data.person.emails.0.value", message }`. */
export function schemaIssues(error: z.core.$ZodError): SchemaIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** Runs `schema.safeParse` and returns a Result with `code` on failure. */
export function parseWith<S extends z.ZodMiniType, C extends string>(schema: S, input: unknown, code: C): Result<z.output<S>, C> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issues = schemaIssues(r.error);
  const first = issues[0];
  const message = first ? `${first.path || "(root)"}: ${first.message}` : "invalid";
  return { ok: false, code, message, issues };
}
