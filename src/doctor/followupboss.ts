import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { FollowUpBossClient } from "../vendors/followupboss/client";
import { FUB_HOOK_EVENTS, listFubWebhooks } from "../vendors/followupboss/webhooks";
import { connectionFor } from "../vendors/registry";
import { Sheet } from "./sheet";
import {
  credentialsAccepted,
  dealFieldExists,
  failed,
  mappedFieldsExist,
  mappedStagesExist,
  said,
  systemKeyAccepted,
  triggerStageExists,
  webhooksPointHere,
} from "./verdicts";

/** `customTransactionID` → `Transaction ID`: the label Follow Up Boss derives the key from. */
const labelOf = (field: string) => field.replace(/^custom/, "").replace(/([a-z])([A-Z])/g, "$1 $2");

/**
 * Follow Up Boss, read-only: the API key (sent without the system headers, so a refused system
 * key is told apart), the system key (on GET /v1/webhooks, which requires it), the deal field the
 * transaction id goes to, the trigger and mapped stages, and the webhook registrations.
 */
export async function checkFollowUpBoss(env: Env, conn: ConnectionConfig, config: BrokerageConfig, hubUrl: string): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "followupboss");
  const { system, systemKey, ...plain } = conn.credentials;
  const bare = new FollowUpBossClient(connectionFor(env, { ...conn, credentials: plain }));
  const full = connectionFor(env, conn);

  const key = sheet.add(
    "credentials",
    "API key accepted",
    credentialsAccepted(
      await bare.ping(),
      `Set the API key of ${conn.id} (FOLLOWUPBOSS_API_KEY) to a key from Follow Up Boss → Admin → API, made by the account Owner (webhooks need the Owner's key).`,
    ),
  );
  if (key.status !== "pass") {
    sheet.skip("API key accepted", [
      ["system_key", "System key accepted"],
      ["transaction_field", "Transaction id deal field exists"],
      ["mapped_fields", "Mapped custom fields exist"],
      ["trigger_stage", "Trigger stage exists"],
      ["mapped_stages", "Mapped stages exist"],
      ["webhooks", "Webhooks point at this hub"],
    ]);
    return sheet;
  }

  const hooks = system && systemKey ? await listFubWebhooks(full) : null;
  const systemFix = `Register the hub as a system at https://apps.followupboss.com/system-registration and set ${conn.id}'s system and systemKey (FOLLOWUPBOSS_SYSTEM, FOLLOWUPBOSS_SYSTEM_KEY) to its name and key. A 403 with a registered system: the API key is not the Owner's.`;
  const sys = sheet.add(
    "system_key",
    "System key accepted",
    systemKeyAccepted({ system, systemKey }, hooks ?? { ok: true, value: null }, systemFix),
  );

  const field = config.transactionIdField;
  const fields = await bare.listDealCustomFields();
  const fieldFix = `In Follow Up Boss → Admin → Custom Fields → Deal fields, add a text field labelled "${labelOf(field)}" (key ${field}), or set transactionIdField in config/brokerage.json to the key of an existing deal field.`;
  sheet.add(
    "transaction_field",
    "Transaction id deal field exists",
    fields.ok ? dealFieldExists(field, fields.value, fieldFix) : failed(said(fields.error), fieldFix),
  );

  // The brokerage's own fields: a deal or person write carrying a field the account lacks is refused.
  const declared = Object.entries(config.fields ?? {});
  const wantDeal = declared.flatMap(([f, d]) => (d.followupboss?.deal ? [{ field: f, key: d.followupboss.deal }] : []));
  const wantPerson = declared.flatMap(([f, d]) => (d.followupboss?.person ? [{ field: f, key: d.followupboss.person }] : []));
  const people = wantPerson.length > 0 ? await bare.listCustomFields("person") : ({ ok: true, value: [] } as const);
  const mappedFix = (missing: string[]) =>
    `In Follow Up Boss → Admin → Custom Fields, add ${missing.join(", ")}, or change or remove those entries of fields in config/brokerage.json (the shipped file's fields are examples).`;
  const wanted = [...wantDeal, ...wantPerson];
  const listFailed = (e: Parameters<typeof said>[0]) => failed(said(e), mappedFix(wanted.map((w) => w.key)));
  const mappedVerdict = !fields.ok
    ? listFailed(fields.error)
    : !people.ok
      ? listFailed(people.error)
      : // Each among its own record's fields: a deal write carrying a person field's key is refused too.
        mappedFieldsExist(
          [...wantDeal.map((w) => ({ ...w, among: fields.value })), ...wantPerson.map((w) => ({ ...w, among: people.value }))],
          mappedFix,
        );
  sheet.add("mapped_fields", "Mapped custom fields exist", mappedVerdict);

  const pipelines = await bare.listPipelines();
  const trigger = config.triggerStage;
  const triggerFix = `Add a deal stage named exactly '${trigger}' to the pipelines your agents use (Admin → Pipelines), or set triggerStage in config/brokerage.json to the stage that means under contract.`;
  const mapped = Object.keys(config.stages.followupboss ?? {});
  const stagesFix = (missing: string[]) =>
    `Add or rename deal stages ${missing.map((s) => `'${s}'`).join(", ")} in Follow Up Boss (Admin → Pipelines), or change stages.followupboss in config/brokerage.json to the names your pipelines use.`;
  if (pipelines.ok) {
    sheet.add("trigger_stage", "Trigger stage exists", triggerStageExists(trigger, pipelines.value, triggerFix));
    sheet.add("mapped_stages", "Mapped stages exist", mappedStagesExist(mapped, trigger, pipelines.value, stagesFix));
  } else {
    sheet.add("trigger_stage", "Trigger stage exists", failed(said(pipelines.error), triggerFix));
    sheet.add("mapped_stages", "Mapped stages exist", failed(said(pipelines.error), stagesFix(mapped)));
  }

  if (sys.status !== "pass" || !hooks) sheet.skip("System key accepted", [["webhooks", "Webhooks point at this hub"]]);
  else {
    const url = `${hubUrl}/hooks/followupboss`;
    const fix = "Run `dealwire webhooks sync` (POST /ops/api/webhooks/sync) to register or repoint the hub's webhooks.";
    sheet.add(
      "webhooks",
      "Webhooks point at this hub",
      hooks.ok ? webhooksPointHere({ url, events: FUB_HOOK_EVENTS, shape: "per-event" }, hooks.value, fix) : failed(said(hooks.error), fix),
    );
  }
  return sheet;
}
