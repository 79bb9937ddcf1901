import { parseEnrichedFields } from "../canonical/golden";
import { log } from "../lib/log";
import { ok, type Result } from "../lib/result";
import { getEnrichment, parseFields, setEnrichment } from "../store/people";
import { enrichmentPlan } from "./plan";
import type { EnrichmentProvider } from "./provider";

/**
 * Enriches one golden person on demand. Results land in the parallel `enriched` record with their
 * source and time, never over what the person or a vendor supplied.
 */
export async function enrichPerson(
  db: D1Database,
  provider: EnrichmentProvider,
  personId: string,
  now = Date.now(),
): Promise<Result<string[]>> {
  const row = await getEnrichment(db, personId);
  if (!row) return ok([]);
  // Parsed like the golden fields: a corrupt record is refused (CorruptRecordError), never
  // enriched into and written back as only the new facts.
  const enriched = parseEnrichedFields(personId, row.enriched);
  const plan = enrichmentPlan(parseFields({ id: personId, fields: row.fields }), enriched);
  const added: string[] = [];
  const at = new Date(now).toISOString();
  if (plan.property) {
    const r = await provider.property(plan.property);
    if (!r.ok) return r;
    if (r.value) {
      const { source, ...facts } = r.value;
      enriched.enriched_property = { value: facts, source, at };
      added.push("enriched_property");
    }
  }
  for (const phone of plan.phones) {
    const r = await provider.phone(phone);
    if (!r.ok) return r;
    const { source, ...facts } = r.value;
    enriched[`enriched_phone:${phone}`] = { value: facts, source, at };
    added.push(`enriched_phone:${phone}`);
  }
  if (added.length) {
    await setEnrichment(db, personId, enriched);
    log("info", "enriched", { personId, fields: added.length });
  }
  return ok(added);
}
