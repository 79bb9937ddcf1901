/**
 * The sandbox's Dotloop answers have the shape of the answers a client library recorded from
 * Dotloop (derived from the fixtures), so the simulator cannot drift from them.
 */
import { describe, expect, it } from "vitest";
import { vendorRequest } from "../../../src/vendors/shared/transport";
import { DotloopTms } from "../../../src/vendors/dotloop/tms";
import { connectFlow, open, uid } from "../../vendors/support";
import detail from "../dotloop/loop-detail.response.json";
import list from "../dotloop/loop-list.response.json";
import loop from "../dotloop/loop.response.json";
import participants from "../dotloop/participants.response.json";
import { mismatches, shapeOf } from "../shape";

describe("the Dotloop sandbox answers as recorded Dotloop answers do", () => {
  it("a loop, the loop list, its details and its participants have the recorded shapes", async () => {
    const id = `dotloop:agent-c${uid()}`;
    expect((await connectFlow("dotloop", id)).done.status).toBe(200);
    const tms = new DotloopTms(open(id));
    const created = await tms.createTransaction({
      reference: `deal_${crypto.randomUUID()}`,
      deal: {
        id: `deal_${uid()}`,
        stage: "under_contract",
        purchasePrice: 2_500_000,
        dates: { estimatedClosing: "2017-11-01" },
        participants: [
          {
            role: "buyer",
            person: {
              firstName: "Brian",
              lastName: "Erwin",
              emails: [{ value: `brian.${uid()}@example.com` }],
              phones: [],
              roles: [],
              tags: [],
            },
          },
        ],
        property: { address: { number: "3059", street: "Main", city: "Chicago", state: "IL", zip: "60614" } },
      },
    });
    if (!created.ok) throw new Error(created.error.message);
    const pid = await tms.profileId();
    if (!pid.ok) throw new Error(pid.error.message);
    const get = async (path: string) => {
      const r = await vendorRequest<unknown>(open(id), { method: "GET", path });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.data;
    };
    const base = `/profile/${pid.value}/loop`;
    expect(mismatches(await get(`${base}/${created.value.externalId}`), shapeOf(loop))).toEqual([]);
    expect(mismatches(await get(base), shapeOf(list))).toEqual([]);
    expect(mismatches(await get(`${base}/${created.value.externalId}/participant`), shapeOf(participants))).toEqual([]);
    // Details hold only the sections a loop has; each one present has the recorded kind.
    const mine = (await get(`${base}/${created.value.externalId}/detail`)) as { data: Record<string, unknown> };
    const recorded = (detail as { data: Record<string, unknown> }).data;
    for (const [section, fields] of Object.entries(mine.data)) {
      expect(section in recorded, `section ${section}`).toBe(true);
      for (const [k, v] of Object.entries(fields as Record<string, unknown>)) expect(typeof v, `${section}.${k}`).toBe("string");
    }
  });
});
