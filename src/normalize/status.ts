import type { DealStage } from "./deal-stage";
import { fail, ok, type Norm } from "./result";

type StatusTable = Readonly<Record<string, DealStage>>;

/**
 * Vendor status → deal stage. Keys are compared lower-case with everything but letters and
 * digits removed, so "UNDER_CONTRACT", "Under Contract" and "under-contract" are one key.
 */
const TABLES: Readonly<Record<string, StatusTable>> = {
  // Loop statuses by transaction type (purchase/lease offers, listings, "other" loops).
  dotloop: {
    preoffer: "offer", // a purchase/lease-offer loop exists: the offer is being written
    prelisting: "active",
    privatelisting: "active",
    activelisting: "active",
    undercontract: "under_contract",
    sold: "closed",
    leased: "closed",
    archived: "archived",
    new: "lead",
    inprogress: "active",
    done: "closed",
  },
  // SkySlope file statuses; an incomplete file is a live deal still missing documents.
  skyslope: {
    incomplete: "active",
    active: "active",
    pending: "under_contract",
    closed: "closed",
    canceled: "cancelled",
    cancelled: "cancelled",
    expired: "cancelled",
    withdrawn: "cancelled",
  },
  // Follow Up Boss default stages plus the deal-pipeline names brokerages commonly add.
  followupboss: {
    lead: "lead",
    newlead: "lead",
    hotprospect: "lead",
    nurture: "lead",
    sphere: "lead",
    activeclient: "active",
    active: "active",
    showing: "showing",
    showinghomes: "showing",
    offer: "offer",
    submittingoffers: "offer",
    offersubmitted: "offer",
    pending: "under_contract",
    undercontract: "under_contract",
    closed: "closed",
    pastclient: "closed",
    cancelled: "cancelled",
    canceled: "cancelled",
    trash: "archived",
    unresponsive: "archived",
    archived: "archived",
  },
  // RESO StandardStatus (listing side).
  reso: {
    active: "active",
    activeundercontract: "under_contract",
    pending: "under_contract",
    closed: "closed",
    canceled: "cancelled",
    expired: "cancelled",
    withdrawn: "cancelled",
    comingsoon: "active",
    hold: "active", // listing agreement still in force, temporarily off market
    delete: "archived",
    incomplete: "active",
  },
};

const VENDOR_ALIASES: Readonly<Record<string, string>> = { fub: "followupboss" };

/** Vendors `mapStatus` knows. */
export const STATUS_VENDORS = Object.keys(TABLES);

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Maps a vendor's status to the internal deal stage: dotloop loop statuses, SkySlope file
 * statuses, Follow Up Boss stage names and RESO StandardStatus (vendor "reso"). Matching
 * ignores case, spaces, hyphens and underscores. Unknown statuses fail with `status_unknown`.
 */
export function mapStatus(vendor: string, raw: string): Norm<DealStage> {
  const v = squash(vendor);
  const name = Object.hasOwn(VENDOR_ALIASES, v) ? (VENDOR_ALIASES[v] ?? v) : v;
  // Own keys only: "constructor" must not find Object.prototype.
  const table = Object.hasOwn(TABLES, name) ? TABLES[name] : undefined;
  if (table === undefined) return fail("status_unknown", `no status table for vendor "${vendor}"`);
  const key = squash(raw);
  const stage = Object.hasOwn(table, key) ? table[key] : undefined;
  return stage === undefined ? fail("status_unknown", `unknown ${vendor} status "${raw}"`) : ok(stage);
}
