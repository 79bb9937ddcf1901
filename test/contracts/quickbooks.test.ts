/** QuickBooks Online's published bodies through the hub's own verifier, maps, parsers (pure). */
import { describe, expect, it } from "vitest";
import { mapDelivery } from "../../src/mapping";
import { verifyWebhook } from "../../src/verify";
import { quickBooksDialect } from "../../src/vendors/quickbooks/dialect";
import { QboPreferences } from "../../src/vendors/quickbooks/schemas";
import authFault from "./quickbooks/auth-fault-403.json";
import gateway401 from "./quickbooks/gateway-401.json";
import preferences from "./quickbooks/preferences.response.json";
import cloudBlog from "./quickbooks/webhook-cloudevents.blog.json";
import cloudSdk from "./quickbooks/webhook-cloudevents.sdk-test.json";
import merged from "./quickbooks/webhook-customer-merged.json";
import legacyBlog from "./quickbooks/webhook-legacy.blog.json";
import legacySdk from "./quickbooks/webhook-legacy.sdk-test.json";
import receiptUpdated from "./quickbooks/webhook-salesreceipt-updated.json";

const ctx = { deliveryId: "dlv_contract", receivedAt: Date.UTC(2026, 3, 1) };

function mapped(body: unknown) {
  const out = mapDelivery("quickbooks", body, ctx);
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  return out;
}

describe("QuickBooks published webhook bodies", () => {
  it("the body Intuit's SDK test signs verifies with its verifier token, byte for byte, and a changed body does not", async () => {
    // WebhooksServiceTest.java: verifier token, intuit-signature, and the compact body it signed.
    const secret = "b5771f19b12ddb4bcdb9f08bdc50bc63878a";
    const headers = { "intuit-signature": "JC2GUwciPmRBwEO7WvrRmKqu9tGOKL8FFallocTFi8Q=" };
    const body = JSON.stringify(legacySdk);
    expect(await verifyWebhook({ scheme: "quickbooks", secret, headers, body, now: 0 })).toMatchObject({ ok: true });
    expect(await verifyWebhook({ scheme: "quickbooks", secret, headers, body: body.replace('"1"', '"2"'), now: 0 })).toMatchObject({
      ok: false,
      code: "signature_invalid",
    });
  });

  const bodies: Array<[string, unknown, { resource: string; ids: string[]; action: string; mergedIds?: string[] }]> = [
    ["the legacy sample of Intuit's CloudEvents notice", legacyBlog, { resource: "account", ids: ["1234"], action: "created" }],
    ["the CloudEvents sample of the same notice", cloudBlog, { resource: "account", ids: ["1234"], action: "created" }],
    ["the legacy body of Intuit's SDK test", legacySdk, { resource: "customer", ids: ["1"], action: "created" }],
    ["the CloudEvents body of Intuit's SDK test", cloudSdk, { resource: "class", ids: ["1234"], action: "created" }],
    ["a customer merged (data.deletedid)", merged, { resource: "customer", ids: ["123"], action: "merged", mergedIds: ["27"] }],
    ["a sales receipt updated, with no data object", receiptUpdated, { resource: "salesreceipt", ids: ["150"], action: "updated" }],
  ];
  for (const [name, body, want] of bodies) {
    it(`${name} maps to one resource change with no drift`, () => {
      const out = mapped(body);
      expect(out.drift).toEqual([]);
      expect(out.events).toHaveLength(1);
      expect(out.events[0]?.data).toMatchObject(want);
    });
  }

  it("a legacy merge's deleted id (either spelling) is a known field, not drift", () => {
    // Intuit's legacy sample with the merge fields its documentation names; no legacy merge body is published.
    for (const key of ["deletedID", "deletedId"]) {
      const [n] = legacyBlog.eventNotifications;
      const [e] = n?.dataChangeEvent.entities ?? [];
      const body = { eventNotifications: [{ ...n, dataChangeEvent: { entities: [{ ...e, operation: "Merge", [key]: "27" }] } }] };
      const out = mapped(body);
      expect(out.drift).toEqual([]);
      expect(out.events[0]?.data).toMatchObject({ action: "merged", mergedIds: ["27"] });
    }
  });
});

describe("QuickBooks published error and settings bodies", () => {
  it("a lower-case authorization fault is read for its message and code", () => {
    expect(quickBooksDialect.errorMessage(authFault, 403)).toBe(
      "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403 (code 3100)",
    );
  });

  it("Intuit's gateway 401 (code, type, message null, detail at the root) is read for its detail", () => {
    expect(quickBooksDialect.errorMessage(gateway401, 401)).toBe(
      "Malformed bearer token: too short or too long (code AuthenticationFailed)",
    );
  });

  it("the preferences sample says custom transaction numbers are off (and defines no sales custom fields)", () => {
    expect(QboPreferences.parse(preferences)).toEqual({ customTxnNumbers: false, salesCustomFields: [] });
  });
});
