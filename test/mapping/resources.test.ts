import { describe, expect, it } from "vitest";
import { CanonicalEvent } from "../../src/canonical";
import { mapFollowUpBossDeal, mapFollowUpBossPerson, mapSkySlopeFile, mapSkySlopeSale, type MapOutcome } from "../../src/mapping";
import { ctx, PHONE, PHONE_E164 } from "./fixtures";

function only(out: MapOutcome): CanonicalEvent {
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  return CanonicalEvent.parse(out.events[0]);
}

/** A sale as SkySlope's bulk export shows it (nulls and .NET's 0001-01-01 for "none"), filled in. */
const sale = {
  objectType: "sale",
  saleGuid: "5342bb92-4f6d-4df2-bb03-7be81e2336c7",
  listingGuid: null,
  agentGuid: "48433422-c9d7-4f5b-979c-b26a9fad130d",
  createdByGuid: "48433422-c9d7-4f5b-979c-b26a9fad130d",
  mlsNumber: "",
  escrowNumber: "ESC-1",
  statusId: 59,
  status: "Incomplete",
  officeId: null,
  officeGuid: null,
  checklistType: "Other",
  escrowClosingDate: "2020-10-15T00:00:00",
  actualClosingDate: null,
  contractAcceptanceDate: "0001-01-01T00:00:00",
  modifiedOn: "2020-10-13T18:38:42.997",
  source: null,
  dealType: "Purchase / Tenant",
  listingPrice: 0,
  salePrice: 350000,
  isOfficeLead: false,
  email: "GSt8112@skyslope.com",
  property: {
    streetNumber: "100",
    streetAddress: "Main St.",
    unit: "",
    direction: "N",
    city: "Sacramento",
    county: "Sacramento County",
    state: "CA",
    zip: "95814",
    yearBuilt: 2000,
    areasqft: 1800,
  },
  commission: { salesCommissionAmount: 10500, saleCommissionPercent: 3, transCoordinatorFee: 395, referralAmount: null },
  sellers: [],
  buyers: [{ firstName: "Ana", lastName: "Ruiz", email: "ana@example.com", phoneNumber: PHONE, company: null }],
  titleContact: null,
  lenderContact: { firstName: "Lou", lastName: "Lender", email: "lou@bank.example", company: "Bank" },
  attorneyContact: [],
  otherSideAgentContact: null,
  commissionSplits: [],
  stage: { id: 1, name: "New" },
  agent: { firstName: "Gus" },
  customFields: { anything: "x" },
  createdOn: "2020-10-13T18:38:42.967",
};

describe("SkySlope sale", () => {
  it("maps to a transaction with property, money in cents, dates, parties and fees", () => {
    const out = mapSkySlopeSale(sale, ctx);
    const e = only(out);
    expect(e).toMatchObject({
      type: "transaction.upserted",
      occurredAt: "2020-10-13T18:38:42.997Z",
      subject: { kind: "transaction", externalId: sale.saleGuid },
    });
    if (e.type !== "transaction.upserted") return;
    const t = e.data.transaction;
    expect(t).toMatchObject({ id: sale.saleGuid, purchasePrice: 35_000_000, reference: "ESC-1", agent: { id: sale.agentGuid } });
    expect(t.dates.contract).toBeUndefined(); // 0001-01-01 means "no date"
    expect(t.dates.estimatedClosing).toMatch(/^2020-10-15/);
    expect(t.property).toMatchObject({ areaSqft: 1800, address: { city: "Sacramento", state: "CA", zip: "95814" } });
    expect(t.property?.mlsId).toBeUndefined();
    expect(t.commission).toMatchObject({
      grossCents: 1_050_000,
      ratePercent: 3,
      fees: [{ name: "Transaction coordinator fee", amountCents: 39_500 }],
    });
    expect(t.participants.map((p) => p.role)).toEqual(["buyer", "lender"]);
    expect(t.participants[0]?.person?.phones).toEqual([{ value: PHONE_E164 }]);
    expect(out.drift).toEqual([]);
  });

  it("accepts the API's `{value: {sale}}` wrapper and bulk-export listings", () => {
    expect(only(mapSkySlopeSale({ value: { sale } }, ctx)).subject.externalId).toBe(sale.saleGuid);
    const listing = {
      objectType: "listing",
      listingGuid: "4b96",
      status: "Incomplete",
      listingPrice: 10,
      listingDate: "2020-10-13T00:00:00",
      expirationDate: "2020-10-15T00:00:00",
      sellers: [],
    };
    const e = only(mapSkySlopeFile(listing, ctx));
    if (e.type !== "transaction.upserted") throw new Error(e.type);
    expect(e.data.transaction.id).toBe("4b96");
    expect(e.data.transaction.property).toBeUndefined(); // a price alone identifies no property
  });
});

describe("Follow Up Boss resources", () => {
  it("a person: identity, tags, assigned agent, first address, custom fields ignored", () => {
    const json = {
      id: 1234,
      created: "2024-01-01T00:00:00Z",
      updated: "2024-05-01T12:00:00Z",
      name: "Ana Ruiz",
      firstName: "Ana",
      lastName: "Ruiz",
      stage: "Lead",
      source: "Zillow",
      emails: [{ value: "ANA@example.com", type: "home", status: "Valid", isPrimary: 1 }],
      phones: [{ value: PHONE, type: "cell", status: "Valid", isPrimary: 1 }],
      addresses: [{ type: "home", street: "12 Oak Ln", city: "Austin", state: "TX", code: "78701", country: "US" }],
      tags: ["Buyer"],
      assignedTo: "Jane Agent",
      assignedUserId: 5,
      customCloseDate: "2024-06-01",
    };
    const out = mapFollowUpBossPerson(json, ctx);
    const e = only(out);
    expect(e).toMatchObject({
      type: "person.upserted",
      subject: { kind: "person", externalId: "1234" },
      occurredAt: "2024-05-01T12:00:00.000Z",
    });
    if (e.type !== "person.upserted") return;
    expect(e.data.person).toMatchObject({
      id: "1234",
      emails: [{ value: "ana@example.com", type: "home" }],
      phones: [{ value: PHONE_E164, type: "mobile" }],
      tags: ["Buyer"],
      assignedAgent: { id: "5", name: "Jane Agent" },
      leadSource: { system: "followupboss", name: "Zillow" },
      address: { city: "Austin", state: "TX", zip: "78701" },
    });
    expect(out.drift).toEqual([]);
  });

  it("a deal: price in cents, people as references, first user as the agent", () => {
    const json = {
      id: 77,
      name: "Ruiz purchase",
      stageName: "Under Contract",
      price: 450000,
      projectedCloseDate: "2024-06-30",
      people: [{ id: 1234, name: "Ana Ruiz" }],
      users: [{ id: 5, name: "Jane Agent" }],
    };
    const e = only(mapFollowUpBossDeal(json, ctx));
    if (e.type !== "deal.upserted") throw new Error(e.type);
    expect(e.data.deal).toMatchObject({
      id: "77",
      purchasePrice: 45_000_000,
      dates: { estimatedClosing: "2024-06-30" },
      participants: [{ role: "other", personRef: { system: "followupboss", externalId: "1234" } }],
      agent: { id: "5", name: "Jane Agent" },
    });
  });
});
