import { sourceSecrets } from "../config/sources";
import { latestDelivery } from "../store/latest-delivery";
import { Sheet } from "./sheet";
import { connectIncludesRecipients } from "./verdicts";

/**
 * DocuSign Connect is configured in DocuSign's console, not through an API the hub holds a grant
 * for, so what can be checked is what it sends: the newest delivery must carry the recipients
 * (`envelopeSummary`), or the hub cannot tell whose signature to note.
 */
export async function checkDocuSign(env: Env): Promise<Sheet | null> {
  if (sourceSecrets(env, "docusign").length === 0) return null; // DocuSign is not in use
  const sheet = new Sheet("docusign:connect", "docusign");
  const fix =
    'In DocuSign eSignature Admin → Connect → the hub\'s configuration, tick "Include data: Recipients" (REST v2.1 JSON, SIM), so each event carries envelopeSummary.recipients.';
  sheet.add("recipients", "Connect includes recipients", connectIncludesRecipients(await latestDelivery(env.DB, "docusign"), fix));
  return sheet;
}
