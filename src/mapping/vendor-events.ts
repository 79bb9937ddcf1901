/**
 * Vendor event names → (resource, action). Each vendor names its webhook events its own way;
 * these parsers read the naming scheme rather than listing every event, so a new event of a
 * known resource still maps.
 */
import type { ResourceAction } from "../canonical";

export interface ResourceEvent {
  resource: string;
  action: ResourceAction;
}

const VERBS: Readonly<Record<string, ResourceAction>> = {
  created: "created",
  create: "created",
  updated: "updated",
  update: "updated",
  deleted: "deleted",
  delete: "deleted",
  merged: "merged",
  merge: "merged",
  voided: "voided",
  void: "voided",
  emailed: "emailed",
};

function verb(v: string): ResourceAction {
  return VERBS[v.toLowerCase()] ?? "other";
}

/** Follow Up Boss: `peopleCreated`, `dealsUpdated`, `peopleTagsCreated` (a change to a person). */
function followupboss(name: string): ResourceEvent | undefined {
  const m = /^([a-z][A-Za-z]*?)(Created|Updated|Deleted|Opened|Clicked|Unsubscribed)$/.exec(name);
  if (!m?.[1] || !m[2]) return undefined;
  const prefix = m[1];
  // Tag, stage and relationship events are changes to the person record itself.
  if (prefix.startsWith("people")) {
    return { resource: "person", action: prefix === "people" ? verb(m[2]) : "updated" };
  }
  const singular = prefix.replace(/ies$/, "y").replace(/s$/, "");
  return { resource: singular.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), action: verb(m[2]) };
}

/** Dotloop: `LOOP_UPDATED`, `LOOP_PARTICIPANT_CREATED` (a change to the loop), `CONTACT_DELETED`. */
function dotloop(name: string): ResourceEvent | undefined {
  const m =
    /^([A-Z_]+?)_(CREATED|UPDATED|DELETED|MERGED|ADDED_TO_PROFILE|REMOVED_FROM_PROFILE|ACTIVATED|DEACTIVATED|REMOVED|DISABLED)$/.exec(name);
  if (!m?.[1] || !m[2]) return undefined;
  if (m[1].startsWith("LOOP_")) return { resource: "loop", action: "updated" };
  return { resource: m[1].toLowerCase(), action: verb(m[2]) };
}

/** QuickBooks CloudEvents: `qbo.invoice.created.v1`. */
function quickbooks(name: string): ResourceEvent | undefined {
  const m = /^qbo\.([a-z_]+)\.([a-z]+)\.v\d+$/.exec(name);
  if (!m?.[1] || !m[2]) return undefined;
  return { resource: m[1], action: verb(m[2]) };
}

const PARSERS: Readonly<Record<string, (name: string) => ResourceEvent | undefined>> = {
  followupboss,
  dotloop,
  quickbooks,
};

/** Parses a vendor's event name; undefined when the vendor or the name is not recognised. */
export function parseVendorEvent(vendor: string, name: string): ResourceEvent | undefined {
  return PARSERS[vendor]?.(name);
}
