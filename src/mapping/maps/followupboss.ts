/**
 * Follow Up Boss: thin webhooks (ids only), and the resources the CRM consumer fetches after
 * one — people, deals, and lead events (the `/v1/events` body shape lead sources post to FUB).
 */
import type { FieldMap, Rule } from "../types";
import { under } from "./prefix";

const contactTypes = { home: "home", work: "work", mobile: "mobile", cell: "mobile", fax: "fax", "*": "other" };

/** A FUB person object, wherever it sits (`person` in events, the root in `GET /v1/people/:id`). */
const PERSON: Rule[] = [
  { from: "id", to: "person.id", norm: "id" },
  { from: "firstName", to: "person.firstName", norm: "name" },
  { from: "lastName", to: "person.lastName", norm: "name" },
  {
    from: "emails",
    to: "person.emails[]",
    items: [
      { from: "value", to: "value", norm: "email", required: true },
      { from: "type", to: "type", norm: "lookup:contactType" },
    ],
  },
  {
    from: "phones",
    to: "person.phones[]",
    items: [
      { from: "value", to: "", norm: "phone", required: true },
      { from: "type", to: "type", norm: "lookup:contactType" },
    ],
  },
  { from: "tags", to: "person.tags", norm: "tags" },
  { from: "addresses[0].street", to: "person.address", norm: "addressPart:street" },
  { from: "addresses[0].city", to: "person.address", norm: "addressPart:city" },
  { from: "addresses[0].state", to: "person.address", norm: "addressPart:state" },
  { from: "addresses[0].code", to: "person.address", norm: "addressPart:zip", type: "scalar" },
  { from: "assignedTo", to: "person.assignedAgent.name" },
  { from: "assignedUserId", to: "person.assignedAgent.id", norm: "id" },
  { from: "sourceUrl", to: "person.leadSource.url", norm: "url" },
];

/**
 * Person fields FUB documents or returns that carry nothing the canonical person keeps: known, so
 * not drift. `sourceId`, `timeframe*`, `deal*` and `websiteVisits` were seen on live people.
 */
const PERSON_IGNORED = [
  "created",
  "updated",
  "createdVia",
  "lastActivity",
  "name",
  "stage",
  "stageId",
  "price",
  "contacted",
  "delayed",
  "picture",
  "socialData",
  "claimed",
  "firstAssignedAt",
  "assignedPondId",
  "assignedLenderId",
  "assignedLenderName",
  "collaborators",
  "teamLeaders",
  "pondMembers",
  "background",
  "timeframe*",
  "sourceId",
  "deal*",
  "websiteVisits",
  "emails[].status",
  "emails[].isPrimary",
  "phones[].status",
  "phones[].isPrimary",
  "phones[].normalized",
  "phones[].isLandline",
  "addresses[].type",
  "addresses[].country",
  "addresses[].isPrimary",
  "custom*",
];

/** `POST /v1/events` body (and `GET /v1/events/:id`): a lead with person and optional property. */
export const FUB_LEAD_EVENT: FieldMap = {
  name: "followupboss.event",
  system: "followupboss",
  event: "lead.received",
  subject: "person",
  tables: { contactType: contactTypes },
  rules: [
    { from: "id", to: "$.externalId", norm: "id" },
    { from: "occurredAt", to: "$.occurredAt", norm: "instant", aliases: ["created"] },
    { from: "type", to: "leadType" },
    { from: "message", to: "message" },
    { to: "person.leadSource.system", value: "followupboss" },
    { to: "person.leadSource.name", value: "Follow Up Boss" },
    { from: "source", to: "person.leadSource.name" },
    ...under("person", PERSON),
    { from: "property.street", to: "property.address", norm: "addressPart:street" },
    { from: "property.city", to: "property.address", norm: "addressPart:city" },
    { from: "property.state", to: "property.address", norm: "addressPart:state" },
    { from: "property.code", to: "property.address", norm: "addressPart:zip", type: "scalar" },
    { from: "property.mlsNumber", to: "property.mlsId", norm: "id" },
    { from: "property.price", to: "property.price", norm: "money" },
    { from: "property.url", to: "property.url", norm: "url" },
    { from: "property.type", to: "property.propertyType" },
    { from: "property.bedrooms", to: "property.beds", norm: "int" },
    { from: "property.bathrooms", to: "property.baths", norm: "number" },
    { from: "property.area", to: "property.areaSqft", norm: "number" },
  ],
  ignore: [
    "system",
    "description",
    "campaign",
    "propertySearch",
    "pageTitle",
    "pageUrl",
    "pageReferrer",
    "pageDuration",
    "property.forRent",
    "property.lot",
    "person.source",
    ...PERSON_IGNORED.map((p) => `person.${p}`),
  ],
};

/** `GET /v1/people/:id`. */
export const FUB_PERSON: FieldMap = {
  name: "followupboss.person",
  system: "followupboss",
  event: "person.upserted",
  subject: "person",
  tables: { contactType: contactTypes },
  rules: [
    { from: "id", to: "$.subjectId", norm: "id" },
    { from: "updated", to: "$.occurredAt", norm: "instant" },
    { to: "person.leadSource.system", value: "followupboss" },
    { to: "person.leadSource.name", value: "Follow Up Boss" },
    { from: "source", to: "person.leadSource.name" },
    ...PERSON,
  ],
  ignore: PERSON_IGNORED,
};

/** `GET /v1/deals/:id`: people and users are references (ids) into FUB. */
export const FUB_DEAL: FieldMap = {
  name: "followupboss.deal",
  system: "followupboss",
  event: "deal.upserted",
  subject: "deal",
  rules: [
    { from: "id", to: "deal.id", norm: "id", required: true },
    { from: "id", to: "$.subjectId", norm: "id" },
    // Deals are seen with `createdAt/updatedAt`; people (and some descriptions of deals) say
    // `created/updated`. Both are published spellings, so neither is a rename.
    { from: "updatedAt", to: "$.occurredAt", norm: "instant" },
    { from: "updated", to: "$.occurredAt", norm: "instant" },
    { from: "name", to: "deal.name" },
    { from: "stageName", to: "deal.stage", norm: "status:followupboss", aliases: ["stage"] },
    { from: "price", to: "deal.purchasePrice", norm: "money" },
    { from: "projectedCloseDate", to: "deal.dates.estimatedClosing", norm: "date" },
    { from: "mutualAcceptanceDate", to: "deal.dates.contract", norm: "date" },
    { from: "commissionValue", to: "deal.commission.grossCents", norm: "money" },
    {
      from: "people",
      to: "deal.participants[]",
      items: [
        { to: "role", value: "other" },
        { to: "personRef.system", value: "followupboss" },
        { from: "id", to: "personRef.externalId", norm: "id", required: true },
      ],
    },
    { from: "users[0].id", to: "deal.agent.id", norm: "id" },
    { from: "users[0].name", to: "deal.agent.name" },
  ],
  ignore: [
    "created",
    "createdAt",
    "createdById",
    "status",
    "stageId",
    "pipelineId",
    "pipelineName",
    "description",
    "orderWeight",
    "enteredStageAt",
    "agentCommission",
    "teamCommission",
    "dueDiligenceDate",
    "earnestMoneyDueDate",
    "finalWalkThroughDate",
    "possessionDate",
    "people[].name",
    "custom*",
  ],
};

/** Webhook: `{eventId, eventCreated, event, resourceIds, uri}` — the consumer fetches `uri`. */
export const FUB_WEBHOOK: FieldMap = {
  name: "followupboss.webhook",
  system: "followupboss",
  event: "vendor.resource_changed",
  subject: "resource",
  rules: [
    { to: "system", value: "followupboss" },
    { from: "eventId", to: "$.externalId", norm: "id", required: true },
    { from: "eventCreated", to: "$.occurredAt", norm: "instant" },
    { from: "event", to: "", norm: "vendorEvent:followupboss", required: true },
    { from: "event", to: "vendorEvent" },
    { from: "resourceIds", to: "ids", norm: "ids", required: true },
    { from: "uri", to: "uri" },
  ],
  // Tag/stage events add `data`; reactions add ref*: the fetched record carries the same facts.
  ignore: ["data", "refType", "refId", "refUri"],
};
