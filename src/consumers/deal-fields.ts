/**
 * The brokerage's own fields on a deal, between the consumers and the golden deal: drift when a
 * vendor's record holds fields no declaration maps or values that do not fit theirs, and the
 * values a change writes to the other system.
 */
import { driftAlerts } from "../alerts/drift";
import { fireAlert } from "../alerts";
import type { BrokerageConfig } from "../config/brokerage";
import { currentValues, fromGolden, type CustomValues } from "../mapping/custom-fields";
import { maskSample } from "../mapping/mask";
import { getDeal } from "../store/deals";
import { driftStatement, type DriftInput } from "../store/drift";
import { parseFields } from "../store/people";
import { traceStatement } from "../store/traces";
import { ok, type Result } from "../lib/result";

/** Records what one delivery's record showed as drift, and raises the drift alerts for it. */
async function noteDrift(env: Env, config: BrokerageConfig, deliveryId: string, found: Omit<DriftInput, "seenAt">[]): Promise<void> {
  if (found.length === 0) return;
  const now = Date.now();
  await env.DB.batch(found.map((d) => driftStatement(env.DB, { ...d, seenAt: now })));
  for (const alert of driftAlerts(deliveryId, found)) await fireAlert(env, alert, config.alerts.minIntervalSeconds);
}

/**
 * Custom fields holding values on a CRM deal that no declared field maps (nor the transaction id):
 * drift, recorded and alerted like a new webhook field, with the alert pointing at the mapping audit.
 */
export async function noteUnmappedFields(
  env: Env,
  config: BrokerageConfig,
  system: string,
  deliveryId: string,
  custom: Readonly<Record<string, unknown>>,
): Promise<void> {
  const mapped = new Set([
    config.transactionIdField,
    ...Object.values(config.fields).flatMap((d) => (d.followupboss?.deal ? [d.followupboss.deal] : [])),
  ]);
  const found = Object.entries(custom)
    .filter(([k, v]) => !mapped.has(k) && v !== null && v !== undefined && v !== "")
    .map(([field, v]) => ({ source: system, field: `deal.${field}`, kind: "unknown_field", sample: maskSample(v) }));
  await noteDrift(env, config, deliveryId, found);
}

/**
 * The brokerage's fields a vendor record held values of that did not fit their declared type (an
 * agent's "3%" in a money field): left out of the golden record, so the other systems keep the
 * older value. Recorded as drift (`value_invalid`, by field name, never by value) and alerted,
 * once per source and kind as drift is, so the operator learns of it rather than the agent later.
 */
export async function noteInvalidFields(
  env: Env,
  config: BrokerageConfig,
  system: string,
  deliveryId: string,
  fields: readonly string[] | undefined,
): Promise<void> {
  await noteDrift(
    env,
    config,
    deliveryId,
    (fields ?? []).map((field) => ({ source: system, field: `fields.${field}`, kind: "value_invalid" })),
  );
}

/** The values a change of the named fields writes: the golden deal's as they are now (`currentValues`). */
export async function currentDealValues(db: D1Database, dealId: string, named: CustomValues): Promise<CustomValues> {
  return currentValues(named, fromGolden(parseFields(await getDeal(db, dealId))));
}

/**
 * Writes the owner's values back to a system whose copy of owned fields (golden keys, from
 * `overruled`) disagrees, as the golden deal holds them now, and traces it. True if it wrote.
 */
export async function restoreOwned(
  db: D1Database,
  dealId: string,
  fields: readonly string[],
  by: { system: string; deliveryId: string; now: number; ownership: Readonly<Record<string, string>> },
  write: (values: CustomValues) => Promise<Result<unknown>>,
): Promise<Result<boolean>> {
  const owned = fields.filter((k) => k.startsWith("custom."));
  if (owned.length === 0) return ok(false);
  const golden = fromGolden(parseFields(await getDeal(db, dealId)));
  const values: CustomValues = {};
  for (const k of owned) {
    const name = k.slice("custom.".length);
    const v = golden[name];
    if (v !== undefined) values[name] = v;
  }
  if (Object.keys(values).length === 0) return ok(false);
  const r = await write(values);
  if (!r.ok) return r;
  const which = Object.keys(values)
    .map((name) => `${name} (owned by ${by.ownership[`custom.${name}`]})`)
    .join(", ");
  await db.batch([
    traceStatement(db, {
      subject: dealId,
      deliveryId: by.deliveryId,
      stage: "FIELDS_RESTORED",
      detail: `${by.system}: ${which}`.slice(0, 500),
      at: by.now,
    }),
  ]);
  return ok(true);
}
