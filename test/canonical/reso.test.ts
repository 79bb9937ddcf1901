import { describe, expect, it } from "vitest";
import * as z from "../../src/lib/zod";
import fieldsCsv from "../../../shared/data/reso_data_dictionary/dd2.0_fields.csv?raw";
import lookupsCsv from "../../../shared/data/reso_data_dictionary/dd2.0_lookups.csv?raw";
import { ListingStatus, PostalAddress, Property, RESO_ADDRESS_FIELDS, RESO_PROPERTY_FIELDS } from "../../src/canonical";

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function records(text: string): Record<string, string>[] {
  const [head = [], ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ""])));
}

const propertyFields = new Map(
  records(fieldsCsv)
    .filter((f) => f.resourceName === "Property")
    .map((f) => [f.fieldName, f]),
);

type JsonProp = { type?: string; maxLength?: number; enum?: string[]; anyOf?: unknown[] };
const props = (schema: z.ZodMiniType) => (z.toJSONSchema(schema) as { properties: Record<string, JsonProp> }).properties;

function compatible(ours: JsonProp, reso: Record<string, string>): boolean {
  switch (reso.type) {
    case "Edm.String":
      return ours.type === "string" && (reso.maxLength === "" || (ours.maxLength ?? Infinity) <= Number(reso.maxLength));
    case "Edm.Int64":
    case "Edm.Int32":
      return ours.type === "integer";
    case "Edm.Decimal":
      return ours.type === "integer" || ours.type === "number";
    default: // enumerations: we hold the value as a string
      return ours.type === "string";
  }
}

describe("canonical Property against the RESO Data Dictionary 2.0", () => {
  const cases = [
    ...Object.entries(RESO_PROPERTY_FIELDS).map(([k, r]) => [`Property.${k}`, props(Property)[k], r] as const),
    ...Object.entries(RESO_ADDRESS_FIELDS).map(([k, r]) => [`PostalAddress.${k}`, props(PostalAddress)[k], r] as const),
  ];

  it.each(cases)("%s maps to an existing RESO field with a compatible type and length", (_name, ours, resoName) => {
    const reso = propertyFields.get(resoName);
    expect(reso, `${resoName} is not a RESO Property field`).toBeDefined();
    expect(ours).toBeDefined();
    if (reso && ours) expect(compatible(ours, reso), `${resoName}: ${reso.type} ${reso.maxLength}`).toBe(true);
  });

  it("ListingStatus is exactly RESO StandardStatus", () => {
    const values = records(lookupsCsv)
      .filter((l) => l.lookupName === "org.reso.metadata.enums.StandardStatus")
      .map((l) => l.lookupValue);
    expect([...ListingStatus.options].sort()).toEqual(values.sort());
  });
});
