import { describe, expect, it } from "vitest";
import fieldsCsv from "../../../shared/data/reso_data_dictionary/dd2.0_fields.csv?raw";
import * as z from "zod";
import good from "../contracts/reso/commander-good-property.json";
import collection from "../contracts/reso/property-collection.json";
import display from "../contracts/reso/property-lookup-display.json";
import { addressKey, fillProperty, listingChanges, toListing } from "../../src/mls/listing";
import { RESO_PROPERTY_SCHEMA } from "../../src/vendors/reso/schemas";

/** The DD fields CSV's Property rows by name (the file quotes no field that holds a comma before `type`). */
function ddProperty(): Map<string, { type: string }> {
  const [head = "", ...rows] = fieldsCsv.split(/\r?\n/);
  const cols = head.split(",");
  const at = (name: string) => cols.indexOf(name);
  const out = new Map<string, { type: string }>();
  for (const line of rows) {
    const cells = line.split(",");
    if (cells[at("resourceName")] !== "Property") continue;
    out.set(cells[at("fieldName")] ?? "", { type: cells[at("type")] ?? "" });
  }
  return out;
}

describe("the RESO Property fields the hub reads, against the Data Dictionary 2.0", () => {
  const dd = ddProperty();
  it.each(Object.keys(RESO_PROPERTY_SCHEMA))("%s is a DD 2.0 Property field with a compatible type", (name) => {
    const field = dd.get(name);
    expect(field, `${name} is not in the Data Dictionary`).toBeDefined();
    const json = z.toJSONSchema(RESO_PROPERTY_SCHEMA[name as keyof typeof RESO_PROPERTY_SCHEMA], { unrepresentable: "any" }) as {
      type?: string | string[];
      anyOf?: Array<{ type?: string; enum?: unknown[] }>;
    };
    const ours = json.anyOf?.find((t) => t.type !== "null") ?? { type: [json.type].flat().find((t) => t !== "null") };
    const type = field?.type ?? "";
    if (type === "Edm.String") expect(ours.type).toBe("string");
    else if (type === "Edm.Decimal") expect(["number", "integer"]).toContain(ours.type);
    else if (type === "Edm.Int64" || type === "Edm.Int32") expect(ours.type).toBe("integer");
    else if (type === "Edm.DateTimeOffset") expect(ours.type).toBe("string");
    else expect(ours.type === "string" || Array.isArray((ours as { enum?: unknown[] }).enum)).toBe(true); // enumerations
  });
});

describe("a RESO Property record as a listing", () => {
  it("maps RESO's published records: key, StandardStatus, price in cents", () => {
    const rec = (good.value[0] ?? {}) as Record<string, unknown>;
    const m = toListing({ ...rec, ModificationTimestamp: "2020-04-02T02:02:02.02Z" }, "reso:main");
    expect(m.ok && m.listing).toMatchObject({ listingKey: "abc123", status: "ActiveUnderContract", listPriceCents: 10_000_000, beds: 5 });
    const first = toListing(collection.value[1] as Record<string, unknown>, "reso:main");
    expect(first.ok && first.listing).toMatchObject({ listingKey: "b2", status: "Pending", listPriceCents: 10_000_100 });
  });

  // RCP 40 §2.2: a server using the Lookup resource sends each lookup's human friendly value.
  it("reads StandardStatus sent as the Lookup resource's display value, as RESO's example shows it", () => {
    const m = toListing(display.value[0] as Record<string, unknown>, "reso:main");
    expect(m.ok && m.listing).toMatchObject({ listingKey: "abc123", status: "ActiveUnderContract" });
    const soon = toListing({ ListingKey: "s1", ModificationTimestamp: "2024-01-01T00:00:00Z", StandardStatus: "Coming Soon" }, "reso:main");
    expect(soon.ok && soon.listing.status).toBe("ComingSoon");
  });

  it("refuses a record whose StandardStatus is not a DD value, naming the field", () => {
    const m = toListing({ ListingKey: "x1", ModificationTimestamp: "2024-01-01T00:00:00Z", StandardStatus: "Sold" }, "reso:main");
    expect(m).toMatchObject({ ok: false, key: "x1" });
    expect(!m.ok && m.reason).toContain("StandardStatus");
  });

  // RCP 40 (Data Dictionary 2.0), String: a server MAY declare the length it supports; RESO's
  // lengths are suggestions, and a server whose own differ still passes certification.
  it("keeps a record whose text is longer than the Data Dictionary's suggested lengths", () => {
    const agent = `Alexandra ${"Montgomery-".repeat(16)}Whitfield`;
    const m = toListing(
      {
        ListingKey: "long1",
        ModificationTimestamp: "2024-01-01T00:00:00Z",
        StandardStatus: "Active",
        ListAgentFullName: agent,
        PropertyType: "Residential Income Multi-Family Five Plus Units With Commercial Ground Floor",
        ListingURL: `https://mls.example.com/listing/long1?${"x".repeat(8100)}`,
      },
      "reso:main",
    );
    expect(agent.length).toBeGreaterThan(150);
    expect(m.ok && m.listing).toMatchObject({ listingKey: "long1", status: "Active", listAgentName: agent });
  });

  it("normalizes the address the way lead addresses are, so both share a match key", () => {
    const m = toListing(
      {
        ListingKey: "k",
        ModificationTimestamp: "2024-01-01T00:00:00Z",
        StreetNumber: "12",
        StreetName: "Oak",
        StreetSuffix: "Lane",
        City: "austin",
        StateOrProvince: "Texas",
        PostalCode: "78701",
      },
      "reso:main",
    );
    expect(m.ok && m.listing.address).toMatchObject({
      number: "12",
      street: "Oak",
      suffix: "Ln",
      city: "Austin",
      state: "TX",
      zip: "78701",
    });
    expect(m.ok && m.listing.addressKey).toBe(addressKey({ number: "12", street: "Oak", suffix: "Ln", zip: "78701" }));
  });

  it("fills only what the lead left out, and names status and price changes", () => {
    expect(fillProperty({ mlsId: "1", price: 100 }, { mlsId: "1", price: 200, beds: 3 })).toEqual({ mlsId: "1", price: 100, beds: 3 });
    const m = toListing(
      { ListingKey: "k", ModificationTimestamp: "2024-01-01T00:00:00Z", StandardStatus: "Pending", ListPrice: 436500 },
      "reso:main",
    );
    if (!m.ok) throw new Error(m.reason);
    expect(listingChanges({ standard_status: "Active", list_price_cents: 45_000_000 }, m.listing)).toEqual([
      "status Active → Pending",
      "price $450,000 → $436,500",
    ]);
  });
});
