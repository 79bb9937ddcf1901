/** Dotloop constants (transaction types and statuses, roles, detail sections) and seed data. */
import type { Store } from "../state/store";

/** Allowed statuses of each transaction type. */
export const STATUSES: Record<string, readonly string[]> = {
  PURCHASE_OFFER: ["PRE_OFFER", "UNDER_CONTRACT", "SOLD", "ARCHIVED"],
  LISTING_FOR_SALE: ["PRE_LISTING", "PRIVATE_LISTING", "ACTIVE_LISTING", "UNDER_CONTRACT", "SOLD", "ARCHIVED"],
  LISTING_FOR_LEASE: ["PRE_LISTING", "PRIVATE_LISTING", "ACTIVE_LISTING", "UNDER_CONTRACT", "LEASED", "ARCHIVED"],
  LEASE_OFFER: ["PRE_OFFER", "UNDER_CONTRACT", "LEASED", "ARCHIVED"],
  REAL_ESTATE_OTHER: ["NEW", "IN_PROGRESS", "DONE", "ARCHIVED"],
  OTHER: ["NEW", "IN_PROGRESS", "DONE", "ARCHIVED"],
};

export const ROLES = [
  "ADMIN",
  "APPRAISER",
  "BUYER_ATTORNEY",
  "BUYER",
  "BUYING_AGENT",
  "BUYING_BROKER",
  "ESCROW_TITLE_REP",
  "HOME_IMPROVEMENT_SPECIALIST",
  "HOME_INSPECTOR",
  "HOME_SECURITY_PROVIDER",
  "HOME_WARRANTY_REP",
  "INSPECTOR",
  "INSURANCE_REP",
  "LANDLORD",
  "LISTING_AGENT",
  "LISTING_BROKER",
  "LOAN_OFFICER",
  "LOAN_PROCESSOR",
  "MANAGING_BROKER",
  "MOVING_STORAGE",
  "OTHER",
  "PROPERTY_MANAGER",
  "SELLER_ATTORNEY",
  "SELLER",
  "TENANT_AGENT",
  "TENANT",
  "TRANSACTION_COORDINATOR",
  "UTILITIES_PROVIDER",
] as const;

/** Loop detail sections; keys inside are human-readable labels. */
export const DETAIL_SECTIONS = [
  "Property Address",
  "Financials",
  "Contract Dates",
  "Offer Dates",
  "Contract Info",
  "Referral",
  "Listing Information",
  "Geographic Description",
  "Property",
] as const;

export const EVENT_TYPES = [
  "LOOP_CREATED",
  "LOOP_UPDATED",
  "LOOP_MERGED",
  "LOOP_PARTICIPANT_CREATED",
  "LOOP_PARTICIPANT_UPDATED",
  "LOOP_PARTICIPANT_DELETED",
  "CONTACT_CREATED",
  "CONTACT_UPDATED",
  "CONTACT_DELETED",
  "PROFILE_UPDATED",
  "USER_PROFILE_ACTIVATED",
  "USER_PROFILE_DEACTIVATED",
  "USER_ADDED_TO_PROFILE",
  "USER_REMOVED_FROM_PROFILE",
  "SUBSCRIPTION_REMOVED",
  "SUBSCRIPTION_DISABLED",
  "WEBHOOK_ENDPOINT_TEST_EVENT",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface Profile {
  id: number;
  name: string;
  type: "INDIVIDUAL" | "OFFICE" | "COMPANY";
  company: string;
  phone: string;
  fax: string;
  address: string;
  city: string;
  state: string;
  zipCode: string;
  default: boolean;
  requiresTemplate: boolean;
}

export type Details = Record<string, Record<string, string>>;

export interface Loop {
  id: number;
  profileId: number;
  name: string;
  status: string;
  transactionType: string;
  totalTaskCount: number;
  completedTaskCount: number;
  created: string;
  updated: string;
  loopUrl: string;
  details: Details;
}

export interface Participant {
  id: number;
  loopId: number;
  fullName: string;
  email?: string;
  role: string;
  [label: string]: string | number | undefined;
}

export const DEFAULT_PROFILE_ID = 4711;

export function seedDotloop(store: Store): void {
  const base = {
    company: "Example Brokerage",
    phone: "(512) 555-0100",
    fax: "(512) 555-0101",
    address: "100 Congress Ave",
    city: "Austin",
    state: "TX",
    zipCode: "78701",
  };
  store.put<Profile>("profile", 4711, { id: 4711, name: "Alex Kim", type: "INDIVIDUAL", default: true, requiresTemplate: false, ...base });
  store.put<Profile>("profile", 4712, {
    id: 4712,
    name: "Example Brokerage",
    type: "OFFICE",
    default: false,
    requiresTemplate: true,
    ...base,
  });
  store.put("template", 421, { id: 421, name: "Purchase Template", transactionType: "PURCHASE_OFFER", isGlobal: false, isEditable: true });
  store.put("template", 422, { id: 422, name: "Listing Template", transactionType: "LISTING_FOR_SALE", isGlobal: false, isEditable: true });
}

/** Merges a detail patch into details: values become strings, "" or null removes a field. */
export function mergeDetails(current: Details, patch: Record<string, unknown>): Details {
  const out: Details = structuredClone(current);
  for (const [section, fields] of Object.entries(patch)) {
    if (!(DETAIL_SECTIONS as readonly string[]).includes(section)) continue; // unknown sections are ignored
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) continue;
    const target = out[section] ?? {};
    for (const [label, value] of Object.entries(fields)) {
      if (value === null || value === "") delete target[label];
      else target[label] = String(value);
    }
    if (Object.keys(target).length > 0) out[section] = target;
    else delete out[section];
  }
  return out;
}
