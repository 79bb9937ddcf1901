import { describe, expect, it } from "vitest";
import { type CanonicalEvent, EventType } from "../../src/canonical";
import { SUBSCRIBERS, subscribersFor } from "../../src/queues/routing";

const base = {
  id: "d:0",
  schemaVersion: 1 as const,
  occurredAt: "2024-05-01T17:00:00Z",
  receivedAt: "2024-05-01T17:00:00Z",
  subject: { kind: "other" as const },
};

function changed(system: "followupboss" | "dotloop" | "quickbooks" | "docusign"): CanonicalEvent {
  return {
    ...base,
    type: "vendor.resource_changed",
    source: { system, deliveryId: "d" },
    data: { system, resource: "x", ids: ["1"], action: "updated" },
  };
}

describe("routing", () => {
  it("has an entry for every event type", () => {
    expect(Object.keys(SUBSCRIBERS).sort()).toEqual([...EventType.options].sort());
  });

  it("sends leads to the CRM and closings to accounting and the CRM", () => {
    expect(SUBSCRIBERS["lead.received"]).toEqual(["crm"]);
    expect([...SUBSCRIBERS["transaction.closed"]].sort()).toEqual(["accounting", "crm"]);
    expect([...SUBSCRIBERS["person.upserted"]].sort()).toEqual(["crm", "tms"]);
  });

  it("sends a thin webhook to the queue of the system that must fetch it", () => {
    expect(subscribersFor(changed("followupboss"))).toEqual(["crm"]);
    expect(subscribersFor(changed("dotloop"))).toEqual(["tms"]);
    expect(subscribersFor(changed("quickbooks"))).toEqual(["accounting"]);
    expect(subscribersFor(changed("docusign"))).toEqual([]);
  });

  it("also tells the CRM about a stage change when a TMS reported it", () => {
    const stage = (system: "dotloop" | "hub"): CanonicalEvent => ({
      ...base,
      type: "deal.stage_changed",
      source: { system, deliveryId: "d" },
      data: { to: "under_contract" },
    });
    expect(subscribersFor(stage("hub"))).toEqual(["tms"]);
    expect(subscribersFor(stage("dotloop")).sort()).toEqual(["crm", "tms"]);
  });
});
