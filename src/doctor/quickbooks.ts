import type { BrokerageConfig, ConnectionConfig } from "../config/brokerage";
import { sourceSecrets } from "../config/sources";
import { QuickBooksClient } from "../vendors/quickbooks/client";
import { connectionFor } from "../vendors/registry";
import { renewNow, Sheet } from "./sheet";
import {
  credentialRefused,
  credentialsAccepted,
  expenseAccountUsable,
  failed,
  itemUsable,
  mappedFieldsExist,
  pass,
  realmReachable,
  said,
  secretSet,
  tokenRenewed,
} from "./verdicts";

/**
 * QuickBooks Online, read-only: the token (401) and the company (403) on GET preferences, the
 * configured item and expense account, the mapped sales-form custom fields, the webhook verifier
 * token, and (last) the refresh.
 */
export async function checkQuickBooks(env: Env, conn: ConnectionConfig, config: BrokerageConfig, hubUrl: string): Promise<Sheet> {
  const sheet = new Sheet(conn.id, "quickbooks");
  const connection = connectionFor(env, conn);
  const client = new QuickBooksClient(connection);
  const reconnect = `Connect again at ${hubUrl}/connect/quickbooks?connection=${encodeURIComponent(conn.id)} (an admin of the company signs in to Intuit and allows the hub).`;

  const realm = await client.realmId();
  const prefs = realm.ok ? await client.preferences() : realm;
  const refused = !prefs.ok && credentialRefused(prefs.error);
  const cred = sheet.add(
    "credentials",
    "Access token accepted",
    refused ? credentialsAccepted(prefs, reconnect) : pass("the vendor accepted the credential"),
  );
  const company = realm.ok ? realm.value : "(none)";
  const realmFix = `The grant does not reach company ${company}: connect again and choose that company, or set ${conn.id}'s realmId (QUICKBOOKS_REALM_ID) to the company the hub should write to.`;
  let reach = null;
  if (cred.status === "pass") reach = sheet.add("realm", "Company reachable", realmReachable(company, prefs, realmFix));
  else sheet.skip("Access token accepted", [["realm", "Company reachable"]]);

  const { itemRef, expenseAccountRef } = config.accountingDocument;
  if (reach?.status !== "pass")
    sheet.skip("Company reachable", [
      ["item", "Invoice item exists"],
      ["expense_account", "Expense account exists"],
      ["mapped_fields", "Mapped custom fields exist"],
    ]);
  else {
    const itemFix = `Set accountingDocument.itemRef in config/brokerage.json to the Id of an active service item (QuickBooks → Sales → Products and services), or create one for commissions.`;
    const item = await client.read("Item", itemRef);
    sheet.add("item", "Invoice item exists", item.ok ? itemUsable(itemRef, item.value, itemFix) : failed(said(item.error), itemFix));
    const accountFix = `Set accountingDocument.expenseAccountRef in config/brokerage.json to the Id of an active expense account (QuickBooks → Chart of accounts) for agent bills.`;
    const account = await client.read("Account", expenseAccountRef);
    sheet.add(
      "expense_account",
      "Expense account exists",
      account.ok ? expenseAccountUsable(expenseAccountRef, account.value, accountFix) : failed(said(account.error), accountFix),
    );
    // QuickBooks matches a sales-form field's name regardless of case, and so does the invoice.
    const defined = new Set(prefs.ok ? prefs.value.salesCustomFields.map((d) => d.name.toLowerCase()) : []);
    const wanted = Object.entries(config.fields ?? {}).flatMap(([field, d]) => {
      const key = d.quickbooks?.customField;
      return key ? [{ field, key, among: defined.has(key.toLowerCase()) ? [{ name: key }] : [] }] : [];
    });
    sheet.add(
      "mapped_fields",
      "Mapped custom fields exist",
      mappedFieldsExist(
        wanted,
        (missing) =>
          `Define ${missing.join(", ")} in QuickBooks → Account and settings → Sales → Custom fields (three at most), or change their entries in config/brokerage.json.`,
      ),
    );
  }

  sheet.add(
    "verifier_token",
    "Webhook verifier token set",
    secretSet(
      "WEBHOOK_SECRET_QUICKBOOKS",
      sourceSecrets(env, "quickbooks"),
      "Copy the app's Verifier Token (Intuit Developer portal → your app → Webhooks) into the WEBHOOK_SECRET_QUICKBOOKS secret.",
    ),
  );
  sheet.add(
    "refresh",
    "Token refresh works",
    tokenRenewed(
      await renewNow(connection),
      `Intuit would not renew the grant (refresh tokens lapse after 100 days unused, or when the app is disconnected): ${reconnect}`,
    ),
  );
  return sheet;
}
