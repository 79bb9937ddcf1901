import { beforeEach, describe, expect, it } from "vitest";
import { runDoctor, type DoctorReport } from "../../src/ops/doctor";
import { latestDelivery } from "../../src/store/latest-delivery";
import { deliverOutbox, sandbox, setSettings } from "../helpers/sandbox";
import { eventually } from "../helpers/deliveries";
import { overriding } from "../helpers/env";
import { goLive, HUB, type Shape } from "./stack";

const failing = (r: DoctorReport) => r.checks.filter((c) => c.status === "fail");

/** Sends a DocuSign Connect envelope-completed event to the hub and waits until it is recorded. */
async function docusignDelivery(env: Env): Promise<void> {
  // A Connect configuration that includes Recipients (the sandbox's default is Connect's minimal form).
  await setSettings("docusign", { connectData: "summary" });
  const envelopeId = crypto.randomUUID();
  await sandbox("/_sandbox/docusign/envelope-completed", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ envelopeId, signerEmail: "signer@example.com", subject: "Purchase agreement" }),
  });
  const [res] = await deliverOutbox({ source: "docusign" });
  expect(res?.status).toBe(202);
  await eventually(async () => JSON.stringify((await latestDelivery(env.DB, "docusign"))?.payload ?? null).includes(envelopeId));
}

describe("the connection doctor on a sandbox set up as the flows assume", () => {
  beforeEach(async () => {
    await setSettings("docusign", { broken: [] });
  });

  it("passes every check of Follow Up Boss, Dotloop, QuickBooks and DocuSign", async () => {
    const { env } = await goLive("fub-dotloop-qbo", { docusign: true });
    await docusignDelivery(env);
    const r = await runDoctor(env, HUB);
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks.filter((c) => c.status === "skip")).toEqual([]);
    expect(new Set(r.checks.map((c) => c.vendor))).toEqual(new Set(["followupboss", "dotloop", "quickbooks", "docusign"]));
    expect(r.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(["followupboss.webhooks", "dotloop.loop_it", "quickbooks.item", "docusign.recipients"]),
    );
  });

  it("passes every check of LionDesk and SkySlope", async () => {
    const { env } = await goLive("liondesk-skyslope");
    const r = await runDoctor(env, HUB);
    expect(failing(r)).toEqual([]);
    expect(r.checks.map((c) => c.id)).toEqual([
      "liondesk.token",
      "liondesk.credentials",
      "skyslope.login",
      "skyslope.offices",
      "skyslope.agents",
    ]);
    expect(r.checks.every((c) => c.status === "pass")).toBe(true);
  });

  it("checks an agent's own Dotloop grant too, without asking it for a subscription the sync never makes", async () => {
    const { env, ids } = await goLive("fub-dotloop-qbo", { agent: true });
    const r = await runDoctor(env, HUB);
    expect(failing(r)).toEqual([]);
    expect(r.checks.filter((c) => c.connection === ids.agent).map((c) => c.id)).toEqual([
      "dotloop.credentials",
      "dotloop.profile",
      "dotloop.loop_it",
      "dotloop.refresh",
    ]);
  });
});

type Case = { vendor: string; breaks: string; check: string; fix: RegExp; shape?: Shape; docusign?: boolean; without?: string[] };
type Named = Case & { what: string };

/** Each row breaks one assumption in the sandbox (or the hub's own secret) and names the one check that must fail. */
const CASES: Case[] = [
  { vendor: "followupboss", breaks: "credentials", check: "followupboss.credentials", fix: /API key .*Admin → API/ },
  { vendor: "followupboss", breaks: "systemKey", check: "followupboss.system_key", fix: /system-registration/ },
  {
    vendor: "followupboss",
    breaks: "transactionField",
    check: "followupboss.transaction_field",
    fix: /"Transaction ID" \(key customTransactionID\)/,
  },
  {
    vendor: "followupboss",
    breaks: "mappedField",
    check: "followupboss.mapped_fields",
    fix: /add customEarnestMoney \(fields\.earnestMoney\)/,
  },
  { vendor: "followupboss", breaks: "triggerStage", check: "followupboss.trigger_stage", fix: /stage named exactly 'Under Contract'/ },
  { vendor: "followupboss", breaks: "mappedStage", check: "followupboss.mapped_stages", fix: /'Active Client'/ },
  { vendor: "followupboss", breaks: "webhooks", check: "followupboss.webhooks", fix: /dealwire webhooks sync/ },
  { vendor: "dotloop", breaks: "credentials", check: "dotloop.credentials", fix: /\/connect\/dotloop\?connection=/ },
  { vendor: "dotloop", breaks: "profile", check: "dotloop.profile", fix: /individual profile/ },
  { vendor: "dotloop", breaks: "loopIt", check: "dotloop.loop_it", fix: /require template/ },
  { vendor: "dotloop", breaks: "subscription", check: "dotloop.subscription", fix: /dealwire webhooks sync/ },
  { vendor: "dotloop", breaks: "refresh", check: "dotloop.refresh", fix: /\/connect\/dotloop\?connection=/ },
  { vendor: "quickbooks", breaks: "credentials", check: "quickbooks.credentials", fix: /\/connect\/quickbooks\?connection=/ },
  { vendor: "quickbooks", breaks: "realm", check: "quickbooks.realm", fix: /realmId \(QUICKBOOKS_REALM_ID\)/ },
  { vendor: "quickbooks", breaks: "item", check: "quickbooks.item", fix: /accountingDocument\.itemRef/ },
  { vendor: "quickbooks", breaks: "expenseAccount", check: "quickbooks.expense_account", fix: /accountingDocument\.expenseAccountRef/ },
  { vendor: "quickbooks", breaks: "refresh", check: "quickbooks.refresh", fix: /\/connect\/quickbooks\?connection=/ },
  {
    vendor: "quickbooks",
    breaks: "",
    without: ["WEBHOOK_SECRET_QUICKBOOKS"],
    check: "quickbooks.verifier_token",
    fix: /Verifier Token .* WEBHOOK_SECRET_QUICKBOOKS/,
  },
  { vendor: "docusign", breaks: "connectRecipients", docusign: true, check: "docusign.recipients", fix: /Include data: Recipients/ },
  { vendor: "skyslope", breaks: "credentials", shape: "liondesk-skyslope", check: "skyslope.login", fix: /accessKey and accessSecret/ },
  { vendor: "skyslope", breaks: "offices", shape: "liondesk-skyslope", check: "skyslope.offices", fix: /Sale checklist type/ },
  { vendor: "skyslope", breaks: "agents", shape: "liondesk-skyslope", check: "skyslope.agents", fix: /agents in SkySlope/ },
  { vendor: "liondesk", breaks: "credentials", shape: "liondesk-skyslope", check: "liondesk.token", fix: /LIONDESK_CLIENT_ID/ },
];
const NAMED: Named[] = CASES.map((c) => ({
  ...c,
  what: c.breaks ? `${c.vendor} broken: ${c.breaks}` : `the hub without ${(c.without ?? []).join(", ")}`,
}));

describe("the doctor on the brokerage's own Follow Up Boss fields", () => {
  it("fails a deal field whose key the account has only as a person field: the deal's writes would be refused", async () => {
    const { env: base } = await goLive("fub-dotloop-qbo");
    const doc = JSON.parse(String(Reflect.get(base, "BROKERAGE_CONFIG"))) as { fields: Record<string, unknown> };
    // The sandbox account has Close Date as a person field only.
    doc.fields.closeDate = { type: "date", followupboss: { deal: "customCloseDate", person: "customCloseDate" } };
    const r = await runDoctor(overriding(base, { BROKERAGE_CONFIG: JSON.stringify(doc) }), HUB);
    const bad = failing(r);
    expect(bad.map((x) => x.id)).toEqual(["followupboss.mapped_fields"]);
    expect(bad[0]?.detail).toContain("customCloseDate (fields.closeDate)");
  });
});

describe("the doctor on the brokerage's own QuickBooks fields", () => {
  it("fails a sales-form custom field the company has not defined: every invoice carrying it would be refused", async () => {
    const { env: base } = await goLive("fub-dotloop-qbo");
    const doc = JSON.parse(String(Reflect.get(base, "BROKERAGE_CONFIG"))) as { fields: Record<string, Record<string, unknown>> };
    doc.fields.earnestMoney = { ...doc.fields.earnestMoney, quickbooks: { customField: "Escrow Deposit" } };
    const r = await runDoctor(overriding(base, { BROKERAGE_CONFIG: JSON.stringify(doc) }), HUB);
    const bad = failing(r);
    expect(bad.map((x) => x.id)).toEqual(["quickbooks.mapped_fields"]);
    expect(bad[0]?.detail).toContain("Escrow Deposit (fields.earnestMoney)");
    expect(bad[0]?.fix).toContain("Sales");
  });
});

describe("the connection doctor on a sandbox broken one assumption at a time", () => {
  beforeEach(async () => {
    await setSettings("docusign", { broken: [] });
  });

  it.each(NAMED)("$what: exactly $check fails, with its fix", async (c) => {
    const { env } = await goLive(c.shape ?? "fub-dotloop-qbo", { docusign: c.docusign ?? false, without: c.without ?? [] });
    if (c.breaks) await setSettings(c.vendor, { broken: [c.breaks] });
    if (c.vendor === "docusign") await docusignDelivery(env);
    const r = await runDoctor(env, HUB);
    const bad = failing(r);
    expect(bad.map((x) => x.id)).toEqual([c.check]);
    expect(bad[0]?.fix).toMatch(c.fix);
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(1);
  });
});
