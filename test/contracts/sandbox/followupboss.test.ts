/**
 * The Follow Up Boss sandbox behaves as FUB is reported to: `updatedAfter` matches nothing, and
 * deals come back under each published timestamp spelling, which the hub maps without drift.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mapFollowUpBossDeal } from "../../../src/mapping";
import { FollowUpBossClient } from "../../../src/vendors/followupboss/client";
import { vendorRequest } from "../../../src/vendors/shared/transport";
import { open, setSettings, uid } from "../../vendors/support";

const conn = () => open("followupboss:main", { id: `followupboss:c${uid()}` });

afterEach(async () => {
  await setSettings("followupboss", { dealTimestamps: "createdAt" });
});

describe("the Follow Up Boss sandbox as FUB is reported to behave", () => {
  it("GET /v1/people?updatedAfter= matches nothing (total 0), though people exist", async () => {
    const made = await vendorRequest(conn(), {
      method: "POST",
      path: "/v1/people",
      json: { firstName: "Ana", lastName: `Ruiz${uid()}`, emails: [{ value: `ana.${uid()}@example.com` }] },
    });
    if (!made.ok) throw new Error(made.error.message);
    const all = await vendorRequest<{ _metadata: { total: number } }>(conn(), { method: "GET", path: "/v1/people", query: { limit: 1 } });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.data._metadata.total).toBeGreaterThan(0);
    const since = await vendorRequest<{ _metadata: { total: number }; people: unknown[] }>(conn(), {
      method: "GET",
      path: "/v1/people",
      query: { updatedAfter: "2000-01-01T00:00:00Z" },
    });
    if (!since.ok) throw new Error(since.error.message);
    expect(since.value.data._metadata.total).toBe(0);
    expect(since.value.data.people).toEqual([]);
  });

  for (const spelling of ["createdAt", "created"] as const) {
    it(`a deal read back with ${spelling === "created" ? "created/updated" : "createdAt/updatedAt"} maps with no drift and its own change time`, async () => {
      await setSettings("followupboss", { dealTimestamps: spelling });
      const client = new FollowUpBossClient(conn());
      const pipelines = await client.listPipelines();
      const stageId = pipelines.ok ? pipelines.value[0]?.stages?.[0]?.id : undefined;
      if (stageId === undefined) throw new Error("sandbox has no deal stage");
      const made = await vendorRequest<{ id: number }>(conn(), {
        method: "POST",
        path: "/v1/deals",
        json: { name: `Contract ${uid()}`, stageId, price: 450000 },
      });
      if (!made.ok) throw new Error(made.error.message);
      const raw = await vendorRequest<Record<string, unknown>>(conn(), { method: "GET", path: `/v1/deals/${made.value.data.id}` });
      if (!raw.ok) throw new Error(raw.error.message);
      const stamp = raw.value.data[spelling === "created" ? "updated" : "updatedAt"];
      expect(typeof stamp).toBe("string");
      const out = mapFollowUpBossDeal(raw.value.data, { deliveryId: "dlv_contract", receivedAt: 0 });
      if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
      expect(out.drift).toEqual([]);
      expect(Date.parse(out.events[0]?.occurredAt ?? "")).toBe(Date.parse(String(stamp)));
    });
  }
});
