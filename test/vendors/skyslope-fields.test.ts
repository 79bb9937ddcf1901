import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deal } from "../../src/canonical";
import { brokerageConfig } from "../../src/config/load";
import { SkySlopeTms } from "../../src/vendors/skyslope/tms";
import { open, uid } from "./support";

// The shipped example keeps Compliance Status in SkySlope's own `serviceType` key.
describe("the brokerage's own fields with SkySlope as the TMS", () => {
  it("a sale is created with the mapped fields in customFields, read back as canonical values, and changed later", async () => {
    const config = brokerageConfig(env);
    const tms = new SkySlopeTms(open("skyslope:main", { id: `skyslope:f${uid()}` }), config);
    const deal: Deal = {
      id: `deal_${crypto.randomUUID()}`,
      stage: "under_contract",
      purchasePrice: 41_000_000,
      dates: {},
      participants: [
        {
          role: "buyer",
          person: {
            firstName: "Rae",
            lastName: "Fields",
            emails: [{ value: `rae.${uid()}@example.com` }],
            phones: [],
            roles: [],
            tags: [],
          },
        },
      ],
      property: {
        address: {
          number: String(2000 + Math.floor(Math.random() * 7000)),
          street: "Cedar",
          suffix: "St",
          city: "Austin",
          state: "TX",
          zip: "78702",
        },
        mlsId: `M${uid()}`,
      },
      agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
      custom: { complianceStatus: "Pending Compliance Review", earnestMoney: 500_000 },
    };
    const created = await tms.createTransaction({ reference: deal.id ?? "", deal });
    if (!created.ok) throw new Error(created.error.message);
    const read = await tms.getTransaction(created.value.externalId);
    if (!read.ok) throw new Error(read.error.message);
    // earnestMoney has no SkySlope place: only the mapped field travels.
    expect(read.value?.deal.custom).toEqual({ complianceStatus: "Pending Compliance Review" });

    expect(await tms.updateFields(created.value.externalId, { complianceStatus: "Approved", earnestMoney: 1 })).toEqual({
      ok: true,
      value: true,
    });
    const again = await tms.getTransaction(created.value.externalId);
    expect(again.ok && again.value?.deal.custom).toEqual({ complianceStatus: "Approved" });
    expect(await tms.updateFields(created.value.externalId, { earnestMoney: 1 })).toEqual({ ok: true, value: false });
  });
});
