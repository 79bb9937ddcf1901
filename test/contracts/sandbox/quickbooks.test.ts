/**
 * The sandbox's QuickBooks answers and webhook bodies have the shape of Intuit's published ones
 * (derived from the fixtures), under each setting that switches between published variants.
 */
import { afterEach, describe, expect, it } from "vitest";
import { QuickBooksClient } from "../../../src/vendors/quickbooks/client";
import { customerBody, requestIdFor } from "../../../src/vendors/quickbooks/to-vendor";
import { vendorRequest } from "../../../src/vendors/shared/transport";
import { connectFlow, envWith, open, sandbox, setSettings, uid } from "../../vendors/support";
import preferences from "../quickbooks/preferences.response.json";
import intuitInvoice from "../quickbooks/invoice-custom-field.request.json";
import cloudBlog from "../quickbooks/webhook-cloudevents.blog.json";
import legacyBlog from "../quickbooks/webhook-legacy.blog.json";
import { mismatches, shapeOf } from "../shape";

let shared: Promise<{ id: string; appEnv: Env }> | undefined;
const connected = () =>
  (shared ??= (async () => {
    const id = `quickbooks:c${uid()}`;
    const appEnv = envWith([{ from: "quickbooks:main", id }]);
    const flow = await connectFlow("quickbooks", id, appEnv);
    expect(flow.done.status).toBe(200);
    return { id, appEnv };
  })());

afterEach(async () => {
  await setSettings("quickbooks", { webhookFormat: "legacy", customTxnNumbers: false });
});

describe("the QuickBooks sandbox answers as Intuit's published bodies do", () => {
  for (const on of [false, true]) {
    it(`GET preferences has the published shape and says CustomTxnNumbers ${on}`, async () => {
      await setSettings("quickbooks", { customTxnNumbers: on });
      const c = await connected();
      const client = new QuickBooksClient(open(c.id, {}, c.appEnv));
      const realm = await client.realmId();
      if (!realm.ok) throw new Error(realm.error.message);
      const r = await vendorRequest<unknown>(open(c.id, {}, c.appEnv), { method: "GET", path: `/v3/company/${realm.value}/preferences` });
      if (!r.ok) throw new Error(r.error.message);
      expect(mismatches(r.value.data, shapeOf(preferences))).toEqual([]);
      expect(await client.preferences()).toEqual({
        ok: true,
        value: { customTxnNumbers: on, salesCustomFields: [{ definitionId: "1", name: "Earnest Money" }] },
      });
    });
  }

  it("takes Intuit's invoice custom field for a defined sales custom field, and refuses one naming no definition", async () => {
    const c = await connected();
    const client = new QuickBooksClient(open(c.id, {}, c.appEnv));
    const name = `Custom Field Test ${uid()}`;
    const customer = await client.createCustomer(customerBody({ name }), await requestIdFor(name));
    if (!customer.ok) throw new Error(customer.error.message);
    const realm = await client.realmId();
    if (!realm.ok) throw new Error(realm.error.message);
    const post = (custom: unknown) =>
      vendorRequest<{ Invoice?: { CustomField?: unknown } }>(open(c.id, {}, c.appEnv), {
        method: "POST",
        path: `/v3/company/${realm.value}/invoice`,
        json: { ...intuitInvoice, CustomerRef: { value: customer.value.Id }, CustomField: custom },
      });
    const made = await post(intuitInvoice.CustomField);
    if (!made.ok) throw new Error(made.error.message);
    expect(made.value.data.Invoice?.CustomField).toEqual([
      { DefinitionId: "1", Name: "Earnest Money", Type: "StringType", StringValue: "my custom value" },
    ]);
    const refused = await post([{ DefinitionId: "3", StringValue: "x" }]);
    expect(refused.ok ? 200 : refused.error.status).toBe(400);
  });

  for (const [format, published] of [
    ["legacy", legacyBlog],
    ["cloudevents", cloudBlog],
  ] as const) {
    it(`a ${format} webhook body has the shape of Intuit's sample`, async () => {
      await setSettings("quickbooks", { webhookFormat: format });
      const c = await connected();
      const name = `Shape Test ${uid()}`;
      const made = await new QuickBooksClient(open(c.id, {}, c.appEnv)).createCustomer(customerBody({ name }), await requestIdFor(name));
      if (!made.ok) throw new Error(made.error.message);
      const sent = await sandbox<Array<{ body: string }>>("/_sandbox/outbox?source=quickbooks");
      const mine = sent.map((e) => JSON.parse(e.body) as unknown).filter((b) => JSON.stringify(b).includes(`"${made.value.Id}"`));
      expect(mine.length).toBeGreaterThan(0);
      for (const body of mine.slice(-1)) expect(mismatches(body, shapeOf(published))).toEqual([]);
    });
  }
});
