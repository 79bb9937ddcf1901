import { describe, expect, it } from "vitest";
import { changeTime, closesDeal, dealColumns, mergeFields, mergeRead, notOlder } from "../../src/flows/golden";

describe("the golden record's conflict policy", () => {
  const base = mergeFields({}, { phones: ["+15125550100"], firstName: "Ana" }, "zillow", "2026-11-01T10:00:00.500Z").fields;

  it("takes the most recent change by the source's own time, and keeps provenance", () => {
    const later = mergeFields(base, { phones: ["+15125550199"] }, "followupboss", "2026-11-01T10:05:00Z");
    expect(later.changed).toEqual(["phones"]);
    expect(later.fields.phones).toEqual({ value: ["+15125550199"], system: "followupboss", at: "2026-11-01T10:05:00Z" });
    const earlier = mergeFields(later.fields, { phones: ["+15125550100"] }, "dotloop", "2026-11-01T10:01:00Z");
    expect(earlier.changed).toEqual([]);
  });

  it("compares stamps of different precision to the second; within a second the later arrival wins", () => {
    expect(notOlder("2026-11-01T10:00:00Z", "2026-11-01T10:00:00.500Z")).toBe(true);
    expect(notOlder("2026-11-01T09:59:59Z", "2026-11-01T10:00:00.500Z")).toBe(false);
    const sameSecond = mergeFields(base, { phones: ["+15125550199"] }, "followupboss", "2026-11-01T10:00:00Z");
    expect(sameSecond.changed).toEqual(["phones"]);
  });

  it("stamps a fetched change with the vendor's own change time, else with when the hub heard of it", () => {
    const heard = "2026-11-01T10:00:07.250Z";
    expect(changeTime("2026-11-01T10:00:00Z", heard)).toBe("2026-11-01T10:00:00.000Z");
    expect(changeTime("2026-11-01T10:00:00+00:00", heard)).toBe("2026-11-01T10:00:00.000Z");
    expect(changeTime(undefined, heard)).toBe(heard);
    expect(changeTime(null, heard)).toBe(heard);
    expect(changeTime("not a time", heard)).toBe(heard);
  });

  it("a field with an owner takes the owner's values over anyone's, whatever the time", () => {
    const own = { phones: "followupboss" };
    const byOwner = mergeFields(base, { phones: ["+15125550199"] }, "followupboss", "2026-10-01T00:00:00Z", own);
    expect(byOwner.changed).toEqual(["phones"]);
    const later = mergeFields(byOwner.fields, { phones: ["+15125550222"] }, "dotloop", "2026-11-02T00:00:00Z", own);
    expect(later.changed).toEqual([]);
    // Until the owner has spoken, non-owners resolve by time among themselves.
    const beforeOwner = mergeFields(base, { phones: ["+15125550222"] }, "dotloop", "2026-11-02T00:00:00Z", own);
    expect(beforeOwner.changed).toEqual(["phones"]);
  });

  it("an equal value changes nothing — the echo of the hub's own write is not a change", () => {
    const echo = mergeFields(base, { phones: ["+15125550100"], firstName: "Ana" }, "followupboss", "2026-12-01T00:00:00Z");
    expect(echo.changed).toEqual([]);
    expect(echo.fields).toEqual(base);
  });

  it("a system's field held as it was when last read is not its change; a field never noted, or moved, is", () => {
    const closed = mergeFields({}, { stage: "closed" }, "dotloop", "2026-11-01T10:00:00Z").fields;
    // Never read from the CRM: its older stage loses by time, and what it holds is noted.
    const first = mergeRead(closed, { stage: "under_contract", name: "5 Oak" }, "followupboss", "2026-11-01T09:00:00Z");
    expect(first.fields.stage).toEqual({
      value: "closed",
      system: "dotloop",
      at: "2026-11-01T10:00:00Z",
      held: { followupboss: "under_contract" },
    });
    expect(first.noted).toBe(true);
    // The CRM's stage unchanged since, under a later stamp of its deal: not merged.
    const again = mergeRead(first.fields, { stage: "under_contract", name: "5 Oak Ln" }, "followupboss", "2026-11-01T11:00:00Z");
    expect(again.changed).toEqual(["name"]);
    expect(again.fields.stage?.value).toBe("closed");
    expect(mergeRead(again.fields, { stage: "under_contract", name: "5 Oak Ln" }, "followupboss", "2026-11-01T11:00:00Z").noted).toBe(
      false,
    );
    // Moved in the CRM: its change, merged by time as ever.
    const moved = mergeRead(again.fields, { stage: "cancelled" }, "followupboss", "2026-11-01T12:00:00Z");
    expect(moved.changed).toEqual(["stage"]);
    // What the CRM held stays noted when another system's value replaces the field's.
    const sold = mergeFields(again.fields, { stage: "sold" }, "skyslope", "2026-11-01T13:00:00Z").fields;
    expect(sold.stage?.held).toEqual({ followupboss: "under_contract" });
  });

  it("a deal's columns take only the fields the change won: a stage that lost to the TMS's later close stays closed", () => {
    const underContract = mergeFields(
      {},
      { name: "9 Birch Rd", stage: "under_contract", price: 50_000_000 },
      "followupboss",
      "2026-11-01T10:00:00Z",
    ).fields;
    const closed = mergeFields(underContract, { stage: "closed" }, "dotloop", "2026-11-01T10:00:05Z").fields;
    // The agent renamed the CRM deal a second before the TMS closed it; the CRM still says under contract.
    const crm = { name: "9 Birch Rd (backup)", stage: "under_contract", price: 50_000_000 };
    const merged = mergeFields(closed, crm, "followupboss", "2026-11-01T10:00:04Z");
    expect(merged.changed).toEqual(["name"]);
    expect(dealColumns(crm, merged.changed)).toEqual({ name: "9 Birch Rd (backup)" });
    // An owner rule gives the stage to the TMS: a newer CRM stage still does not reach the column.
    const owned = mergeFields(closed, { stage: "cancelled", price: 49_000_000 }, "followupboss", "2026-11-01T11:00:00Z", {
      stage: "dotloop",
    });
    expect(owned.changed).toEqual(["price"]);
    expect(dealColumns({ stage: "cancelled", price: 49_000_000 }, owned.changed)).toEqual({ priceCents: 49_000_000 });
    // A new deal: every field wins and is written; absent values write nothing.
    expect(dealColumns(crm, ["name", "stage", "price"])).toEqual({ name: crm.name, stage: "under_contract", priceCents: 50_000_000 });
    expect(dealColumns({ name: "New", stage: null }, ["name", "stage"])).toEqual({ name: "New" });
  });

  it("a TMS close closes the deal only when the merged deal says closed, and only once", () => {
    const underContract = mergeFields({}, { stage: "under_contract" }, "followupboss", "2026-11-01T10:00:00Z").fields;
    // The loop was sold before the CRM deal was cancelled: the TMS's stage loses, the deal stays open.
    const cancelled = mergeFields(underContract, { stage: "cancelled" }, "followupboss", "2026-11-01T10:00:06Z").fields;
    const late = mergeFields(cancelled, { stage: "closed" }, "dotloop", "2026-11-01T10:00:05Z");
    expect(late.changed).toEqual([]);
    expect(closesDeal("closed", late.fields, null)).toBe(false);
    // The CRM owns the stage: a sold loop does not close the deal.
    const owned = mergeFields(underContract, { stage: "closed" }, "dotloop", "2026-11-01T10:00:05Z", { stage: "followupboss" });
    expect(closesDeal("closed", owned.fields, null)).toBe(false);
    // The TMS's close wins, or agrees with the CRM's: the deal closes, unless it already did.
    const won = mergeFields(underContract, { stage: "closed" }, "dotloop", "2026-11-01T10:00:05Z");
    expect(closesDeal("closed", won.fields, null)).toBe(true);
    expect(closesDeal("closed", won.fields, 1_700_000_000_000)).toBe(false);
    const crmClosed = mergeFields(underContract, { stage: "closed" }, "followupboss", "2026-11-01T10:00:05Z").fields;
    expect(closesDeal("closed", mergeFields(crmClosed, { stage: "closed" }, "dotloop", "2026-11-01T10:00:07Z").fields, null)).toBe(true);
    // A loop that is not closed never closes the deal, whatever the CRM says.
    expect(closesDeal("under_contract", crmClosed, null)).toBe(false);
  });
});
