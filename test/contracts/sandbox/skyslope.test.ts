/**
 * The sandbox's SkySlope answers have the shape of SkySlope's published ones (derived from the
 * fixtures), so the simulator cannot drift from the vendor the hub is written against.
 */
import { afterEach, describe, expect, it } from "vitest";
import { vendorRequest } from "../../../src/vendors/shared/transport";
import { SkySlopeClient } from "../../../src/vendors/skyslope/client";
import { open, setSettings, uid } from "../../vendors/support";
import bulkExport from "../skyslope/bulk-export.response.json";
import createListing from "../skyslope/create-listing.response.json";
import { mergeShapes, mismatches, shapeOf } from "../shape";

const conn = () => open("skyslope:main", { id: `skyslope:c${uid()}` });

async function raw(method: "GET" | "POST", path: string, json?: unknown): Promise<unknown> {
  const r = await vendorRequest<unknown>(conn(), { method, path, ...(json === undefined ? {} : { json }) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.data;
}

async function agentAndChecklist(): Promise<{
  agentGuid: string;
  officeGuid: string;
  checklist: (t: "Sale" | "Listing") => Promise<number>;
}> {
  const client = new SkySlopeClient(conn());
  const users = await client.listUsers();
  const agent = users.ok ? users.value[0] : undefined;
  if (!agent?.officeGuid) throw new Error("sandbox has no agent");
  const officeGuid = agent.officeGuid;
  return {
    agentGuid: agent.userGuid,
    officeGuid,
    checklist: async (t) => {
      const r = await client.listChecklistTypes(officeGuid, t);
      const id = r.ok ? r.value[0]?.checklistTypeId : undefined;
      if (id === undefined) throw new Error("no checklist");
      return id;
    },
  };
}

const property = () => ({
  streetNumber: String(1000 + Math.floor(Math.random() * 8000)),
  streetAddress: "Main St.",
  city: "Sacramento",
  state: "CA",
  zip: "95814",
});

afterEach(async () => {
  await setSettings("skyslope", { exportShape: "array" });
});

describe("the SkySlope sandbox answers as SkySlope's published bodies do", () => {
  it("a listing's create answer has the published shape: guid in value, warnings, top-level links with the SkySlope UI link", async () => {
    const a = await agentAndChecklist();
    const body = await raw("POST", "/api/files/listings", {
      agentGuid: a.agentGuid,
      checklistTypeId: await a.checklist("Listing"),
      mlsNumber: "123456",
      listingPrice: 250000,
      property: property(),
    });
    expect(mismatches(body, shapeOf(createListing))).toEqual([]);
    expect((body as { links: Array<{ rel: string; href: string }> }).links.find((l) => l.rel === "SkySlope")?.href).toMatch(
      /^https:\/\/app\.skyslope\.com\//,
    );
  });

  it("a sale's create answer has the listing's published shape, with saleGuid for listingGuid", async () => {
    const a = await agentAndChecklist();
    const body = await raw("POST", "/api/files/sales", {
      agentGuid: a.agentGuid,
      checklistTypeId: await a.checklist("Sale"),
      salePrice: 333000,
      property: property(),
    });
    const published = JSON.parse(
      JSON.stringify(createListing).replaceAll("listingGuid", "saleGuid").replaceAll("listing", "sale"),
    ) as unknown;
    expect(mismatches(body, shapeOf(published))).toEqual([]);
  });

  it("a sale keeps only SkySlope's own customFields keys", async () => {
    const a = await agentAndChecklist();
    const body = (await raw("POST", "/api/files/sales", {
      agentGuid: a.agentGuid,
      checklistTypeId: await a.checklist("Sale"),
      property: property(),
      customFields: { isConcierge: false, dealwireReference: "deal_x" },
    })) as { value: { saleGuid: string } };
    const sale = (await raw("GET", `/api/files/sales/${body.value.saleGuid}`)) as {
      value: { sale: { customFields: Record<string, unknown> } };
    };
    expect(sale.value.sale.customFields).toEqual({ isConcierge: false });
  });

  for (const shape of ["array", "value"] as const) {
    it(`the bulk export (${shape}) has the published file shapes, sales and listings alike`, async () => {
      await setSettings("skyslope", { exportShape: shape });
      const a = await agentAndChecklist();
      await raw("POST", "/api/files/sales", { agentGuid: a.agentGuid, checklistTypeId: await a.checklist("Sale"), property: property() });
      await raw("POST", "/api/files/listings", {
        agentGuid: a.agentGuid,
        checklistTypeId: await a.checklist("Listing"),
        property: property(),
      });
      const body = await raw("GET", "/api/files");
      const published = shape === "array" ? bulkExport : { value: bulkExport };
      expect(mismatches(body, mergeShapes([shapeOf(published)]))).toEqual([]);
      const files = (shape === "array" ? body : (body as { value: unknown }).value) as Array<{ objectType: string }>;
      expect(new Set(files.map((f) => f.objectType))).toEqual(new Set(["sale", "listing"]));
    });
  }
});
