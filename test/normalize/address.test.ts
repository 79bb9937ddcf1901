import { describe, expect, it } from "vitest";
import cases from "../../../shared/data/us_address_formatting_cases/parse_address_js_cases.json";
import { formatAddressLine, normalizeAddress, parseAddress, PostalAddress } from "../../src/normalize";

const parse = (raw: string): PostalAddress => {
  const r = parseAddress(raw);
  if (!r.ok) throw new Error(`${raw}: ${r.code}`);
  return PostalAddress.parse(r.value);
};

describe("parseAddress", () => {
  it("splits a full address into USPS components", () => {
    expect(parse("123 North Main Street, Apartment 4, Springfield, Illinois 62704-1234")).toEqual({
      number: "123",
      predirectional: "N",
      street: "Main",
      suffix: "St",
      unitType: "Apt",
      unitId: "4",
      city: "Springfield",
      state: "IL",
      zip: "62704",
      zip4: "1234",
    });
  });

  it("works without commas, using suffixes, units and the state to find the city", () => {
    expect(parse("1005 N Gravenstein Hwy Suite 500 Sebastopol CA 95472")).toMatchObject({
      number: "1005",
      predirectional: "N",
      street: "Gravenstein",
      suffix: "Hwy",
      unitType: "Ste",
      unitId: "500",
      city: "Sebastopol",
      state: "CA",
      zip: "95472",
    });
    expect(parse("2146 University Square Mall Tampa FL 33612")).toMatchObject({
      street: "University Square",
      suffix: "Mall",
      city: "Tampa",
    });
    expect(parse("6641 N 2200 W Apt D304 Park City, UT 84098")).toMatchObject({
      street: "2200",
      postdirectional: "W",
      unitId: "D304",
      city: "Park City",
    });
  });

  it("abbreviates directionals and keeps post-directionals apart", () => {
    expect(parse("100 S.E. Washington Ave, Minneapolis, MN")).toMatchObject({ predirectional: "SE", street: "Washington", suffix: "Ave" });
    expect(parse("1180 Peachtree Street, NE")).toMatchObject({ street: "Peachtree", suffix: "St", postdirectional: "NE" });
    expect(parse("100 South St, Philadelphia, PA")).toMatchObject({ street: "South", suffix: "St" });
  });

  it("title-cases words but keeps deliberate mixed case", () => {
    expect(parse("6257A NORTH MCCORMICK ROAD, CHICAGO, IL 60659")).toMatchObject({ number: "6257A", street: "Mccormick", city: "Chicago" });
    expect(parse("1 N. LaSalle St., Ste 1725, Chicago, IL 60602")).toMatchObject({ street: "LaSalle", unitType: "Ste", unitId: "1725" });
  });

  it("reads PO boxes, fractions, grid numbers and ZIP+4 in any spelling", () => {
    expect(parse("P.O. Box 3094 Collierville TN 38027")).toMatchObject({ unitType: "PO Box", unitId: "3094", city: "Collierville" });
    expect(parse("3813 1/2 Some Road, Los Angeles, CA")).toMatchObject({ number: "3813 1/2", street: "Some", suffix: "Rd" });
    expect(parse("N95W18855 Jay Dr, Menomonee Falls, WI 53051")).toMatchObject({ number: "N95W18855", city: "Menomonee Falls" });
    expect(parse("233 S Wacker Dr 606066306")).toMatchObject({ zip: "60606", zip4: "6306" });
  });

  it("restores the leading zero a spreadsheet took from a New England ZIP", () => {
    expect(parse("25 First Street, Cambridge, MA 2139")).toMatchObject({ city: "Cambridge", state: "MA", zip: "02139" });
  });

  it("spells out Saint and directionals that start a city, as USPS does", () => {
    expect(parse("800 N. Lindberg St. Louis MO 63167")).toMatchObject({ street: "Lindberg", city: "Saint Louis", state: "MO" });
    expect(parse("1 First St, e San Jose CA")).toMatchObject({ city: "East San Jose" });
  });

  it("drops a recipient line before the street", () => {
    expect(parse("ACME Realty LLC, 815 N 1st Ave Ste 4, Phoenix, AZ 85003")).toMatchObject({
      number: "815",
      street: "1st",
      suffix: "Ave",
      unitId: "4",
      city: "Phoenix",
    });
  });

  it("rejects empty input and intersections with a code", () => {
    expect(parseAddress("  ")).toMatchObject({ ok: false, code: "address_empty" });
    expect(parseAddress("Mission St & Valencia St, San Francisco CA")).toMatchObject({ ok: false, code: "address_intersection" });
    expect(parseAddress("!!!")).toMatchObject({ ok: false });
  });
});

describe("normalizeAddress (parts that arrive split)", () => {
  it("parses the street line and normalizes the other fields", () => {
    const r = normalizeAddress({ number: "14015", street: "Southington Road", city: "SHAKER HEIGHTS", state: "Ohio", zip: "44120" });
    expect(r).toEqual({
      ok: true,
      value: { number: "14015", street: "Southington", suffix: "Rd", city: "Shaker Heights", state: "OH", zip: "44120" },
    });
  });

  it("never mistakes the last street word for a city", () => {
    const r = normalizeAddress({ street: "11988 El Camino Real" });
    expect(r.ok && r.value).toEqual({ number: "11988", street: "El Camino Real" });
  });

  it("reads the unit from line2 or a bare unit number", () => {
    expect(normalizeAddress({ street: "12 Oak Ln", line2: "Suite 200" })).toMatchObject({ value: { unitType: "Ste", unitId: "200" } });
    expect(normalizeAddress({ street: "12 Oak Ln", unit: "4B" })).toMatchObject({ value: { unitType: "#", unitId: "4B" } });
  });

  it("pads a ZIP that lost its leading zero and rejects what is not a ZIP or a state", () => {
    expect(normalizeAddress({ street: "1 Main St", zip: 2108 })).toMatchObject({ value: { zip: "02108" } });
    expect(normalizeAddress({ street: "1 Main St", zip: "ABCDE" })).toMatchObject({ ok: false, code: "address_zip_invalid" });
    expect(normalizeAddress({ street: "1 Main St", state: "Narnia" })).toMatchObject({ ok: false, code: "address_state_invalid" });
    expect(normalizeAddress({ street: "1 Main St", country: "Canada" })).toMatchObject({ ok: false, code: "address_not_us" });
    expect(normalizeAddress({})).toMatchObject({ ok: false, code: "address_empty" });
  });
});

describe("formatAddressLine", () => {
  it("writes the delivery line in USPS order", () => {
    expect(formatAddressLine(parse("123 north main street apartment 4"))).toBe("123 N Main St Apt 4");
    expect(formatAddressLine(parse("1800 M St., NW Ste. 700, Washington, DC 20036"))).toBe("1800 M St NW Ste 700");
    expect(formatAddressLine(parse("PO Box 18, Lincoln, NE 68524"))).toBe("PO Box 18");
  });
});

describe("parseAddress on parse-address's expectations (us_address_formatting_cases)", () => {
  const entries = Object.entries(cases as Record<string, Record<string, string>>);
  const fields = [
    ["number", "number"],
    ["prefix", "predirectional"],
    ["street", "street"],
    ["type", "suffix"],
    ["suffix", "postdirectional"],
    ["city", "city"],
    ["state", "state"],
    ["zip", "zip"],
  ] as const;

  it("agrees on ≥ 95% of components (fraction-dropping and unit spelling are not scored)", () => {
    let good = 0;
    let total = 0;
    for (const [input, exp] of entries) {
      if (exp.street1 !== undefined) continue;
      const r = parseAddress(input);
      const got: Record<string, string | undefined> = r.ok ? r.value : {};
      for (const [theirs, ours] of fields) {
        let want = exp[theirs];
        if (theirs === "prefix" || theirs === "suffix") want = want?.slice(0, 2);
        if (want === undefined && got[ours] === undefined) continue;
        if (ours === "number" && got.number?.includes("/")) continue;
        total++;
        if (want?.toUpperCase() === got[ours]?.toUpperCase()) good++;
      }
    }
    expect(good / total).toBeGreaterThanOrEqual(0.95);
  });

  it("rejects every intersection", () => {
    const intersections = entries.filter(([, exp]) => exp.street1 !== undefined);
    expect(intersections.length).toBe(10);
    for (const [input] of intersections) expect(parseAddress(input)).toMatchObject({ ok: false, code: "address_intersection" });
  });
});
