/**
 * Which maps serve each webhook source, and how a body picks its map. The first variant whose
 * `when` holds wins; a body matching none is `shape_unknown` (permanent: the delivery is rejected, with an alert).
 */
import type { SourceName } from "../canonical";
import { DOCUSIGN_CONNECT } from "./maps/docusign";
import { DOTLOOP_LOOP_WEBHOOK, DOTLOOP_OTHER_WEBHOOK } from "./maps/dotloop";
import { FUB_LEAD_EVENT, FUB_WEBHOOK } from "./maps/followupboss";
import { IDX_LEAD, REALTOR_LEAD, ZILLOW_LEAD } from "./maps/leads";
import { QBO_CLOUDEVENTS, QBO_LEGACY } from "./maps/quickbooks";
import type { Variant } from "./types";

const lead = (map: Variant["map"]): Variant[] => [{ map, when: { path: "data", is: "object" } }];

export const SOURCES: Readonly<Record<Exclude<SourceName, "standard" | "reso">, readonly Variant[]>> = {
  zillow: lead(ZILLOW_LEAD),
  realtor: lead(REALTOR_LEAD),
  idx: lead(IDX_LEAD),
  followupboss: [
    { map: FUB_WEBHOOK, when: { path: "eventId", is: "scalar" } },
    // A lead posted in FUB's own `/v1/events` shape (IDX sites that already speak it).
    { map: FUB_LEAD_EVENT, when: { path: "person", is: "object" } },
  ],
  dotloop: [
    { map: DOTLOOP_OTHER_WEBHOOK, when: { path: "eventType", equals: ["WEBHOOK_ENDPOINT_TEST_EVENT"] }, skip: true },
    { map: DOTLOOP_LOOP_WEBHOOK, when: { path: "eventType", prefix: "LOOP_" } },
    { map: DOTLOOP_OTHER_WEBHOOK, when: { path: "eventType", is: "string" } },
  ],
  quickbooks: [
    { map: QBO_LEGACY, when: { path: "eventNotifications", is: "array" } },
    { map: QBO_CLOUDEVENTS, when: { path: "", is: "array" } },
  ],
  docusign: [
    { map: DOCUSIGN_CONNECT, when: { path: "event", equals: ["envelope-completed", "recipient-completed"] } },
    // Other Connect events (sent, delivered, voided ...) are acknowledged and not mapped (yet).
    { map: DOCUSIGN_CONNECT, when: { path: "event", is: "string" }, skip: true },
  ],
};
