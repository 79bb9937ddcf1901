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
  /**
   * What a system held for this field when the hub last read its record, by system. Read again
   * holding the same, the field is not that system's change, however late the record's stamp: a
   * CRM deal's stamp moves with any write to it, the hub's own too.
   */
  held: z.optional(z.record(z.string(), z.unknown())),
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

/**
 * The enriched facts kept beside a golden person's fields (a provider's answer, where it came from
 * and when), never over what the person or a vendor supplied.
 */
export const EnrichedFields = z.record(
  z.string(),
  z.object({ value: z.unknown(), source: z.string().check(z.minLength(1)), at: z.string() }),
);
export type EnrichedFields = z.infer<typeof EnrichedFields>;

/** `text` parsed as `schema`; throws CorruptRecordError naming `what` when it is not one. */
function parseStored<S extends z.ZodMiniType>(schema: S, recordId: string, what: string, text: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(recordId, `${what} are not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptRecordError(
      recordId,
      `${what} ${issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid"}`,
    );
  }
  return parsed.data;
}

/** The fields of a stored golden record; throws CorruptRecordError when the text is not one. */
export function parseGoldenFields(recordId: string, text: string): GoldenFields {
  return parseStored(GoldenFields, recordId, "fields", text);
}

/** The enriched facts of a stored golden person; throws CorruptRecordError when the text is not one. */
export function parseEnrichedFields(recordId: string, text: string): EnrichedFields {
  return parseStored(EnrichedFields, recordId, "enriched facts", text);
}
