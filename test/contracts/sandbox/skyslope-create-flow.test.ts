/**
 * The TMS create flow against SkySlope as published: SkySlope keeps no key of the hub's, so a
 * create interrupted before the hub's record is found again by what SkySlope keeps, and a sale
 * the hub has linked to another deal is never taken for a new one.
 */
import { env } from "cloudflare:workers";
import { underContract } from "../../helpers/deal-events";
import { describe, expect, it } from "vitest";
import type { Deal } from "../../../src/canonical";
import { brokerageConfig } from "../../../src/config/load";
import { handleCreateTransaction } from "../../../src/consumers/tms-create";
import { findExternalId } from "../../../src/store/links";
import { SkySlopeTms } from "../../../src/vendors/skyslope/tms";
import { kind, open, uid } from "../../vendors/support";

const tms = () => new SkySlopeTms(open("skyslope:main", { id: `skyslope:f${uid()}` }));

function deal(street: string): Deal {
  return {
    id: `deal_${crypto.randomUUID()}`,
    stage: "under_contract",
    purchasePrice: 41_000_000,
    dates: { contract: "2026-05-01" },
    participants: [],
    property: { address: { number: street, street: "Cedar", suffix: "Ave", city: "Austin", state: "TX", zip: "78702" } },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
  };
}

const salesAt = async (street: string) =>
  (await kind<{ saleGuid: string; property?: { streetNumber?: string; streetAddress?: string } }>("skyslope", "sale")).filter(
    (s) => s.property?.streetNumber === street && s.property.streetAddress === "Cedar Ave",
  );

describe("creating the SkySlope sale for a deal under contract", () => {
  it("after a crash between SkySlope's yes and the hub's record, the retry links the first sale; a later deal at the same address gets its own", async () => {
    const street = String(1000 + Math.floor(Math.random() * 8000));
    const first = deal(street);
    // The interrupted attempt: SkySlope opened the sale, the hub recorded nothing.
    const opened = await tms().createTransaction({ reference: first.id ?? "", deal: first });
    if (!opened.ok) throw new Error(opened.error.message);

    const config = brokerageConfig(env);
    const retried = await handleCreateTransaction(underContract(first), env, config, tms());
    expect(retried.ok).toBe(true);
    expect(await findExternalId(env.DB, first.id ?? "", "skyslope", "transaction")).toBe(opened.value.externalId);
    expect(await salesAt(street)).toHaveLength(1);

    // Another deal on the same property, same agent: the first sale is the first deal's.
    const second = deal(street);
    const made = await handleCreateTransaction(underContract(second), env, config, tms());
    expect(made.ok).toBe(true);
    const secondSale = await findExternalId(env.DB, second.id ?? "", "skyslope", "transaction");
    expect(secondSale).not.toBeNull();
    expect(secondSale).not.toBe(opened.value.externalId);
    expect(await salesAt(street)).toHaveLength(2);
  });
});
