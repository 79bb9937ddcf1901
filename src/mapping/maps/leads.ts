/**
 * Lead sources posting Standard Webhooks bodies `{ type, timestamp, data }`. Zillow and
 * Realtor.com publish no agent-lead payload spec, so these are the hub's documented DEFAULT
 * shapes; a brokerage whose sender differs adjusts the paths here (it is data, not code).
 */
import type { FieldMap, Rule } from "../types";

const envelope: Rule[] = [
  { from: "type", to: "leadType" },
  { from: "timestamp", to: "$.occurredAt", norm: "instant" },
];

/**
 * Zillow-style: `data.{contact_name, contact_email_address, phone_number, message,
 * listing{street, city, state, zip, mls_id, price: "$450,000"}}`.
 */
export const ZILLOW_LEAD: FieldMap = {
  name: "zillow.lead",
  system: "zillow",
  event: "lead.received",
  subject: "person",
  rules: [
    ...envelope,
    { to: "person.leadSource.system", value: "zillow" },
    { to: "person.leadSource.name", value: "Zillow" },
    { from: "data.contact_name", to: "person", norm: "fullName", aliases: ["data.name"] },
    { from: "data.contact_email_address", to: "person.emails[]", norm: "emailEntry", aliases: ["data.email", "data.contact_email"] },
    { from: "data.phone_number", to: "person.phones[]", norm: "phone", aliases: ["data.phone", "data.contact_phone"] },
    { from: "data.message", to: "message" },
    { from: "data.listing.street", to: "property.address", norm: "addressPart:street" },
    { from: "data.listing.city", to: "property.address", norm: "addressPart:city" },
    { from: "data.listing.state", to: "property.address", norm: "addressPart:state" },
    { from: "data.listing.zip", to: "property.address", norm: "addressPart:zip", type: "scalar" },
    { from: "data.listing.mls_id", to: "property.mlsId", norm: "id" },
    { from: "data.listing.price", to: "property.price", norm: "money", type: "string" },
  ],
};

/**
 * Realtor.com-style (after the Lead Delivery fields third parties describe): `data.{lead_id,
 * role: buyer|seller|renter, contact{first_name, last_name, email, phone}, property{address
 * (street line), city, state, postal_code, mls_id, price}, message}`. No official spec was
 * found: this is the brokerage's to adjust (the vendor sandbox sends this shape).
 */
export const REALTOR_LEAD: FieldMap = {
  name: "realtor.lead",
  system: "realtor",
  event: "lead.received",
  subject: "person",
  tables: { role: { buyer: "buyer", seller: "seller", renter: "tenant", "*": "other" } },
  rules: [
    { from: "timestamp", to: "$.occurredAt", norm: "instant" },
    { to: "person.leadSource.system", value: "realtor" },
    { to: "person.leadSource.name", value: "Realtor.com" },
    { from: "data.lead_id", to: "leadId", norm: "id" },
    { from: "data.lead_id", to: "$.externalId", norm: "id" },
    { from: "data.role", to: "leadType" },
    { from: "data.role", to: "person.roles[]", norm: "lookup:role" },
    { from: "data.contact.first_name", to: "person.firstName", norm: "name" },
    { from: "data.contact.last_name", to: "person.lastName", norm: "name" },
    { from: "data.contact.email", to: "person.emails[]", norm: "emailEntry" },
    { from: "data.contact.phone", to: "person.phones[]", norm: "phone" },
    { from: "data.message", to: "message" },
    { from: "data.property.address", to: "property.address", norm: "addressPart:street" },
    { from: "data.property.city", to: "property.address", norm: "addressPart:city" },
    { from: "data.property.state", to: "property.address", norm: "addressPart:state" },
    { from: "data.property.postal_code", to: "property.address", norm: "addressPart:zip", type: "scalar" },
    { from: "data.property.mls_id", to: "property.mlsId", norm: "id" },
    { from: "data.property.price", to: "property.price", norm: "money" },
  ],
  ignore: ["type"],
};

/**
 * A website/IDX form: `data.{firstName, lastName, email, phone, message,
 * property?{street, city, state, zip, mlsNumber?, price?}, consent?{email, sms, call}}`.
 */
export const IDX_LEAD: FieldMap = {
  name: "idx.lead",
  system: "idx",
  event: "lead.received",
  subject: "person",
  rules: [
    ...envelope,
    { to: "person.leadSource.system", value: "idx" },
    { to: "person.leadSource.name", value: "Website" },
    { from: "data.source", to: "person.leadSource.name" },
    { from: "data.firstName", to: "person.firstName", norm: "name", aliases: ["data.first_name"] },
    { from: "data.lastName", to: "person.lastName", norm: "name", aliases: ["data.last_name"] },
    { from: "data.email", to: "person.emails[]", norm: "emailEntry", aliases: ["data.emailAddress"] },
    { from: "data.phone", to: "person.phones[]", norm: "phone", aliases: ["data.phoneNumber"] },
    { from: "data.message", to: "message", aliases: ["data.comments"] },
    { from: "data.consent.email", to: "person.consent.email", norm: "bool" },
    { from: "data.consent.sms", to: "person.consent.sms", norm: "bool" },
    { from: "data.consent.call", to: "person.consent.call", norm: "bool" },
    { from: "data.property.street", to: "property.address", norm: "addressPart:street" },
    { from: "data.property.city", to: "property.address", norm: "addressPart:city" },
    { from: "data.property.state", to: "property.address", norm: "addressPart:state" },
    { from: "data.property.zip", to: "property.address", norm: "addressPart:zip", type: "scalar" },
    { from: "data.property.mlsNumber", to: "property.mlsId", norm: "id" },
    { from: "data.property.price", to: "property.price", norm: "money" },
  ],
};
