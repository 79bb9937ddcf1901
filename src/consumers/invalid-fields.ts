import { driftAlerts } from "../alerts/drift";
import { fireAlert } from "../alerts";
import type { BrokerageConfig } from "../config/brokerage";
import { driftStatement } from "../store/drift";

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
  if (!fields || fields.length === 0) return;
  const now = Date.now();
  const found = fields.map((field) => ({ source: system, field: `fields.${field}`, kind: "value_invalid" }));
  await env.DB.batch(found.map((d) => driftStatement(env.DB, { ...d, seenAt: now })));
  for (const alert of driftAlerts(deliveryId, found)) await fireAlert(env, alert, config.alerts.minIntervalSeconds);
}
