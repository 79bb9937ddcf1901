/**
 * Dotloop: webhooks name a loop (or contact) that changed; the TMS consumer then fetches the
 * loop, its details (label-keyed sections: "Financials" → "Purchase/Sale Price": "25,000") and
 * its participants, and maps the three together as `{ loop, details, participants }`.
 */
import type { FieldMap, Rule } from "../types";

const webhookRules: Rule[] = [
  { to: "system", value: "dotloop" },
  { from: "eventId", to: "$.externalId", norm: "id", required: true },
  { from: "timestamp", to: "$.occurredAt", norm: "epochMs" },
  { from: "eventType", to: "", norm: "vendorEvent:dotloop", required: true },
  { from: "eventType", to: "vendorEvent" },
  { from: "event.profileId", to: "$.account", norm: "id" },
];

/** `LOOP_*` events: the loop id is what the consumer fetches. */
export const DOTLOOP_LOOP_WEBHOOK: FieldMap = {
  name: "dotloop.webhook.loop",
  system: "dotloop",
  event: "vendor.resource_changed",
  subject: "resource",
  rules: [...webhookRules, { from: "event.loopId", to: "ids", norm: "ids", type: "scalar", required: true }],
  ignore: ["subscriptionExternalId", "event.id"],
};

/** Contact, profile and subscription events: `event.id` names the record. */
export const DOTLOOP_OTHER_WEBHOOK: FieldMap = {
  name: "dotloop.webhook",
  system: "dotloop",
  event: "vendor.resource_changed",
  subject: "resource",
  rules: [...webhookRules, { from: "event.id", to: "ids", norm: "ids", type: "scalar", required: true }],
  ignore: ["subscriptionExternalId", "event.loopId"],
};

/** Participant roles (the official sample's list) → canonical roles. */
const ROLES = {
  BUYER: "buyer",
  SELLER: "seller",
  TENANT: "tenant",
  LANDLORD: "landlord",
  LISTING_AGENT: "listing_agent",
  BUYING_AGENT: "buying_agent",
  TENANT_AGENT: "buying_agent",
  BUYER_ATTORNEY: "attorney",
  SELLER_ATTORNEY: "attorney",
  ESCROW_TITLE_REP: "escrow",
  LOAN_OFFICER: "lender",
  LOAN_PROCESSOR: "lender",
  "*": "other",
};

const S = "details";
const detail = (section: string, label: string): string => `${S}.${section}.${label}`;

/** Loop + details + participants → the transaction as the TMS holds it. */
export const DOTLOOP_LOOP: FieldMap = {
  name: "dotloop.loop",
  system: "dotloop",
  event: "transaction.upserted",
  subject: "transaction",
  tables: { role: ROLES },
  rules: [
    { from: "loop.id", to: "transaction.id", norm: "id", required: true },
    { from: "loop.id", to: "$.subjectId", norm: "id" },
    { from: "loop.profileId", to: "$.account", norm: "id" },
    { from: "loop.updated", to: "$.occurredAt", norm: "instant" },
    { from: "loop.name", to: "transaction.name" },
    {
      from: "loop.status",
      to: "transaction.stage",
      norm: "status:dotloop",
      aliases: ["loop.transactionStatus", "loop.transaction_status"],
    },
    { from: detail("Property Address", "Street Number"), to: "transaction.property.address", norm: "addressPart:number" },
    { from: detail("Property Address", "Street Name"), to: "transaction.property.address", norm: "addressPart:street" },
    { from: detail("Property Address", "Unit Number"), to: "transaction.property.address", norm: "addressPart:unit" },
    { from: detail("Property Address", "City"), to: "transaction.property.address", norm: "addressPart:city" },
    { from: detail("Property Address", "State/Prov"), to: "transaction.property.address", norm: "addressPart:state" },
    { from: detail("Property Address", "Zip/Postal Code"), to: "transaction.property.address", norm: "addressPart:zip" },
    { from: detail("Property Address", "MLS Number"), to: "transaction.property.mlsId", norm: "id" },
    { from: detail("Financials", "Purchase/Sale Price"), to: "transaction.purchasePrice", norm: "money", type: "string" },
    { from: detail("Financials", "Sale Commission Total"), to: "transaction.commission.grossCents", norm: "money", type: "string" },
    { from: detail("Financials", "Sale Commission Rate"), to: "transaction.commission.ratePercent", norm: "percent", type: "string" },
    { from: detail("Contract Dates", "Contract Agreement Date"), to: "transaction.dates.contract", norm: "date" },
    { from: detail("Contract Dates", "Closing Date"), to: "transaction.dates.estimatedClosing", norm: "date" },
    { from: detail("Contract Info", "Transaction Number"), to: "transaction.reference" },
    { from: detail("Listing Information", "Listing Date"), to: "transaction.dates.listing", norm: "date" },
    { from: detail("Listing Information", "Expiration Date"), to: "transaction.dates.expiration", norm: "date" },
    { from: detail("Listing Information", "Current Price"), to: "transaction.property.price", norm: "money", type: "string" },
    { from: detail("Property", "Bedrooms"), to: "transaction.property.beds", norm: "int", type: "string" },
    { from: detail("Property", "Bathrooms"), to: "transaction.property.baths", norm: "number", type: "string" },
    { from: detail("Property", "Square Footage"), to: "transaction.property.areaSqft", norm: "number", type: "string" },
    { from: detail("Property", "Type"), to: "transaction.property.propertyType" },
    {
      from: "participants",
      to: "transaction.participants[]",
      items: [
        { from: "role", to: "role", norm: "lookup:role" },
        { from: "id", to: "person.id", norm: "id" },
        { from: "fullName", to: "person", norm: "fullName" },
        { from: "email", to: "person.emails[]", norm: "emailEntry" },
        { from: "phone", to: "person.phones[]", norm: "phone" },
        { from: "cell phone", to: "person.phones[]", norm: "phone", entryType: "mobile" },
        { from: "street number", to: "person.address", norm: "addressPart:number" },
        { from: "street name", to: "person.address", norm: "addressPart:street" },
        { from: "unit number", to: "person.address", norm: "addressPart:unit" },
        { from: "city", to: "person.address", norm: "addressPart:city" },
        { from: "state/prov", to: "person.address", norm: "addressPart:state" },
        { from: "zip/postal code", to: "person.address", norm: "addressPart:zip" },
      ],
    },
  ],
  ignore: [
    "loop.transactionType",
    "loop.totalTaskCount",
    "loop.completedTaskCount",
    "loop.created",
    "loop.loopUrl",
    "participants[].company name",
    "participants[].country",
    `${S}.Property Address.Country`,
    `${S}.Property Address.County`,
    `${S}.Property Address.Parcel/Tax ID`,
    ...[
      "Sale Commission Split % - Buy Side",
      "Sale Commission Split % - Sell Side",
      "Sale Commission Split $ - Buy Side",
      "Sale Commission Split $ - Sell Side",
      "Earnest Money Amount",
      "Earnest Money Held By",
    ].map((l) => detail("Financials", l)),
    detail("Contract Info", "Class"),
    detail("Contract Info", "Type"),
    detail("Listing Information", "Original Price"),
    detail("Property", "Year Built"),
    detail("Property", "Lot Size"),
    detail("Property", "School District"),
    // Whole sections the hub does not use (yet).
    `${S}.Offer Dates`,
    `${S}.Referral`,
    `${S}.Geographic Description`,
  ],
};

/** `GET /contact/:id` → the person in the user's Dotloop address book. */
export const DOTLOOP_CONTACT: FieldMap = {
  name: "dotloop.contact",
  system: "dotloop",
  event: "person.upserted",
  subject: "person",
  rules: [
    { from: "id", to: "person.id", norm: "id", required: true },
    { from: "id", to: "$.subjectId", norm: "id" },
    { from: "updated", to: "$.occurredAt", norm: "instant" },
    { to: "person.leadSource.system", value: "dotloop" },
    { to: "person.leadSource.name", value: "Dotloop" },
    { from: "firstName", to: "person.firstName", norm: "name" },
    { from: "lastName", to: "person.lastName", norm: "name" },
    { from: "email", to: "person.emails[]", norm: "emailEntry" },
    { from: "home", to: "person.phones[]", norm: "phone", entryType: "home" },
    { from: "office", to: "person.phones[]", norm: "phone", entryType: "work" },
    { from: "fax", to: "person.phones[]", norm: "phone", entryType: "fax" },
    { from: "address", to: "person.address", norm: "addressPart:street" },
    { from: "city", to: "person.address", norm: "addressPart:city" },
    { from: "state", to: "person.address", norm: "addressPart:state" },
    { from: "zipCode", to: "person.address", norm: "addressPart:zip" },
  ],
  ignore: ["country"],
};
