import * as z from "../lib/zod";

/**
 * The golden record's stored shape: every field with its provenance (the value, the system that
 * gave it, and when that system says it changed). Parsed on every read, so a corrupt stored
 * record is refused where it is read instead of being merged into and written back.
 */
export const Provenance = z.object({
  value: z.unknown(),
  system: z.string().check(z.minLength(1)),
  /** ISO time the source says the value changed. */
  at: z.string(),
});
export type Provenance = z.infer<typeof Provenance>;

export const GoldenFields = z.record(z.string(), Provenance);
export type GoldenFields = z.infer<typeof GoldenFields>;

/** The code a stored golden record that does not parse is refused with, wherever it is read. */
export const GOLDEN_RECORD_CORRUPT = "golden_record_corrupt";

/** A stored golden record that is not valid JSON, or not the golden shape: nothing may build on it. */
export class CorruptRecordError extends Error {
  override readonly name = "CorruptRecordError";
  readonly code = GOLDEN_RECORD_CORRUPT;
  constructor(
    readonly recordId: string,
    readonly reason: string,
  ) {
    super(`golden record ${recordId} is corrupt (${reason}); it was left as stored`);
  }
}

/** The fields of a stored golden record; throws CorruptRecordError when the text is not one. */
export function parseGoldenFields(recordId: string, text: string): GoldenFields {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(recordId, "fields are not JSON");
  }
  const parsed = GoldenFields.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptRecordError(recordId, `fields ${issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid"}`);
  }
  return parsed.data;
}
