/**
 * SkySlope sales and listings (`GET /api/files/sales/{guid}`, bulk export). SkySlope sends
 * nulls for empty fields and `0001-01-01T00:00:00` for "no date"; both read as absent.
 */
import type { FieldMap, Rule } from "../types";

const contact = (role: string): Rule[] => [
  { to: "role", value: role },
  { from: "firstName", to: "person.firstName", norm: "name" },
  { from: "lastName", to: "person.lastName", norm: "name" },
  { from: "email", to: "person.emails[]", norm: "emailEntry" },
  { from: "phoneNumber", to: "person.phones[]", norm: "phone", aliases: ["phone"] },
  { from: "streetNumber", to: "person.address", norm: "addressPart:number" },
  { from: "streetName", to: "person.address", norm: "addressPart:street" },
  { from: "city", to: "person.address", norm: "addressPart:city" },
  { from: "state", to: "person.address", norm: "addressPart:state" },
  { from: "zip", to: "person.address", norm: "addressPart:zip" },
];

const CONTACT_IGNORED = ["company", "fax", "notes", "alternatePhone", "contactGuid", "isTrustCompanyOrOtherEntity"];

const party = (from: string, role: string, single = false): Rule => ({
  from,
  to: "transaction.participants[]",
  items: contact(role),
  ...(single ? { single } : {}),
});

const fee = (from: string, name: string): Rule => ({
  from: `commission.${from}`,
  to: "transaction.commission.fees[]",
  norm: "money",
  into: { key: "amountCents", with: { name } },
});

/** What sales and listings share: property, agent, status, parties on the seller side. */
const COMMON: Rule[] = [
  { from: "modifiedOn", to: "$.occurredAt", norm: "instant" },
  { from: "officeGuid", to: "$.account", norm: "id" },
  { from: "status", to: "transaction.stage", norm: "status:skyslope", aliases: ["transaction_status", "transactionStatus"] },
  { from: "mlsNumber", to: "transaction.property.mlsId", norm: "id" },
  { from: "listingPrice", to: "transaction.property.price", norm: "money" },
  { from: "property.streetNumber", to: "transaction.property.address", norm: "addressPart:number" },
  { from: "property.direction", to: "transaction.property.address", norm: "addressPart:predirectional" },
  { from: "property.streetAddress", to: "transaction.property.address", norm: "addressPart:street" },
  { from: "property.unit", to: "transaction.property.address", norm: "addressPart:unit" },
  { from: "property.city", to: "transaction.property.address", norm: "addressPart:city" },
  { from: "property.state", to: "transaction.property.address", norm: "addressPart:state" },
  { from: "property.zip", to: "transaction.property.address", norm: "addressPart:zip", type: "scalar" },
  { from: "property.areasqft", to: "transaction.property.areaSqft", norm: "number", type: "scalar" },
  { from: "agentGuid", to: "transaction.agent.id", norm: "id" },
  fee("transCoordinatorFee", "Transaction coordinator fee"),
  fee("referralAmount", "Referral"),
  party("sellers", "seller"),
];

const commission = (side: "sales" | "listing"): Rule[] => [
  { from: `commission.${side}CommissionAmount`, to: "transaction.commission.grossCents", norm: "money" },
  {
    from: `commission.${side === "sales" ? "sale" : "listing"}CommissionPercent`,
    to: "transaction.commission.ratePercent",
    norm: "percent",
    type: "scalar",
  },
];

const IGNORED = [
  "objectType",
  "statusId",
  "officeId",
  "createdByGuid",
  "createdOn",
  "checklistType",
  "source",
  "otherSource",
  "email",
  "commercialLease",
  "homeWarrantyContact",
  "homeWarranty",
  "miscContact",
  "stage",
  "coAgentGuids",
  "agent",
  "coAgents",
  "customFields",
  "property.county",
  "property.yearBuilt",
  "commission.commissionBreakdown",
  "commission.officeGrossCommission",
  "commission.referralAmountPercent",
  ...CONTACT_IGNORED.map((k) => `sellers[].${k}`),
];

/** A sale (the buy-side or dual file). */
export const SKYSLOPE_SALE: FieldMap = {
  name: "skyslope.sale",
  system: "skyslope",
  event: "transaction.upserted",
  subject: "transaction",
  rules: [
    { from: "saleGuid", to: "transaction.id", norm: "id", required: true },
    { from: "saleGuid", to: "$.subjectId", norm: "id" },
    ...COMMON,
    ...commission("sales"),
    { from: "escrowNumber", to: "transaction.reference" },
    { from: "salePrice", to: "transaction.purchasePrice", norm: "money" },
    { from: "contractAcceptanceDate", to: "transaction.dates.contract", norm: "date", aliases: ["contractAcceptedDate"] },
    { from: "escrowClosingDate", to: "transaction.dates.estimatedClosing", norm: "date" },
    { from: "actualClosingDate", to: "transaction.dates.actualClosing", norm: "date" },
    party("buyers", "buyer"),
    party("attorneyContact", "attorney"),
    party("lenderContact", "lender", true),
    party("escrowContact", "escrow", true),
    party("titleContact", "escrow", true),
    party("otherSideAgentContact", "co_op_agent", true),
  ],
  ignore: [
    ...IGNORED,
    "listingGuid",
    "dealType",
    "isOfficeLead",
    "coBrokerCompany",
    "commissionBreakdowns",
    "commissionSplits",
    "commissionReferral",
    "earnestMoneyDeposit",
    "apn",
    "commission.listingCommissionAmount",
    "commission.listingCommissionPercent",
    ...["buyers[]", "attorneyContact[]", "lenderContact", "escrowContact", "titleContact", "otherSideAgentContact"].flatMap((p) =>
      CONTACT_IGNORED.map((k) => `${p}.${k}`),
    ),
  ],
};

/** A listing (the sell-side file). */
export const SKYSLOPE_LISTING: FieldMap = {
  name: "skyslope.listing",
  system: "skyslope",
  event: "transaction.upserted",
  subject: "transaction",
  rules: [
    { from: "listingGuid", to: "transaction.id", norm: "id", required: true },
    { from: "listingGuid", to: "$.subjectId", norm: "id" },
    ...COMMON,
    ...commission("listing"),
    { from: "fileId", to: "transaction.reference" },
    { from: "listingDate", to: "transaction.dates.listing", norm: "date" },
    { from: "expirationDate", to: "transaction.dates.expiration", norm: "date" },
  ],
  ignore: [
    ...IGNORED,
    "coListingAgentGuid",
    "referringAgentGuid",
    "type",
    "company",
    "commission.salesCommissionAmount",
    "commission.saleCommissionPercent",
  ],
};
