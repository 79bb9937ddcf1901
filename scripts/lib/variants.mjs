// The published vendor variants the flow tests run under (scripts/test-variants.mjs): for each,
// the sandbox settings per vendor, the hub variables that tell the hub which variant to read,
// and the flow tests the variant can change.

/** The MLS flows whose assertions name no next link and count no pages. */
const CLIENT_PAGED_MLS_FLOWS = [
  "test/mls/deal-listing-street.test.ts",
  "test/mls/deal-listing.test.ts",
  "test/mls/keys-pass-short.test.ts",
  "test/mls/keys-pass-stalled.test.ts",
  "test/mls/lead-mls-number.test.ts",
  "test/mls/listing-nullified.test.ts",
  "test/mls/out-of-feed-restored.test.ts",
  "test/mls/roster-stalled.test.ts",
  "test/mls/same-second.test.ts",
  "test/mls/sync-error.test.ts",
];

const DEAL_FLOWS = [
  "test/flows/deal-trigger.test.ts",
  "test/flows/crm-deal-columns.test.ts",
  "test/flows/crm-deal-race.test.ts",
  "test/flows/lifecycle.test.ts",
];

/** Each variant: the sandbox settings per vendor, hub variables, and the flow tests it touches. */
export const VARIANTS = [
  { name: "fub-deal-created", sandbox: { followupboss: { dealTimestamps: "created" } }, files: DEAL_FLOWS },
  {
    name: "qbo-cloudevents-custom-numbers",
    sandbox: { quickbooks: { webhookFormat: "cloudevents", customTxnNumbers: true } },
    files: ["test/flows/accounting-write-back.test.ts", "test/flows/lifecycle.test.ts"],
  },
  {
    name: "dotloop-timestamp-body-first-timestamp",
    sandbox: { dotloop: { dotloopSigning: "timestamp.body", dotloopRetryTimestamp: "first" } },
    hub: { VARIANT_WEBHOOK_SCHEMES: JSON.stringify({ dotloop: { kind: "dotloop", signed: "timestamp.body" } }) },
    files: [
      "test/flows/deal-trigger.test.ts",
      "test/flows/tms-stale-snapshot.test.ts",
      "test/flows/lifecycle.test.ts",
      "test/flows/accounting-write-back.test.ts",
    ],
  },
  {
    // RESO Web API Core's client-driven paging (no next links) and its note that a server need not
    // answer two requests in the same order (a client-paged run asks until an empty answer).
    name: "reso-client-paging-ties-vary",
    sandbox: { reso: { serverPaging: false, tiesVary: true } },
    files: CLIENT_PAGED_MLS_FLOWS,
  },
  {
    // The same, from a server that also answers fewer records than `$top` asks (Core §2.5.5).
    name: "reso-client-paging-short-pages",
    sandbox: { reso: { serverPaging: false, tiesVary: true, maxPage: 10 } },
    files: CLIENT_PAGED_MLS_FLOWS,
  },
  {
    // A server whose StandardStatus is a Lookup-resource string, sent as its display value
    // ("Active Under Contract"), as the Data Dictionary 2.0 endorsement (RCP 40 §2.2) shows.
    name: "reso-lookup-display",
    sandbox: { reso: { lookupDisplay: true } },
    files: [...CLIENT_PAGED_MLS_FLOWS, "test/mls/replication.test.ts", "test/mls/roster.test.ts"],
  },
  {
    name: "skyslope-export-value",
    sandbox: { skyslope: { exportShape: "value" } },
    files: ["test/contracts/sandbox/skyslope-create-flow.test.ts"],
  },
];
