/**
 * QuickBooks Online webhooks: the legacy `eventNotifications[].dataChangeEvent.entities[]` body
 * and the CloudEvents array that replaces it. Both only name entities; the accounting consumer
 * fetches them. Invoice changes get their own event type so accounting flows can subscribe.
 */
import type { FieldMap } from "../types";

const invoiceChanged = [{ path: "resource", equals: "invoice", event: "invoice.changed" as const }];

const N = "eventNotifications[]";
const E = `${N}.dataChangeEvent.entities[]`;

export const QBO_LEGACY: FieldMap = {
  name: "quickbooks.legacy",
  system: "quickbooks",
  event: "vendor.resource_changed",
  subject: "resource",
  each: E,
  eventWhen: invoiceChanged,
  tables: {
    operation: {
      Create: "created",
      Update: "updated",
      Delete: "deleted",
      Merge: "merged",
      Void: "voided",
      Emailed: "emailed",
      "*": "other",
    },
  },
  rules: [
    { to: "system", value: "quickbooks" },
    { from: `${N}.realmId`, to: "$.account", norm: "id", required: true },
    { from: `${E}.name`, to: "resource", norm: "lower", required: true },
    { from: `${E}.id`, to: "ids", norm: "ids", type: "scalar", required: true },
    { from: `${E}.operation`, to: "action", norm: "lookup:operation", required: true },
    { from: `${E}.operation`, to: "vendorEvent" },
    { from: `${E}.lastUpdated`, to: "$.occurredAt", norm: "instant" },
    // A merge names the entity merged away; sources spell it `deletedId` and `deletedID`.
    { from: `${E}.deletedId`, to: "mergedIds", norm: "ids", type: "scalar" },
    { from: `${E}.deletedID`, to: "mergedIds", norm: "ids", type: "scalar" },
  ],
};

export const QBO_CLOUDEVENTS: FieldMap = {
  name: "quickbooks.cloudevents",
  system: "quickbooks",
  event: "vendor.resource_changed",
  subject: "resource",
  each: "[]",
  eventWhen: invoiceChanged,
  rules: [
    { to: "system", value: "quickbooks" },
    { from: "[].id", to: "$.externalId", norm: "id" },
    { from: "[].type", to: "", norm: "vendorEvent:quickbooks", required: true },
    { from: "[].type", to: "vendorEvent" },
    { from: "[].intuitentityid", to: "ids", norm: "ids", type: "scalar", required: true },
    { from: "[].intuitaccountid", to: "$.account", norm: "id", required: true },
    { from: "[].time", to: "$.occurredAt", norm: "instant" },
    { from: "[].data.deletedid", to: "mergedIds", norm: "ids", type: "scalar" },
  ],
  ignore: ["[].specversion", "[].source", "[].datacontenttype", "[].data", "[].dataschema", "[].subject"],
};
